import type { BitChatClient, Hex } from '../../../core/api/contract.ts'
import { actions } from '../store/store.ts'
import { becameReady, forgetChannel } from './commands.ts'
import { isNetworkPanelOpen, refreshNetworkStatus } from './network-status.ts'

/** Feeds the core's events into the store; returns the unsubscribe. */
export function bindEvents (client: BitChatClient): () => void {
  const syncPeerCount = (channelId: Hex): void => {
    const peers = actions().peers.get(channelId)
    if (peers !== undefined) actions().channelPeerCountSet(channelId, peers.size)
  }
  // A session coming or going changes address states at once; the open panel should not wait for its next poll.
  const refreshNetworkIfShown = (): void => {
    if (isNetworkPanelOpen()) void refreshNetworkStatus(client)
  }

  const offs = [
    // Whether a message was seen is the message list's to say: it knows what is in view.
    client.on('message.received', message => { actions().messageReceived(message) }),
    client.on('channel.updated', summary => { actions().channelUpdated(summary) }),
    client.on('channel.removed', ({ channelId }) => { forgetChannel(channelId) }),
    client.on('peer.connected', ({ channelId, ...peer }) => {
      actions().peerConnected(channelId, peer)
      syncPeerCount(channelId)
      refreshNetworkIfShown()
    }),
    client.on('peer.updated', ({ channelId, ...peer }) => {
      actions().peerConnected(channelId, peer)
      actions().authorRenamed(channelId, peer.publicKey, peer.name)
    }),
    client.on('peer.disconnected', ({ channelId, publicKey }) => {
      actions().peerDisconnected(channelId, publicKey)
      syncPeerCount(channelId)
      refreshNetworkIfShown()
    }),
    client.on('identity.updated', status => {
      if (status.state !== 'ready' || status.identity === undefined) {
        actions().identityStatusChanged(status)
        return
      }
      becameReady(client, status.identity).catch(() => { actions().noticePosted('error', 'Could not load your channels') })
    })
  ]
  return () => {
    for (const off of offs) off()
  }
}
