// What the UI asks of the core: each command calls the client, then feeds the answer to the store.
import type { BitChatClient, ChannelCreateParams, ChannelJoinParams, Hex, IdentityInfo, MessageInfo, Settings } from '../../../core/api/contract.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { readChatFile } from '../lib/chat-file.ts'
import { readLastConversation, writeLastConversation } from '../lib/last-conversation.ts'
import { sidebarOrder } from '../store/channels.ts'
import { mergeMessages } from '../store/messages.ts'
import { actions } from '../store/store.ts'
import { loadContacts } from './contacts.ts'
import { loadInvitations } from './invitations.ts'

const PAGE_SIZE = 200
// Opening a channel fetches every unread message plus some context, within reason.
const MAX_FIRST_PAGE = 2000

/** Reloads everything after start or a reconnect, since events may have been missed meanwhile. */
export async function refreshAll (client: BitChatClient): Promise<void> {
  const status = await client.call('identity.status', {})
  actions().identityStatusChanged(status)
  if (status.state === 'ready') await loadWorkspace(client)
}

export async function loadWorkspace (client: BitChatClient): Promise<void> {
  // Each answer goes in as it comes: the list held back for settings would overwrite events that followed it.
  await Promise.all([
    client.call('channels.list', {}).then(channels => { actions().channelsListed(channels) }),
    client.call('settings.get', {}).then(settings => { actions().settingsLoaded(settings) }),
    loadContacts(client),
    loadInvitations(client)
  ])
  // actions() is a snapshot of the state: read it again after each change.
  const { activeChannelId: active, channels: loaded, contacts, identityStatus } = actions()
  // The one open before, else the one open when this window last closed (if it was not left since), else the first.
  const me = identityStatus?.identity?.publicKey
  const last = me === undefined ? null : readLastConversation(me)
  const next = active !== null && loaded.has(active) ? active : last !== null && loaded.has(last) ? last : sidebarOrder(loaded, contacts)[0]?.channelId ?? null
  if (next === null) actions().channelSelected(null)
  else await openChannel(client, next)
}

/**
 * Records a ready identity. The core announces it with identity.updated before answering create or
 * unlock, so whichever arrives first loads the workspace and the other finds it ready already.
 */
export async function becameReady (client: BitChatClient, info: IdentityInfo): Promise<void> {
  const wasReady = actions().identityStatus?.state === 'ready'
  actions().identityReady(info)
  if (!wasReady) await loadWorkspace(client)
}

export async function createIdentity (client: BitChatClient, name: string, passphrase: string): Promise<void> {
  const params = passphrase === '' ? { name } : { name, passphrase }
  await becameReady(client, await client.call('identity.create', params))
}

export async function unlockIdentity (client: BitChatClient, passphrase: string): Promise<void> {
  await becameReady(client, await client.call('identity.unlock', { passphrase }))
}

export async function setDisplayName (client: BitChatClient, name: string): Promise<void> {
  actions().identityReady(await client.call('identity.setName', { name }))
}

/** `current` is the passphrase set today, which the core requires to change or remove it. */
export async function setPassphrase (client: BitChatClient, passphrase: string | null, current?: string): Promise<void> {
  actions().identityReady(await client.call('identity.setPassphrase', current === undefined ? { passphrase } : { passphrase, current }))
}

export async function saveSettings (client: BitChatClient, patch: Partial<Omit<Settings, 'dataDir'>>): Promise<void> {
  actions().settingsLoaded(await client.call('settings.set', patch))
}

/** The last `unread` messages from others are the unread ones; the first of them gets the divider. */
export function firstUnread (list: readonly MessageInfo[], unread: number): MessageInfo | undefined {
  if (unread <= 0) return undefined
  const fromOthers = list.filter(m => !m.own)
  return fromOthers[Math.max(0, fromOthers.length - unread)]
}

/**
 * Shows a channel from its first unread message, or (`around`) with the history around one message
 * (the list then scrolls to it: see `messageFocused`). Marked loading before it is shown, so the list
 * waits for the page and the marker rather than placing itself on messages cached meanwhile;
 * the list marks the channel read once its newest message has been in view.
 */
