// How the connection to a peer runs, said as a person would ("Direct (TCP)", "Through Alice"), with
// the words a network-minded reader looks for kept apart, for a tooltip or a disclosure.
import type { PeerInfo, Transport } from '../../../core/api/contract.ts'

export interface PeerPath {
  /** Direct, or carried by someone else (a member relaying, your proxy). */
  direct: boolean
  label: string
  /** One sentence for a tooltip: what the path means for the user. */
  meaning: string
  /** The technical words: transport as the wire knows it, and how the path was made. */
  transport: string
}

const TRANSPORT_NAME: Record<Transport, string> = { tcp: 'TCP', udp: 'UDP', relay: 'Relay circuit', proxy: 'TCP through a proxy' }

const PORT_FORWARDING = 'Direct, through your router’s port forwarding'

function transportWords (peer: PeerInfo): string {
  const how = [
    peer.punched === true ? 'hole punched' : undefined,
    peer.viaPortMapping === true ? 'in through the mapped port (UPnP / PCP / NAT-PMP)' : undefined
  ].filter(w => w !== undefined)
  return how.length === 0 ? TRANSPORT_NAME[peer.transport] : `${TRANSPORT_NAME[peer.transport]}, ${how.join(', ')}`
}

/** `relay` names the member relaying a relayed connection as the user knows them. */
export function peerPath (peer: PeerInfo, relay: string): PeerPath {
  const transport = transportWords(peer)
  switch (peer.transport) {
    case 'relay':
      return { direct: false, label: `Through ${relay}`, meaning: `Relayed through ${relay}: end-to-end encrypted, ${relay} passes it on without being able to read it`, transport }
    case 'proxy':
      return { direct: false, label: 'Through your proxy', meaning: 'Through the proxy set in Settings: the peer sees the proxy’s address, not yours', transport }
    case 'udp':
      if (peer.punched === true) return { direct: true, label: 'Direct (UDP, through both routers)', meaning: 'BitChat opened a direct path through both of your routers (hole punching)', transport }
      if (peer.viaPortMapping === true) return { direct: true, label: PORT_FORWARDING, meaning: 'The peer came in through the port your router forwards to you', transport }
      return { direct: true, label: 'Direct (UDP)', meaning: 'A direct connection between the two of you', transport }
    case 'tcp':
      if (peer.viaPortMapping === true) return { direct: true, label: PORT_FORWARDING, meaning: 'The peer came in through the port your router forwards to you', transport }
      return { direct: true, label: 'Direct (TCP)', meaning: 'A direct connection between the two of you', transport }
  }
}
