import { describe, expect, it } from 'vitest'
import type { ChannelSummary } from '../../core/api/contract.ts'
import { sidebarOrder, sortChannels, sortDirectMessages, withPeerCount } from '../../renderer/src/store/channels.ts'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, contact, hex, lastMessage, privateChat } from './helpers/fake-core.ts'

describe('channels slice', () => {
  it('replaces all channels when the list is loaded', () => {
    actions().channelUpdated(channel(9))
    actions().channelsListed([channel(1), channel(2)])
    const state = useAppStore.getState()
    expect([...state.channels.keys()]).toEqual([hex(1), hex(2)])
  })

  it('upserts an updated channel into a new map, leaving the old one untouched', () => {
    actions().channelsListed([channel(1)])
    const before = useAppStore.getState().channels
    actions().channelUpdated(channel(1, { unread: 3, peerCount: 2 }))
    const after = useAppStore.getState().channels
    expect(after).not.toBe(before)
    expect(before.get(hex(1))?.unread).toBe(0)
    expect(after.get(hex(1))).toMatchObject({ unread: 3, peerCount: 2 })
  })

  it('removes a channel', () => {
    actions().channelsListed([channel(1), channel(2)])
    actions().channelRemoved(hex(1))
    expect([...useAppStore.getState().channels.keys()]).toEqual([hex(2)])
  })

  it('keeps the same map when removing a channel it does not have', () => {
    actions().channelsListed([channel(1)])
    const before = useAppStore.getState().channels
    actions().channelRemoved(hex(7))
    expect(useAppStore.getState().channels).toBe(before)
  })

  it('sets a peer count only where it changed', () => {
    const channels = new Map([[hex(1), channel(1, { peerCount: 2 })]])
    expect(withPeerCount(channels, hex(1), 2)).toBe(channels)
    expect(withPeerCount(channels, hex(1), 5).get(hex(1))?.peerCount).toBe(5)
    expect(withPeerCount(channels, hex(9), 5)).toBe(channels)
  })

  it('sorts channels by name, ignoring case and numbering naturally', () => {
    const channels = new Map([
      [hex(1), channel(1, { name: 'zeta' })],
      [hex(2), channel(2, { name: 'Alpha' })],
      [hex(3), channel(3, { name: 'team 10' })],
      [hex(4), channel(4, { name: 'team 9' })]
    ])
    expect(sortChannels(channels).map(c => c.name)).toEqual(['Alpha', 'team 9', 'team 10', 'zeta'])
  })
})

describe('the sidebar’s order of conversations', () => {
  const list = (...summaries: ChannelSummary[]) => new Map(summaries.map(c => [c.channelId, c]))

  it('lists group channels only among the channels', () => {
    expect(sortChannels(list(channel(1, { name: 'b' }), privateChat(1), channel(2, { name: 'a' }))).map(c => c.name)).toEqual(['a', 'b'])
  })

  it('lists private conversations by the person’s name as you know them', () => {
    const contacts = new Map([[contact(2).publicKey, contact(2, { name: 'Ann' })]])
    const said = { last: lastMessage(5) }
    expect(sortDirectMessages(list(channel(1), privateChat(1, said, 'zoe'), privateChat(2, said)), contacts).map(c => c.peer?.publicKey))
      .toEqual([contact(2).publicKey, contact(1).publicKey])
  })

  it('goes channels first, then direct messages, for moving between them with the keyboard', () => {
    expect(sidebarOrder(list(privateChat(1, { unread: 1 }), channel(1, { name: 'x' })), new Map()).map(c => c.channelId)).toEqual([channel(1).channelId, privateChat(1).channelId])
  })

  it('puts the most recently active channel first, and those without messages after, by name', () => {
    const channels = list(
      channel(1, { name: 'quiet' }),
      channel(2, { name: 'busy', last: lastMessage(1) }),
      channel(3, { name: 'Alpha' }),
      channel(4, { name: 'older', last: lastMessage(60) })
    )
    expect(sortChannels(channels).map(c => c.name)).toEqual(['busy', 'older', 'Alpha', 'quiet'])
  })

  it('sorts direct messages by activity, and leaves out those with no message and nothing unread but the open one', () => {
    const chats = list(privateChat(1), privateChat(2, { last: lastMessage(60) }), privateChat(3, { last: lastMessage(2) }), privateChat(4, { unread: 2 }))
    expect(sortDirectMessages(chats, new Map()).map(c => c.peer?.name)).toEqual(['Peer 3', 'Peer 2', 'Peer 4'])
    expect(sortDirectMessages(chats, new Map(), privateChat(1).channelId).map(c => c.peer?.name)).toEqual(['Peer 3', 'Peer 2', 'Peer 1', 'Peer 4'])
    expect(sidebarOrder(chats, new Map()).map(c => c.peer?.name)).toEqual(['Peer 3', 'Peer 2', 'Peer 4'])
  })
})