export async function openChannel (client: BitChatClient, channelId: Hex, around?: Hex): Promise<void> {
  const unread = actions().channels.get(channelId)?.unread ?? 0
  const limit = around === undefined ? Math.min(MAX_FIRST_PAGE, Math.max(PAGE_SIZE, unread + 50)) : PAGE_SIZE
  actions().messagesLoading(channelId)
  actions().channelSelected(channelId)
  const me = actions().identityStatus?.identity?.publicKey
  if (me !== undefined) writeLastConversation(me, channelId)
  try {
    const [page, peers] = await Promise.all([
      client.call('messages.list', around === undefined ? { channelId, limit } : { channelId, limit, around }),
      client.call('peers.list', { channelId }),
      loadReceipts(client, channelId)
    ])
    const after = actions()
    const held = after.messages.get(channelId)
    if (around !== undefined || held?.hasNewer === true) {
      // A window that may stop short of the newest replaces what was held, which would otherwise leave a gap.
      const newest = after.channels.get(channelId)?.last?.messageId
      const whole = page.length < limit
      after.messagesWindowLoaded(channelId, page, {
        hasMore: !whole,
        hasNewer: around !== undefined && !whole && !page.some(m => m.messageId === newest)
      })
    } else {
      // The marker goes in before the messages so the list's first scroll already knows where to land.
      const marker = firstUnread(mergeMessages(held?.list ?? [], page), unread)
      if (marker !== undefined && after.activeChannelId === channelId) after.unreadMarkerSet({ channelId, messageId: marker.messageId })
      after.messagesLoaded(channelId, page, page.length >= limit)
    }
    after.peersListed(channelId, peers)
    after.channelPeerCountSet(channelId, peers.length)
  } catch (err) {
    actions().messagesFailed(channelId)
    actions().noticePosted('error', `Could not load the channel: ${errorMessageOf(err)}`)
  }
}

/** Shows a channel the shell asked for; before the identity is ready, the choice waits for the workspace load. */
export async function focusChannel (client: BitChatClient, channelId: Hex): Promise<void> {
  if (actions().identityStatus?.state !== 'ready') {
    actions().channelSelected(channelId)
    return
  }
  await ensureListed(client, channelId)
  if (actions().channels.has(channelId)) await openChannel(client, channelId)
}

export async function loadOlderMessages (client: BitChatClient, channelId: Hex): Promise<void> {
  const current = actions().messages.get(channelId)
  const oldest = current?.list[0]
  if (current === undefined || current.loading || !current.hasMore || oldest === undefined) return
  actions().messagesLoading(channelId)
  try {
    const page = await client.call('messages.list', { channelId, limit: PAGE_SIZE, before: oldest.messageId })
    // A page with nothing older than what is held means the history is complete, whatever its size.
    const known = new Set(current.list.map(m => m.messageId))
    const progressed = page.some(m => !known.has(m.messageId))
    actions().messagesLoaded(channelId, page, progressed && page.length >= PAGE_SIZE)
  } catch (err) {
    actions().messagesFailed(channelId)
    actions().noticePosted('error', `Could not load older messages: ${errorMessageOf(err)}`)
  }
}

/** The page after the newest message of a window that stops short of the newest. */
export async function loadNewerMessages (client: BitChatClient, channelId: Hex): Promise<void> {
  const current = actions().messages.get(channelId)
  const newest = current?.list[current.list.length - 1]
  if (current === undefined || current.loading || !current.hasNewer || newest === undefined) return
  actions().messagesLoading(channelId)
  try {
    const page = await client.call('messages.list', { channelId, limit: PAGE_SIZE, after: newest.messageId })
    actions().newerMessagesLoaded(channelId, page, page.length >= PAGE_SIZE)
  } catch (err) {
    actions().messagesFailed(channelId)
    actions().noticePosted('error', `Could not load newer messages: ${errorMessageOf(err)}`)
  }
}

/** Back to the newest messages from a window far back in history, in place of it. */
export async function showLatest (client: BitChatClient, channelId: Hex): Promise<void> {
  actions().messagesLoading(channelId)
  try {
    const page = await client.call('messages.list', { channelId, limit: PAGE_SIZE })
    actions().messagesWindowLoaded(channelId, page, { hasMore: page.length >= PAGE_SIZE, hasNewer: false })
  } catch (err) {
    actions().messagesFailed(channelId)
    actions().noticePosted('error', `Could not load the newest messages: ${errorMessageOf(err)}`)
  }
}

export async function markRead (client: BitChatClient, channelId: Hex): Promise<void> {
  const channel = actions().channels.get(channelId)
  if (channel !== undefined && channel.unread > 0) actions().channelUpdated({ ...channel, unread: 0 })
  try {
    await client.call('channels.markRead', { channelId })
  } catch {
    // Only the unread badge is at stake, and the core will send the true count with its next update.
  }
}

