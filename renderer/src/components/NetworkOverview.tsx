import type { ReactNode } from 'react'
import type { NetworkStatus, PortMappingInfo } from '../../../core/api/contract.ts'
import { plural } from '../lib/plural.ts'
import { proxyInUse } from '../lib/proxy-form.ts'
import { useAppStore } from '../store/store.ts'
import { Icon, type IconName } from './Icon.tsx'

type Tone = 'good' | 'warning' | 'neutral'

function Card ({ label, value, tone, icon, children, testId }: {
  label: string
  value: string
  tone: Tone
  icon: IconName
  children: ReactNode
  testId?: string
}) {
  return (
    <section className={`net-card net-card--${tone}`} aria-label={label} data-testid={testId}>
      <span className="net-card__icon" aria-hidden="true"><Icon name={icon} size={18} /></span>
      <div className="net-card__body">
        <h3 className="net-card__label">{label}</h3>
        <p className="net-card__value">{value}</p>
        <div className="net-card__detail">{children}</div>
      </div>
    </section>
  )
}

function dhtSummary (dht: NetworkStatus['dht']): string {
  const nodes = plural(dht.nodes, 'node', 'nodes')
  return dht.bootstrapped ? `${nodes} · bootstrapped` : `${nodes} · bootstrapping…`
}

// Every outgoing session shows peers another source port: beyond the most common few, a list is noise.
const SHOWN_ADDRESSES = 3

function AddressList ({ addresses }: { addresses: readonly string[] }) {
  return <ul className="net-card__addresses">{addresses.map(a => <li key={a} className="mono">{a}</li>)}</ul>
}

function PortMappingCard ({ mapping, proxied }: { mapping: PortMappingInfo; proxied: boolean }) {
  switch (mapping.state) {
    case 'mapped':
      return (
        <Card label="Port forwarding" value="Forwarded" icon="globe" tone="good" testId="port-mapping-status">
          <p>The router at {mapping.gateway} forwards this address to you, so peers can dial in:</p>
          <AddressList addresses={[`${mapping.externalHost}:${mapping.externalPort}`]} />
        </Card>
      )
    case 'searching':
      return (
        <Card label="Port forwarding" value="Asking the router…" icon="globe" tone="neutral" testId="port-mapping-status">
          <p>Looking for a router that can forward port {mapping.internalPort} (UPnP).</p>
        </Card>
      )
    case 'unavailable':
      return (
        <Card label="Port forwarding" value="Not available" icon="globe" tone="neutral" testId="port-mapping-status">
          <p>No router forwards a port to you: peers outside reach you only if you reach them first. BitChat asks again later.</p>
          <details className="net-card__more"><summary>Details</summary><p>{mapping.reason}</p></details>
        </Card>
      )
    case 'off':
      return (
        <Card label="Port forwarding" value="Off" icon="globe" tone="neutral" testId="port-mapping-status">
          <p>{proxied ? 'Off while a proxy is in use.' : mapping.reason === undefined ? 'Not asked for.' : `${mapping.reason.charAt(0).toUpperCase()}${mapping.reason.slice(1)}.`}</p>
        </Card>
      )
  }
}

/** Bytes as people read them: 0 B, 12 KB, 3.4 MB. */
function amount (bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

function relaySummary (relay: NonNullable<NetworkStatus['relay']>): string {
  if (!relay.enabled) return 'You do not relay for others (Settings → Relaying).'
  const now = relay.circuits === 0 ? 'Nobody is connected through you right now' : `${plural(relay.circuits, 'connection', 'connections')} through you now`
  return `${now}; ${amount(relay.bytesRelayed)} passed on since start, encrypted end to end.`
}

/** The node as a whole: can others dial us, what do they see, and which discovery besides trackers runs. */
export function NetworkOverview ({ status }: { status: NetworkStatus }) {
  const { dht, lan } = status
  const proxied = proxyInUse(status.proxy)
  const unavailablePort = useAppStore(s => s.settings?.unavailablePort)
  return (
    <div className="net-overview">
      <Card label="Reachable from outside" value={status.reachable ? 'Yes' : 'No'} icon={status.reachable ? 'check' : 'alert'}
        tone={status.reachable ? 'good' : 'warning'} testId="reachable-status">
        <p>{status.reachable
          ? 'Peers can reach you directly.'
          : 'No peer has connected to you yet: you may be behind a NAT or firewall; outgoing connections still work.'}</p>
      </Card>
      <Card label="Your address" value={status.listenPort > 0 ? `Port ${status.listenPort}` : 'Not listening'} icon="globe"
        tone={unavailablePort === undefined ? 'neutral' : 'warning'}>
        {unavailablePort !== undefined && (
          <p className="net-error-text">Port {unavailablePort}, chosen in Settings, was in use by another program when BitChat started.</p>
        )}
        {status.observedAddresses.length > 0
          ? (
            <>
              <p>Peers see you as</p>
              <AddressList addresses={status.observedAddresses.slice(0, SHOWN_ADDRESSES)} />
              {status.observedAddresses.length > SHOWN_ADDRESSES && (
                <details className="net-card__more">
                  <summary>{status.observedAddresses.length - SHOWN_ADDRESSES} more</summary>
                  <AddressList addresses={status.observedAddresses.slice(SHOWN_ADDRESSES)} />
                </details>
              )}
            </>
          )
          : <p>Your public address is not known yet: connected peers report it.</p>}
      </Card>
      {status.connections !== undefined && (
        <Card label="Peers connected" value={String(status.connections)} icon="link" tone="neutral" testId="connections-status">
          <p>{status.connections === 0
            ? 'No connection to a peer right now.'
            : 'One encrypted connection each, shared by every channel you have in common.'}</p>
        </Card>
      )}
      {proxied && (
        <Card label="Proxy" value="In use" icon="lock" tone="good" testId="proxy-status">
          <p>Every connection and tracker announce goes through</p>
          <AddressList addresses={[status.proxy ?? '']} />
        </Card>
      )}
      {status.portMapping !== undefined && <PortMappingCard mapping={status.portMapping} proxied={proxied} />}
      {status.relay !== undefined && (
        <Card label="Relaying for others" value={status.relay.enabled ? 'On' : 'Off'} icon="link" tone="neutral" testId="relay-service-status">
          <p>{relaySummary(status.relay)}</p>
        </Card>
      )}
      <Card label="DHT" value={dht.enabled ? 'On' : 'Off'} icon="network" tone={!dht.enabled ? 'neutral' : dht.bootstrapped && dht.lastError === null ? 'good' : 'warning'}>
        <p>{dht.enabled ? dhtSummary(dht) : proxied ? 'Off while a proxy is in use: it would show your address.' : 'Peers are not looked up in the Mainline DHT.'}</p>
        {dht.enabled && dht.lastError !== null && <p className="net-error-text">{dht.lastError}</p>}
      </Card>
      <Card label="LAN discovery" value={lan.enabled ? 'On' : 'Off'} icon="users" tone={!lan.enabled ? 'neutral' : lan.lastError === null ? 'good' : 'warning'}>
        <p>{lan.enabled ? 'Finding peers on your local network.' : proxied ? 'Off while a proxy is in use.' : 'Peers on your local network are not looked for.'}</p>
        {lan.enabled && lan.lastError !== null && <p className="net-error-text">{lan.lastError}</p>}
      </Card>
    </div>
  )
}
