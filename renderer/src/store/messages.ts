import type { StateCreator } from 'zustand'
import type { Hex, MessageInfo } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

export interface ChannelMessages {
  /** Oldest first, one entry per messageId. */
  list: readonly MessageInfo[]
  /** Whether the core may hold messages older than the first one in `list`. */
  hasMore: boolean
  /**
   * The list is a window on history that stops before the newest message (a search result far
   * back was opened): newer ones are fetched as the reader scrolls down, and live ones wait for that.
   */
  hasNewer: boolean
  loading: boolean
}

export interface MessagesState {
  messages: ReadonlyMap<Hex, ChannelMessages>
}

export interface MessagesActions {
  messagesLoading(channelId: Hex): void
  messagesLoaded(channelId: Hex, page: readonly MessageInfo[], hasMore: boolean): void
  /** A window somewhere in history (around a message, or the newest again) in place of what was held. */
  messagesWindowLoaded(channelId: Hex, page: readonly MessageInfo[], edges: { hasMore: boolean; hasNewer: boolean }): void
  /** The page after the window's newest message. */
  newerMessagesLoaded(channelId: Hex, page: readonly MessageInfo[], hasNewer: boolean): void
  messagesFailed(channelId: Hex): void
  messageReceived(message: MessageInfo): void
  /** Many at once (a catch-up, a burst), merged in one update. */
  messagesReceived(messages: readonly MessageInfo[]): void
  messagesCleared(channelId: Hex): void
  /** A held message was edited, deleted or reacted to: it changes in place, and so do the quotes of it in replies. */
  messageUpdated(message: MessageInfo): void
  /** A member changed its name: the core lists its messages under the new one, and so does the window. */
  authorRenamed(channelId: Hex, author: Hex, name: string): void
}

export type MessagesSlice = MessagesState & MessagesActions

export const initialMessagesState = (): MessagesState => ({ messages: new Map() })

export const EMPTY_CHANNEL_MESSAGES: ChannelMessages = { list: [], hasMore: true, hasNewer: false, loading: false }

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Conversation order, as the core lists it: timestamp, author, seq, id (see MessageInfo.seq). */
export const byTime = (a: MessageInfo, b: MessageInfo): number =>
  a.timestamp - b.timestamp || compareText(a.author, b.author) || a.seq - b.seq || compareText(a.messageId, b.messageId)

/**
 * Merges messages into a sorted list (`existing` is one: every list held comes from here); a
 * message seen again replaces the older copy. An incoming message whose author is newly flagged
 * flags that author's other messages too, held or arriving beside it (the first version of a
 * conflict arrives before its author is known to be flagged).
 */
export function mergeMessages (existing: readonly MessageInfo[], incoming: readonly MessageInfo[]): readonly MessageInfo[] {
  if (incoming.length === 0) return existing
  const flagged = new Set(incoming.filter(m => m.authorFlagged === true).map(m => m.author))
  const unflagged = (m: MessageInfo): boolean => flagged.has(m.author) && m.authorFlagged !== true
  const flag = (m: MessageInfo): MessageInfo => unflagged(m) ? { ...m, authorFlagged: true } : m
  if (existing.some(unflagged)) existing = existing.map(flag)
  if (incoming.some(unflagged)) incoming = incoming.map(flag)
  const last = existing[existing.length - 1]
  // The common case, one live message newer than everything held, stays linear.
  if (incoming.length === 1 && (last === undefined || byTime(last, incoming[0]!) < 0) && !existing.some(m => m.messageId === incoming[0]!.messageId)) {
    return [...existing, incoming[0]!]
  }
  // A catch-up brings thousands into a long list: sort only what came, then merge the two sorted lists in one pass.
  const latest = new Map(incoming.map(m => [m.messageId, m]))
  const added = [...latest.values()].sort(byTime)
  const kept = existing.filter(m => !latest.has(m.messageId))
  const merged: MessageInfo[] = []
  let i = 0
  let j = 0
  while (i < kept.length && j < added.length) merged.push(byTime(kept[i]!, added[j]!) <= 0 ? kept[i++]! : added[j++]!)
  while (i < kept.length) merged.push(kept[i++]!)
  while (j < added.length) merged.push(added[j++]!)
  return merged
}

// What a reply quotes of the message it answers, as the core cuts it (MessageInfo.replyTo).
const QUOTE_CHARS = 200

