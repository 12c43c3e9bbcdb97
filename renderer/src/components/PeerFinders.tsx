import type { NetworkStatus } from '../../../core/api/contract.ts'
import { plural } from '../lib/plural.ts'
import { proxyInUse } from '../lib/proxy-form.ts'
import { Card } from './NetworkCard.tsx'

function dhtSummary (dht: NetworkStatus['dht']): string {
  const nodes = plural(dht.nodes, 'node', 'nodes')
  return dht.bootstrapped ? `${nodes} · bootstrapped` : `${nodes} · bootstrapping…`
}

/** How the node finds peers besides trackers, and how many it holds connections to. */
export function PeerFinders ({ status }: { status: NetworkStatus }) {
  const { dht, lan } = status
  const proxied = proxyInUse(status.proxy)
  const hidden = status.relayOnly === true
  return (
    <section className="net-group" aria-labelledby="net-finders-title">
      <h3 className="net-section-title" id="net-finders-title">Finding peers</h3>
      <div className="net-overview">
        {status.connections !== undefined && (
          <Card label="Peers connected" value={String(status.connections)} icon="link" tone="neutral" testId="connections-status">
            <p>{status.connections === 0
              ? 'No connection to a peer right now.'
              : 'One encrypted connection each, shared by every channel you have in common.'}</p>
          </Card>
        )}
        <Card label="DHT" value={dht.enabled ? 'On' : 'Off'} icon="network" tone={!dht.enabled ? 'neutral' : dht.bootstrapped && dht.lastError === null ? 'good' : 'warning'}>
          <p>{dht.enabled
            ? dhtSummary(dht)
            : proxied ? 'Off while a proxy is in use: it would show your address.'
              : hidden ? 'Off while your IP address is hidden: it would show your address.'
                : 'Peers are not looked up in the Mainline DHT.'}</p>
          {dht.enabled && dht.lastError !== null && <p className="net-error-text">{dht.lastError}</p>}
        </Card>
        <Card label="LAN discovery" value={lan.enabled ? 'On' : 'Off'} icon="users" tone={!lan.enabled ? 'neutral' : lan.lastError === null ? 'good' : 'warning'}>
          <p>{lan.enabled
            ? 'Finding peers on your local network.'
            : proxied ? 'Off while a proxy is in use.' : hidden ? 'Off while your IP address is hidden.' : 'Peers on your local network are not looked for.'}</p>
          {lan.enabled && lan.lastError !== null && <p className="net-error-text">{lan.lastError}</p>}
        </Card>
      </div>
    </section>
  )
}
