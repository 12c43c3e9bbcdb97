import type { StateCreator } from 'zustand'
import type { ChannelSummary, ContactInfo, Hex } from '../../../core/api/contract.ts'
import { byName } from '../lib/by-name.ts'
import { isPrivateConversation, privatePeerName, privatePeerOf } from '../lib/private-conversation.ts'
import type { AppState } from './store.ts'

export interface ChannelsState {
  channels: ReadonlyMap<Hex, ChannelSummary>
}

export interface ChannelsActions {
  channelsListed(list: readonly ChannelSummary[]): void
  channelUpdated(summary: ChannelSummary): void
  channelRemoved(channelId: Hex): void
  channelPeerCountSet(channelId: Hex, peerCount: number): void
}

export type ChannelsSlice = ChannelsState & ChannelsActions

export const initialChannelsState = (): ChannelsState => ({ channels: new Map() })

function withChannel (channels: ReadonlyMap<Hex, ChannelSummary>, summary: ChannelSummary): ReadonlyMap<Hex, ChannelSummary> {
  return new Map(channels).set(summary.channelId, summary)
}

function withoutChannel (channels: ReadonlyMap<Hex, ChannelSummary>, channelId: Hex): ReadonlyMap<Hex, ChannelSummary> {
  if (!channels.has(channelId)) return channels
  const next = new Map(channels)
  next.delete(channelId)
  return next
}

export function withPeerCount (channels: ReadonlyMap<Hex, ChannelSummary>, channelId: Hex, peerCount: number): ReadonlyMap<Hex, ChannelSummary> {
  const channel = channels.get(channelId)
  if (channel === undefined || channel.peerCount === peerCount) return channels
  return withChannel(channels, { ...channel, peerCount })
}

/** Newest activity first; conversations without a message after them, by `byName`. */
function byActivity<T extends { channel: ChannelSummary }> (byName: (a: T, b: T) => number): (a: T, b: T) => number {
  return (a, b) => {
    const at = a.channel.last?.timestamp
    const bt = b.channel.last?.timestamp
    if (at !== undefined && bt !== undefined && at !== bt) return bt - at
    if ((at === undefined) !== (bt === undefined)) return at === undefined ? 1 : -1
    return byName(a, b)
  }
}

/** The sidebar's group channels: the most recently active first, as messengers list them; those without messages after, by name. */
export function sortChannels (channels: ReadonlyMap<Hex, ChannelSummary>): ChannelSummary[] {
  return [...channels.values()]
    .filter(c => !isPrivateConversation(c))
    .map(channel => ({ channel }))
    .sort(byActivity((a, b) => byName(a.channel, b.channel) || a.channel.channelId.localeCompare(b.channel.channelId)))
    .map(({ channel }) => channel)
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

/**
 * The sidebar's private conversations, by activity as the channels, then by the person's name. One
 * without any message and nothing unread is left out (opening a contact's conversation must not
 * fill the list) unless it is `activeId`, the one open.
 */
export function sortDirectMessages (channels: ReadonlyMap<Hex, ChannelSummary>, contacts: ReadonlyMap<Hex, ContactInfo>, activeId: Hex | null = null): ChannelSummary[] {
  return [...channels.values()]
    .flatMap(c => {
      const peer = privatePeerOf(c)
      if (peer === undefined || (c.last === undefined && c.unread === 0 && c.channelId !== activeId)) return []
      return [{ channel: c, name: privatePeerName(peer, contacts) }]
    })
    .sort(byActivity((a, b) => collator.compare(a.name, b.name) || a.channel.channelId.localeCompare(b.channel.channelId)))
    .map(({ channel }) => channel)
}

/** Every conversation in the order the sidebar shows them: channels, then direct messages. */
export function sidebarOrder (channels: ReadonlyMap<Hex, ChannelSummary>, contacts: ReadonlyMap<Hex, ContactInfo>, activeId: Hex | null = null): ChannelSummary[] {
  return [...sortChannels(channels), ...sortDirectMessages(channels, contacts, activeId)]
}

/** The open channel shows no badge: its messages are in view, and the core's count catches up once marked read. */
export function shownUnread (channel: ChannelSummary, activeId: Hex | null): number {
  return channel.channelId === activeId ? 0 : channel.unread
}

export const createChannelsSlice: StateCreator<AppState, [], [], ChannelsSlice> = set => ({
  ...initialChannelsState(),
  channelsListed: list => { set({ channels: new Map(list.map(c => [c.channelId, c])) }) },
  channelUpdated: summary => { set(s => ({ channels: withChannel(s.channels, summary) })) },
  channelRemoved: channelId => { set(s => ({ channels: withoutChannel(s.channels, channelId) })) },
  channelPeerCountSet: (channelId, peerCount) => { set(s => ({ channels: withPeerCount(s.channels, channelId, peerCount) })) }
})
