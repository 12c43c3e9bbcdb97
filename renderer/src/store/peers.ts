import type { StateCreator } from 'zustand'
import type { Hex, PeerInfo } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

export interface PeersState {
  /** Connected peers per channel; a channel is present once its list has been fetched or an event arrived. */
  peers: ReadonlyMap<Hex, ReadonlyMap<Hex, PeerInfo>>
}

export interface PeersActions {
  peersListed(channelId: Hex, list: readonly PeerInfo[]): void
  peerConnected(channelId: Hex, peer: PeerInfo): void
  peerDisconnected(channelId: Hex, publicKey: Hex): void
  peersCleared(channelId: Hex): void
}

export type PeersSlice = PeersState & PeersActions

export const initialPeersState = (): PeersState => ({ peers: new Map() })

function withPeer (peers: PeersState['peers'], channelId: Hex, peer: PeerInfo): PeersState['peers'] {
  const channel = new Map(peers.get(channelId)).set(peer.publicKey, peer)
  return new Map(peers).set(channelId, channel)
}

function withoutPeer (peers: PeersState['peers'], channelId: Hex, publicKey: Hex): PeersState['peers'] {
  const current = peers.get(channelId)
  if (current === undefined || !current.has(publicKey)) return peers
  const channel = new Map(current)
  channel.delete(publicKey)
  return new Map(peers).set(channelId, channel)
}

export const createPeersSlice: StateCreator<AppState, [], [], PeersSlice> = set => ({
  ...initialPeersState(),
  peersListed: (channelId, list) => { set(s => ({ peers: new Map(s.peers).set(channelId, new Map(list.map(p => [p.publicKey, p]))) })) },
  peerConnected: (channelId, peer) => { set(s => ({ peers: withPeer(s.peers, channelId, peer) })) },
  peerDisconnected: (channelId, publicKey) => { set(s => ({ peers: withoutPeer(s.peers, channelId, publicKey) })) },
  peersCleared: channelId => {
    set(s => {
      if (!s.peers.has(channelId)) return {}
      const next = new Map(s.peers)
      next.delete(channelId)
      return { peers: next }
    })
  }
})