/**
 * `list` with `message` in place of its held copy and the quotes of it brought up to date; the
 * same array when it holds neither, and every other message kept as it was (their rows do not redraw).
 */
export function withUpdatedMessage (list: readonly MessageInfo[], message: MessageInfo): readonly MessageInfo[] {
  let changed = false
  const next = list.map(m => {
    if (m.messageId === message.messageId) {
      changed = true
      return message
    }
    if (m.replyTo?.messageId !== message.messageId) return m
    changed = true
    const quote = message.deleted === true
      ? { messageId: message.messageId, author: message.author, authorName: message.authorName, deleted: true }
      : { messageId: message.messageId, author: message.author, authorName: message.authorName, text: message.text.slice(0, QUOTE_CHARS) }
    return { ...m, replyTo: quote }
  })
  return changed ? next : list
}

/**
 * What of `incoming` a held list takes: all of it, unless the list is a window that stops before the
 * newest, where those newer than its end would leave a gap (they come with the pages after it).
 */
function within (current: ChannelMessages, incoming: readonly MessageInfo[]): readonly MessageInfo[] {
  const last = current.list[current.list.length - 1]
  if (!current.hasNewer || last === undefined) return incoming
  return incoming.filter(m => byTime(m, last) <= 0)
}

function update (messages: ReadonlyMap<Hex, ChannelMessages>, channelId: Hex, change: (current: ChannelMessages) => ChannelMessages): ReadonlyMap<Hex, ChannelMessages> {
  return new Map(messages).set(channelId, change(messages.get(channelId) ?? EMPTY_CHANNEL_MESSAGES))
}

export const createMessagesSlice: StateCreator<AppState, [], [], MessagesSlice> = set => ({
  ...initialMessagesState(),
  messagesLoading: channelId => { set(s => ({ messages: update(s.messages, channelId, c => ({ ...c, loading: true })) })) },
  messagesLoaded: (channelId, page, hasMore) => {
    set(s => ({ messages: update(s.messages, channelId, c => ({ ...c, list: mergeMessages(c.list, page), hasMore, loading: false })) }))
  },
  messagesWindowLoaded: (channelId, page, { hasMore, hasNewer }) => {
    set(s => ({ messages: update(s.messages, channelId, () => ({ list: mergeMessages([], page), hasMore, hasNewer, loading: false })) }))
  },
  newerMessagesLoaded: (channelId, page, hasNewer) => {
    set(s => ({ messages: update(s.messages, channelId, c => ({ ...c, list: mergeMessages(c.list, page), hasNewer, loading: false })) }))
  },
  messagesFailed: channelId => { set(s => ({ messages: update(s.messages, channelId, c => ({ ...c, loading: false })) })) },
  messageReceived: message => {
    set(s => ({ messages: update(s.messages, message.channelId, c => ({ ...c, list: mergeMessages(c.list, within(c, [message])) })) }))
  },
  messagesReceived: messages => {
    const byChannel = new Map<Hex, MessageInfo[]>()
    for (const m of messages) {
      const list = byChannel.get(m.channelId)
      if (list === undefined) byChannel.set(m.channelId, [m])
      else list.push(m)
    }
    set(s => {
      let next = s.messages
      for (const [channelId, incoming] of byChannel) next = update(next, channelId, c => ({ ...c, list: mergeMessages(c.list, within(c, incoming)) }))
      return { messages: next }
    })
  },
  authorRenamed: (channelId, author, name) => {
    set(s => {
      const current = s.messages.get(channelId)
      if (current === undefined || !current.list.some(m => m.author === author && m.authorName !== name)) return {}
      const list = current.list.map(m => m.author === author ? { ...m, authorName: name } : m)
      return { messages: new Map(s.messages).set(channelId, { ...current, list }) }
    })
  },
  messageUpdated: message => {
    set(s => {
      const current = s.messages.get(message.channelId)
      if (current === undefined) return {}
      const list = withUpdatedMessage(current.list, message)
      if (list === current.list) return {}
      return { messages: new Map(s.messages).set(message.channelId, { ...current, list }) }
    })
  },
  messagesCleared: channelId => {
    set(s => {
      if (!s.messages.has(channelId)) return {}
      const next = new Map(s.messages)
      next.delete(channelId)
      return { messages: next }
    })
  }
})
