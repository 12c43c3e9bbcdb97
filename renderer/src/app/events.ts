import type { BitChatClient, Hex } from '../../../core/api/contract.ts'
import { actions } from '../store/store.ts'
import { becameReady, forgetChannel, markRead } from './commands.ts'
import { isNetworkPanelOpen, refreshNetworkStatus } from './network-status.ts'

// Reading along in the open channel clears its badge, but not once per message of a burst.
const MARK_READ_DELAY_MS = 400

/** Feeds the core's events into the store; returns the unsubscribe. */
export function bindEvents (client: BitChatClient): () => void {
  const markReadTimers = new Map<Hex, ReturnType<typeof setTimeout>>()
  const markReadSoon = (channelId: Hex): void => {
    if (markReadTimers.has(channelId)) return
    markReadTimers.set(channelId, setTimeout(() => {
      markReadTimers.delete(channelId)
      void markRead(client, channelId)
    }, MARK_READ_DELAY_MS))
  }
  const syncPeerCount = (channelId: Hex): void => {
    const peers = actions().peers.get(channelId)
    if (peers !== undefined) actions().channelPeerCountSet(channelId, peers.size)
  }
  // A session coming or going changes address states at once; the open panel should not wait for its next poll.
  const refreshNetworkIfShown = (): void => {
    if (isNetworkPanelOpen()) void refreshNetworkStatus(client)
  }
  // Messages that arrived in the open channel while the window was hidden are read once it shows.
  const markReadOnShow = (): void => {
    if (document.visibilityState !== 'visible') return
    const { activeChannelId, channels } = actions()
    if (activeChannelId !== null && (channels.get(activeChannelId)?.unread ?? 0) > 0) void markRead(client, activeChannelId)
  }
  document.addEventListener('visibilitychange', markReadOnShow)

  const offs = [
    client.on('message.received', message => {
      actions().messageReceived(message)
      if (!message.own && message.channelId === actions().activeChannelId && document.visibilityState === 'visible') {
        markReadSoon(message.channelId)
      }
    }),
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
    document.removeEventListener('visibilitychange', markReadOnShow)
    for (const off of offs) off()
    for (const timer of markReadTimers.values()) clearTimeout(timer)
  }
}