let nextLocalId = 1

/**
 * Shows the message at once as sending, then as the core stored it; if the core also echoes it as
 * an event, the copies merge by id; `replyTo` makes it a reply to that message. A refusal takes the sending row away and is the caller's to tell.
 */
/** `mentions`: the people the text names with `@name`, by key. */
export async function sendMessage (client: BitChatClient, channelId: Hex, text: string, replyTo?: MessageInfo, mentions: readonly Hex[] = []): Promise<void> {
  // Sent from a window far back in history, a message shows where it goes: at the newest.
  if (actions().messages.get(channelId)?.hasNewer === true) await showLatest(client, channelId)
  const localId = `sending:${nextLocalId++}`
  const quote = replyTo === undefined ? undefined : { messageId: replyTo.messageId, author: replyTo.author, authorName: replyTo.authorName, text: replyTo.text.slice(0, 200) }
  actions().sendStarted({ localId, channelId, text, timestamp: Date.now(), ...(quote === undefined ? {} : { replyTo: quote }) })
  try {
    const { message } = await client.call('messages.send', {
      channelId,
      text,
      ...(replyTo === undefined ? {} : { replyTo: replyTo.messageId }),
      ...(mentions.length === 0 ? {} : { mentions: [...mentions] })
    })
    actions().messageReceived(message)
  } finally {
    actions().sendSettled(channelId, localId)
  }
}

/**
 * Each member's receipt for our messages in a channel, raised by `receipt` events from then on.
 * A failure leaves the states the core gave each message when it listed it: still true, only less fresh.
 */
export async function loadReceipts (client: BitChatClient, channelId: Hex): Promise<void> {
  try {
    actions().receiptsListed(channelId, await client.call('channels.receipts', { channelId }))
  } catch {
    // The marks keep the figures messages.list gave; the next opening of the channel asks again.
  }
}

export async function createChannel (client: BitChatClient, params: ChannelCreateParams): Promise<Hex> {
  const { channelId } = await client.call('channels.create', params)
  await ensureListed(client, channelId)
  await openChannel(client, channelId)
  return channelId
}

export async function joinChannel (client: BitChatClient, params: ChannelJoinParams): Promise<{ channelId: Hex; name: string }> {
  const joined = await client.call('channels.join', params)
  await ensureListed(client, joined.channelId)
  await openChannel(client, joined.channelId)
  // The channel shows why in full; the notice must not claim a welcome nobody will give.
  if (actions().channels.get(joined.channelId)?.access === 'not-member') {
    actions().noticePosted('error', `Added #${joined.name}, but you are not on its member list: its members will not let you in.`)
  } else {
    actions().noticePosted('info', `Joined #${joined.name}`)
  }
  return joined
}

/** Opens the private conversation with someone (the core joins it if needed) and shows it. */
export async function messagePerson (client: BitChatClient, publicKey: Hex): Promise<Hex> {
  const { channelId } = await client.call('conversations.openPrivate', { publicKey })
  await ensureListed(client, channelId)
  await openChannel(client, channelId)
  return channelId
}

export async function joinChatFile (client: BitChatClient, file: File): Promise<void> {
  await joinChannel(client, { data: await readChatFile(file) })
}

export async function leaveChannel (client: BitChatClient, channelId: Hex): Promise<void> {
  await client.call('channels.leave', { channelId })
  forgetChannel(channelId)
  const next = sidebarOrder(actions().channels, actions().contacts)[0]
  if (next !== undefined && actions().activeChannelId === null) await openChannel(client, next.channelId)
}

/** Drops everything held about a channel the core no longer has. */
export function forgetChannel (channelId: Hex): void {
  const { activeChannelId, dialog } = actions()
  actions().channelRemoved(channelId)
  actions().messagesCleared(channelId)
  actions().peersCleared(channelId)
  actions().membersCleared(channelId)
  actions().receiptsCleared(channelId)
  actions().draftChanged(channelId, '')
  actions().composeModeSet(channelId, null)
  actions().typingCleared(channelId)
  if (activeChannelId === channelId) actions().channelSelected(null)
  if (dialog !== null && 'channelId' in dialog && dialog.channelId === channelId) actions().dialogClosed()
}

/** The core's channel.updated normally lists a new channel first; one joined from a file or an event lost to a reconnect may still be missing. */
async function ensureListed (client: BitChatClient, channelId: Hex): Promise<void> {
  if (actions().channels.has(channelId)) return
  actions().channelsListed(await client.call('channels.list', {}))
}
