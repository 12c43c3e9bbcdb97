import type { StateCreator } from 'zustand'
import type { ChannelSummary, Hex } from '../../../core/api/contract.ts'
import { byName } from '../lib/by-name.ts'
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

/** Sidebar order: by name, as people look channels up by name. */
export function sortChannels (channels: ReadonlyMap<Hex, ChannelSummary>): ChannelSummary[] {
  return [...channels.values()].sort((a, b) => byName(a, b) || a.channelId.localeCompare(b.channelId))
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
