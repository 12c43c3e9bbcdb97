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

/** The sidebar's group channels, by name, as people look channels up by name. */
export function sortChannels (channels: ReadonlyMap<Hex, ChannelSummary>): ChannelSummary[] {
  return [...channels.values()].filter(c => !isPrivateConversation(c)).sort((a, b) => byName(a, b) || a.channelId.localeCompare(b.channelId))
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

/** The sidebar's private conversations, by the name of the person, as the contacts are. */
export function sortDirectMessages (channels: ReadonlyMap<Hex, ChannelSummary>, contacts: ReadonlyMap<Hex, ContactInfo>): ChannelSummary[] {
  return [...channels.values()]
    .flatMap(c => {
      const peer = privatePeerOf(c)
      return peer === undefined ? [] : [{ channel: c, name: privatePeerName(peer, contacts) }]
    })
    .sort((a, b) => collator.compare(a.name, b.name) || a.channel.channelId.localeCompare(b.channel.channelId))
    .map(({ channel }) => channel)
}

/** Every conversation in the order the sidebar shows them: channels, then direct messages. */
export function sidebarOrder (channels: ReadonlyMap<Hex, ChannelSummary>, contacts: ReadonlyMap<Hex, ContactInfo>): ChannelSummary[] {
  return [...sortChannels(channels), ...sortDirectMessages(channels, contacts)]
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
