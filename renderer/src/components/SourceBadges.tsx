import type { PeerSource } from '../../../core/api/contract.ts'

// Always the same order, so rows compare at a glance: discovery first, then how else we know it.
const ORDER: readonly PeerSource[] = ['tracker', 'dht', 'lan', 'pex', 'incoming', 'stored']

const LABEL: Record<PeerSource, string> = {
  tracker: 'Tracker', dht: 'DHT', lan: 'LAN', pex: 'PEX', incoming: 'Incoming', stored: 'Stored'
}

const HINT: Record<PeerSource, string> = {
  tracker: 'A BitTorrent tracker returned this address',
  dht: 'Found in the Mainline DHT',
  lan: 'Announced on your local network',
  pex: 'Passed on by another peer (peer exchange)',
  incoming: 'This peer connected to you',
  stored: 'Remembered from an earlier session'
}

export function SourceBadges ({ sources }: { sources: readonly PeerSource[] }) {
  const known = ORDER.filter(s => sources.includes(s))
  if (known.length === 0) return <span className="source-badges source-badges--none">—</span>
  return (
    <span className="source-badges">
      {known.map(source => (
        <span key={source} className={`source source--${source}`} title={HINT[source]}>{LABEL[source]}</span>
      ))}
    </span>
  )
}
