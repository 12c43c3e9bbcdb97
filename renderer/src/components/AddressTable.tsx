import { useMemo } from 'react'
import type { AddressStatus, Hex, KnownAddress } from '../../../core/api/contract.ts'
import { useAppStore, type AppState } from '../store/store.ts'
import { SourceBadges } from './SourceBadges.tsx'
import { relayName } from '../lib/relay-name.ts'

const STATUS_LABEL: Record<AddressStatus, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  idle: 'Not tried yet',
  backoff: 'Retrying later',
  self: 'Your own address'
}
// The rows that matter most come first: live sessions, then attempts, then the ones given up on for now.
const STATUS_ORDER: Record<AddressStatus, number> = { connected: 0, connecting: 1, idle: 2, backoff: 3, self: 4 }

// The name this channel knows the peer by, else any channel's: the same key is the same person.
function connectedName (peers: AppState['peers'], channelId: Hex, key: Hex | null): string | undefined {
  if (key === null) return undefined
  const here = peers.get(channelId)?.get(key)
  if (here !== undefined) return here.name
  for (const channelPeers of peers.values()) {
    const peer = channelPeers.get(key)
    if (peer !== undefined) return peer.name
  }
  return undefined
}

function PeerName ({ channelId, address }: { channelId: Hex; address: KnownAddress }) {
  const name = useAppStore(s => connectedName(s.peers, channelId, address.publicKey))
  if (address.status === 'self') return <span className="muted">You</span>
  if (address.publicKey === null) return <span className="muted">Unknown</span>
  if (name !== undefined) return <span className="net-peer-name">{name}</span>
  const key = address.publicKey
  return <span className="mono muted" title={key}>{key.slice(0, 8)}…</span>
}

function RelayName ({ via }: { via: Hex }) {
  const name = useAppStore(s => relayName(via, s.contacts, s.peers))
  return <span className="net-peer-name">via {name}</span>
}

export function AddressTable ({ channelId, addresses }: { channelId: Hex; addresses: readonly KnownAddress[] }) {
  const rows = useMemo(
    () => [...addresses].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.address.localeCompare(b.address)),
    [addresses]
  )
  if (rows.length === 0) return <p className="net-empty">No addresses known yet for this channel.</p>
  return (
    <div className="net-table-wrap">
      <table className="net-table net-table--addresses">
        <thead>
          <tr><th scope="col">Address</th><th scope="col">Peer</th><th scope="col">Found via</th><th scope="col">Status</th><th scope="col" className="num">Failures</th></tr>
        </thead>
        <tbody>
          {rows.map(a => (
            <tr key={`${a.address} ${a.publicKey ?? ''}`} data-testid="address-row">
              <td className="mono truncate" title={a.via === undefined ? a.address : `Relayed: ${a.address} is the relaying member's address`}>
                {a.via === undefined ? a.address : <>relayed <RelayName via={a.via} /></>}
              </td>
              <td className="truncate"><PeerName channelId={channelId} address={a} /></td>
              <td><SourceBadges sources={a.sources} /></td>
              <td><span className={`net-status net-status--${a.status}`}>{STATUS_LABEL[a.status]}</span></td>
              <td className={`num${a.failures > 0 ? ' net-failures' : ' muted'}`}>{a.failures}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
