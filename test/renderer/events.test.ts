import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createIdentity } from '../../renderer/src/app/commands.ts'
import { bindEvents } from '../../renderer/src/app/events.ts'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, ME, member, message, peer, privateChat } from './helpers/fake-core.ts'

let core: FakeCore
let unbind: () => void

beforeEach(() => {
  core = new FakeCore()
  unbind = bindEvents(core)
  actions().identityReady(ME)
})
afterEach(() => { unbind() })

const state = () => useAppStore.getState()

describe('core events', () => {
  it('message.received adds the message to its channel', async () => {
    core.emit('message.received', message(1))
    await expect.poll(() => state().messages.get(hex(1))?.list).toEqual([message(1)])
  })

  it('a burst of messages reaches the store in a few updates, not one each', async () => {
    let updates = 0
    const unsubscribe = useAppStore.subscribe((next, previous) => { if (next.messages !== previous.messages) updates++ })
    // Out of order, as history from reconciliation comes: each one alone would re-sort the list.
    for (let i = 2000; i > 0; i--) core.emit('message.received', message(i))
    await expect.poll(() => state().messages.get(hex(1))?.list.length).toBe(2000)
    unsubscribe()
    expect(updates).toBeLessThanOrEqual(3)
    expect(state().messages.get(hex(1))?.list.map(m => m.seq)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1))
  })

  it('messages that arrive as one group (`more`) each reach their channel, in one update', async () => {
    let updates = 0
    const unsubscribe = useAppStore.subscribe((next, previous) => { if (next.messages !== previous.messages) updates++ })
    core.emit('message.received', { ...message(3), more: [message(1), message(2)] })
    await expect.poll(() => state().messages.get(hex(1))?.list.map(m => m.seq)).toEqual([1, 2, 3])
    unsubscribe()
    expect(updates).toBe(1)
    expect(state().messages.get(hex(1))?.list.some(m => 'more' in m)).toBe(false)
  })

  it('a message from a flagged author flags that member in the members list at once, not at the next poll', async () => {
    const liar = peer(7)
    actions().peersListed(hex(1), [liar, peer(8)])
    core.emit('message.received', message(1, { author: liar.publicKey, authorFlagged: true }))
    await expect.poll(() => state().peers.get(hex(1))?.get(liar.publicKey)?.flagged).toBe(true)
    expect(state().peers.get(hex(1))?.get(peer(8).publicKey)?.flagged).toBeUndefined()
  })

  it('messages gathered so far reach the store before a channel update that counts them', () => {
    core.emit('message.received', message(1))
    core.emit('channel.updated', channel(1, { unread: 1 }))
    expect(state().messages.get(hex(1))?.list).toEqual([message(1)])
  })

  it('channel.updated upserts the channel summary', () => {
    core.emit('channel.updated', channel(1, { unread: 2 }))
    expect(state().channels.get(hex(1))?.unread).toBe(2)
  })

  it('channel.removed forgets the channel, its messages, peers and selection', () => {
    actions().channelsListed([channel(1)])
    actions().messagesLoaded(hex(1), [message(1)], false)
    actions().peersListed(hex(1), [peer(1)])
    actions().channelSelected(hex(1))
    core.emit('channel.removed', { channelId: hex(1) })
    expect(state().channels.has(hex(1))).toBe(false)
    expect(state().messages.has(hex(1))).toBe(false)
    expect(state().peers.has(hex(1))).toBe(false)
    expect(state().activeChannelId).toBeNull()
  })

  it('peer.connected and peer.disconnected keep the members and the peer count in step', () => {
    actions().channelsListed([channel(1)])
    actions().peersListed(hex(1), [])
    core.emit('peer.connected', { ...peer(1), channelId: hex(1) })
    core.emit('peer.connected', { ...peer(2), channelId: hex(1) })
    expect(state().peers.get(hex(1))?.get(peer(1).publicKey)).toEqual(peer(1))
    expect(state().channels.get(hex(1))?.peerCount).toBe(2)
    core.emit('peer.disconnected', { channelId: hex(1), publicKey: peer(1).publicKey, reason: 'timeout' })
    expect([...(state().peers.get(hex(1))?.keys() ?? [])]).toEqual([peer(2).publicKey])
    expect(state().channels.get(hex(1))?.peerCount).toBe(1)
  })

  it('peer.updated shows a peer’s new name in the members list and on its messages', () => {
    actions().channelsListed([channel(1)])
    actions().peersListed(hex(1), [peer(1)])
    actions().messagesLoaded(hex(1), [message(1), message(2, { author: hex(7), authorName: 'Other' })], false)
    core.emit('peer.updated', { ...peer(1, { name: 'Renamed' }), channelId: hex(1) })
    expect(state().peers.get(hex(1))?.get(peer(1).publicKey)?.name).toBe('Renamed')
    expect(state().messages.get(hex(1))?.list.map(m => m.authorName)).toEqual(['Renamed', 'Other'])
  })

  it('identity.updated replaces the identity status', () => {
    core.emit('identity.updated', { state: 'locked' })
    expect(state().identityStatus).toEqual({ state: 'locked' })
  })

  it('identity.updated to ready loads the channels', async () => {
    actions().identityStatusChanged({ state: 'locked' })
    core.addChannel(channel(1))
    core.emit('identity.updated', { state: 'ready', identity: ME })
    await expect.poll(() => state().channels.size).toBe(1)
  })

  it('identity.updated ahead of the create answer loads the workspace only once', async () => {
    core.status = { state: 'none' }
    actions().identityStatusChanged({ state: 'none' })
    core.addChannel(channel(1))
    const created = createIdentity(core, 'Dana', '')
    core.emit('identity.updated', { state: 'ready', identity: ME })
    await created
    await expect.poll(() => state().activeChannelId).toBe(hex(1))
    expect(core.callsOf('channels.list')).toHaveLength(1)
  })

  it('stops delivering after unbinding', () => {
    unbind()
    core.emit('channel.updated', channel(1))
    expect(state().channels.size).toBe(0)
  })

  it('a member connecting or leaving re-reads a members list already read, so they move between Online and Offline', async () => {
    actions().membersListed(hex(1), [member(1, { lastSeen: 5 })])
    core.members.set(hex(1), [member(1, { online: true, lastSeen: Date.now() })])
    core.emit('peer.connected', { channelId: hex(1), ...peer(1) })
    await expect.poll(() => state().members.get(hex(1))?.[0]?.online).toBe(true)
    core.members.set(hex(1), [member(1, { lastSeen: Date.now() })])
    core.emit('peer.disconnected', { channelId: hex(1), publicKey: peer(1).publicKey, reason: 'closed' })
    await expect.poll(() => state().members.get(hex(1))?.[0]?.online).toBe(false)
  })

  it('does not read the members of a channel whose list nobody looked at', async () => {
    core.emit('peer.connected', { channelId: hex(2), ...peer(1) })
    await Promise.resolve()
    expect(core.callsOf('channels.members')).toEqual([])
  })

  it('a private conversation the other person opened arrives as a direct message with its unread count', () => {
    core.emit('channel.updated', privateChat(1, { unread: 1 }))
    expect(state().channels.get(privateChat(1).channelId)).toMatchObject({ kind: 'private', unread: 1 })
  })
})

describe('a channel moving to a new key', () => {
  it('tells who can no longer connect, by the name shown for them', () => {
    actions().channelUpdated(channel(1, { name: 'board', mode: 'invite', epoch: 1 }))
    actions().membersListed(hex(1), [member(1), member(2, { name: 'Dave' })])
    core.emit('channel.rekeyed', { channelId: hex(1), epoch: 1, removed: [member(2).publicKey] })
    expect(state().notices.at(-1)?.text).toBe('Keys of #board were changed: Dave can no longer connect')
  })
})
