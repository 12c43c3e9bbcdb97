import type { NetworkStatus, PortMappingInfo } from '../../../core/api/contract.ts'
import { natWords, PORT_MAPPING_NAMES, udpOff, udpOffWords } from '../lib/connection-words.ts'
import { plural } from '../lib/plural.ts'
import { proxyInUse } from '../lib/proxy-form.ts'
import { useAppStore } from '../store/store.ts'
import { AddressList, Card, CardDetails } from './NetworkCard.tsx'

// Every outgoing session shows peers another source port: beyond the most common few, a list is noise.
const SHOWN_ADDRESSES = 3

function Addresses ({ addresses }: { addresses: readonly string[] }) {
  return (
    <>
      <AddressList addresses={addresses.slice(0, SHOWN_ADDRESSES)} copyable />
      {addresses.length > SHOWN_ADDRESSES && (
        <details className="net-card__more">
          <summary>{addresses.length - SHOWN_ADDRESSES} more</summary>
          <AddressList addresses={addresses.slice(SHOWN_ADDRESSES)} copyable />
        </details>
      )}
    </>
  )
}

function NatCard ({ status }: { status: NetworkStatus }) {
  const words = natWords(status)
  return (
    <Card label="Your router" value={words.value} icon="network" tone={words.tone} testId="nat-status">
      <p>{words.meaning}</p>
      <CardDetails><p>{words.technical}</p></CardDetails>
    </Card>
  )
}

function AddressCard ({ status }: { status: NetworkStatus }) {
  const unavailablePort = useAppStore(s => s.settings?.unavailablePort)
  const publicAddresses = status.publicAddresses ?? []
  const observed = status.observedAddresses.filter(a => !publicAddresses.includes(a))
  return (
    <Card label="Your address" value={status.listenPort > 0 ? `Port ${status.listenPort}` : 'Not listening'} icon="globe"
      tone={unavailablePort === undefined ? 'neutral' : 'warning'} testId="address-status">
      {unavailablePort !== undefined && (
        <p className="net-error-text">Port {unavailablePort}, chosen in Settings, was in use by another program when BitChat started.</p>
      )}
      {publicAddresses.length > 0 && <><p>On the internet you are</p><Addresses addresses={publicAddresses} /></>}
      {observed.length > 0 && <><p>Peers see you as</p><Addresses addresses={observed} /></>}
      {status.relayOnly === true
        ? <p>Hidden from everyone but your contacts.</p>
        : publicAddresses.length === 0 && observed.length === 0 && <p>Your public address is not known yet: connected peers report it.</p>}
    </Card>
  )
}

function ReachableCard ({ status }: { status: NetworkStatus }) {
  if (status.relayOnly === true) {
    return (
      <Card label="Reachable from outside" value="Through your contacts" icon="lock" tone="neutral" testId="reachable-status">
        <p>Your IP address is hidden: only your contacts connect to you directly.</p>
      </Card>
    )
  }
  if (!status.reachable && proxyInUse(status.proxy)) {
    return (
      <Card label="Reachable from outside" value="No" icon="lock" tone="neutral" testId="reachable-status">
        <p>Behind a proxy nobody connects to you: you connect out, and members relay for you.</p>
      </Card>
    )
  }
  return (
    <Card label="Reachable from outside" value={status.reachable ? 'Yes' : 'No'} icon={status.reachable ? 'check' : 'alert'}
      tone={status.reachable ? 'good' : 'warning'} testId="reachable-status">
      <p>{status.reachable
        ? 'Peers can reach you directly.'
        : 'No peer has connected to you yet: you may be behind a NAT or firewall; outgoing connections still work.'}</p>
    </Card>
  )
}

function udpOffText (status: NetworkStatus): string {
  const off = udpOff(status)
  if (off?.because === 'proxy') return 'Off while a proxy is in use: UDP cannot go through it and would show your address. Connections use TCP and relays.'
  if (off?.because === 'hidden') return 'Off while your IP address is hidden: connections go through your contacts.'
  return `${off === null ? 'UDP is off' : udpOffWords(off)}. Connections use TCP and relays.`
}

function UdpCard ({ udp, status }: { udp: NonNullable<NetworkStatus['udp']>; status: NetworkStatus }) {
  return (
    <Card label="UDP" value={udp.enabled ? 'On' : 'Off'} icon="link" tone={udp.enabled ? 'good' : 'neutral'} testId="udp-status">
      <p>{udp.enabled ? `Port ${udp.port}: direct connections, hole punching and the DHT share it.` : udpOffText(status)}</p>
    </Card>
  )
}

