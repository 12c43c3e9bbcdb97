import type { BitChatClient, Hex, MessageInfo } from '../../../core/api/contract.ts'
import { actions } from '../store/store.ts'
import { becameReady, forgetChannel } from './commands.ts'
import { forgetContact } from './contacts.ts'
import { notifyInvitation } from './invitations.ts'
import { loadMembers } from './members.ts'
import { isNetworkPanelOpen, refreshNetworkStatus } from './network-status.ts'
import { rekeyNotice } from '../lib/rekey-notice.ts'

/**
 * How long received messages gather before they reach the store together: a catch-up or a burst
 * of thousands then costs a few merges and renders, not one each, and the window stays responsive.
 */
export const MESSAGE_BATCH_MS = 50

/** Feeds the core's events into the store; returns the unsubscribe. */
export function bindEvents (client: BitChatClient): () => void {
  let pending: MessageInfo[] = []
  let flushTimer: ReturnType<typeof setTimeout> | null = null
  const flushMessages = (): void => {
    if (flushTimer !== null) clearTimeout(flushTimer)
    flushTimer = null
    const batch = pending
    pending = []
    if (batch.length === 1) actions().messageReceived(batch[0]!)
    else if (batch.length > 1) actions().messagesReceived(batch)
    flagMembers(batch)
  }
  // The members list learns of a flagged author with the message that shows it, not at its next poll.
  const flagMembers = (batch: readonly MessageInfo[]): void => {
    for (const m of batch) {
      if (m.authorFlagged !== true) continue
      const member = actions().peers.get(m.channelId)?.get(m.author)
      if (member !== undefined && member.flagged !== true) actions().peerConnected(m.channelId, { ...member, flagged: true })
    }
  }
  const syncPeerCount = (channelId: Hex): void => {
    const peers = actions().peers.get(channelId)
    if (peers !== undefined) actions().channelPeerCountSet(channelId, peers.size)
  }
  // A session coming or going changes address states at once; the open panel should not wait for its next poll.
  const refreshNetworkIfShown = (): void => {
    if (isNetworkPanelOpen()) void refreshNetworkStatus(client)
  }
  // Someone coming or going moves between Online and Offline in a members list already read.
  const refreshMembersIfRead = (channelId: Hex): void => {
    if (actions().members.has(channelId)) void loadMembers(client, channelId)
  }

  const offs = [
    // Whether a message was seen is the message list's to say: it knows what is in view.
    client.on('message.received', ({ more, ...message }) => {
      pending.push(message, ...(more ?? []))
      flushTimer ??= setTimeout(flushMessages, MESSAGE_BATCH_MS)
    }),
    // A channel's summary counts the messages gathered so far: they go in first.
    client.on('channel.updated', summary => { flushMessages(); actions().channelUpdated(summary) }),
    client.on('channel.removed', ({ channelId }) => { forgetChannel(channelId) }),
    client.on('peer.connected', ({ channelId, ...peer }) => {
      actions().peerConnected(channelId, peer)
      syncPeerCount(channelId)
      refreshNetworkIfShown()
      refreshMembersIfRead(channelId)
    }),
    client.on('peer.updated', ({ channelId, ...peer }) => {
      actions().peerConnected(channelId, peer)
      actions().authorRenamed(channelId, peer.publicKey, peer.name)
    }),
    client.on('peer.disconnected', ({ channelId, publicKey }) => {
      actions().peerDisconnected(channelId, publicKey)
      syncPeerCount(channelId)
      refreshNetworkIfShown()
      refreshMembersIfRead(channelId)
    }),
    // An update of a message still gathering must find it in the store.
    client.on('message.updated', message => { flushMessages(); actions().messageUpdated(message) }),
    client.on('typing', ({ channelId, publicKey, typing }) => { actions().typingChanged(channelId, publicKey, typing) }),
    client.on('receipt', ({ channelId, ...receipt }) => { actions().receiptReceived(channelId, receipt) }),
    client.on('contact.updated', contact => { actions().contactUpdated(contact) }),
    client.on('contact.removed', ({ publicKey }) => { forgetContact(publicKey) }),
    client.on('invitation.received', invitation => {
      actions().invitationReceived(invitation)
      notifyInvitation(invitation, () => { if (actions().invitations.size > 1) actions().dialogOpened({ kind: 'invitations' }) })
    }),
    // Your name for a removed person if they are a contact, else the one they signed, else their fingerprint.
    client.on('channel.rekeyed', ({ channelId, removed }) => {
      const known = actions().members.get(channelId)
      const names = removed.map(key => {
        const member = known?.find(m => m.publicKey === key)
        return actions().contacts.get(key)?.name ?? member?.name ?? member?.fingerprint ?? `${key.slice(0, 8)}…`
      })
      actions().noticePosted('info', rekeyNotice(actions().channels.get(channelId)?.name ?? 'channel', names))
      refreshMembersIfRead(channelId)
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
    flushMessages()
  }
}
