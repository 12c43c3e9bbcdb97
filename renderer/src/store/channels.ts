import type { StateCreator } from 'zustand'
import type { ChannelSummary, Hex } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

export interface ChannelsState {
  channels: ReadonlyMap<Hex, ChannelSummary>
  channelsLoaded: boolean
}

export interface ChannelsActions {
  channelsListed(list: readonly ChannelSummary[]): void
  channelUpdated(summary: ChannelSummary): void
  channelRemoved(channelId: Hex): void
  channelPeerCountSet(channelId: Hex, peerCount: number): void
}

export type ChannelsSlice = ChannelsState & ChannelsActions

export const initialChannelsState = (): ChannelsState => ({ channels: new Map(), channelsLoaded: false })

export function withChannel (channels: ReadonlyMap<Hex, ChannelSummary>, summary: ChannelSummary): ReadonlyMap<Hex, ChannelSummary> {
  return new Map(channels).set(summary.channelId, summary)
}

export function withoutChannel (channels: ReadonlyMap<Hex, ChannelSummary>, channelId: Hex): ReadonlyMap<Hex, ChannelSummary> {
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

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

/** Sidebar order: by name, as people look channels up by name. */
export function sortChannels (channels: ReadonlyMap<Hex, ChannelSummary>): ChannelSummary[] {
  return [...channels.values()].sort((a, b) => collator.compare(a.name, b.name) || a.channelId.localeCompare(b.channelId))
}

export const createChannelsSlice: StateCreator<AppState, [], [], ChannelsSlice> = set => ({
  ...initialChannelsState(),
  channelsListed: list => { set({ channels: new Map(list.map(c => [c.channelId, c])), channelsLoaded: true }) },
  channelUpdated: summary => { set(s => ({ channels: withChannel(s.channels, summary) })) },
  channelRemoved: channelId => { set(s => ({ channels: withoutChannel(s.channels, channelId) })) },
  channelPeerCountSet: (channelId, peerCount) => { set(s => ({ channels: withPeerCount(s.channels, channelId, peerCount) })) }
})