const PROTOCOL_WORDS = (protocols: ReadonlyArray<'tcp' | 'udp'> | undefined): string =>
  protocols === undefined || protocols.length === 0 ? 'the TCP port' : protocols.length === 2 ? 'the TCP and UDP ports' : `the ${protocols[0]?.toUpperCase() ?? ''} port`

const capitalized = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`

function PortMappingCard ({ mapping, proxied }: { mapping: PortMappingInfo; proxied: boolean }) {
  switch (mapping.state) {
    case 'mapped': {
      const by = PORT_MAPPING_NAMES[mapping.via]
      return (
        <Card label="Port forwarding" value={`Forwarded by ${by.short}`} icon="globe" tone="good" testId="port-mapping-status">
          <p>Your router forwards {PROTOCOL_WORDS(mapping.protocols)} to you, so peers can connect in at</p>
          <AddressList addresses={[`${mapping.externalHost}:${mapping.externalPort}`]} copyable />
          <CardDetails>
            <p>{by.full} at the gateway {mapping.gateway}: external {mapping.externalHost}:{mapping.externalPort} → internal port {mapping.internalPort} ({(mapping.protocols ?? ['tcp']).map(p => p.toUpperCase()).join(' + ')})</p>
          </CardDetails>
        </Card>
      )
    }
    case 'searching':
      return (
        <Card label="Port forwarding" value="Asking the router…" icon="globe" tone="neutral" testId="port-mapping-status">
          <p>Looking for a router that can forward port {mapping.internalPort} (UPnP, PCP or NAT-PMP).</p>
        </Card>
      )
    case 'unavailable':
      return (
        <Card label="Port forwarding" value="Not available" icon="globe" tone="neutral" testId="port-mapping-status">
          <p>No router forwards a port to you: peers outside reach you only if you reach them first. BitChat asks again later.</p>
          <CardDetails><p>{mapping.reason}</p></CardDetails>
        </Card>
      )
    case 'off':
      return (
        <Card label="Port forwarding" value="Off" icon="globe" tone="neutral" testId="port-mapping-status">
          <p>{proxied ? 'Off while a proxy is in use.' : mapping.reason === undefined ? 'Not asked for.' : `${capitalized(mapping.reason)}.`}</p>
        </Card>
      )
  }
}

/** Bytes as people read them: 0 B, 12 KB, 3.4 MB. */
function amount (bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`
}

function relaySummary (relay: NonNullable<NetworkStatus['relay']>): string {
  if (!relay.enabled) return 'You do not relay for others (Settings → Relaying).'
  const now = relay.circuits === 0 ? 'Nobody is connected through you right now' : `${plural(relay.circuits, 'connection', 'connections')} through you now`
  return `${now}; ${amount(relay.bytesRelayed)} passed on since start, encrypted end to end.`
}

/** The node's own situation: its router, its address, whether others can reach it, and what carries its connections. */
export function YourConnection ({ status }: { status: NetworkStatus }) {
  const proxied = proxyInUse(status.proxy)
  return (
    <section className="net-group" aria-labelledby="net-you-title" data-testid="your-connection">
      <h3 className="net-section-title" id="net-you-title">Your connection</h3>
      <div className="net-overview">
        {status.relayOnly === true && (
          <Card label="Hiding your IP address" value="On" icon="lock" tone="good" testId="relay-only-status">
            <p>Only your contacts connect to you directly; everyone else reaches you through them, so they never learn your address. Nothing announces where you are.</p>
          </Card>
        )}
        {proxied && (
          <Card label="Proxy" value="In use" icon="lock" tone="good" testId="proxy-status">
            <p>Every connection and tracker announce goes through</p>
            <AddressList addresses={[status.proxy ?? '']} />
          </Card>
        )}
        <NatCard status={status} />
        <AddressCard status={status} />
        <ReachableCard status={status} />
        {status.udp !== undefined && <UdpCard udp={status.udp} status={status} />}
        {status.portMapping !== undefined && <PortMappingCard mapping={status.portMapping} proxied={proxied} />}
        {status.relay !== undefined && (
          <Card label="Relaying for others" value={status.relay.enabled ? 'On' : 'Off'} icon="link" tone="neutral" testId="relay-service-status">
            <p>{relaySummary(status.relay)}</p>
          </Card>
        )}
      </div>
    </section>
  )
}
