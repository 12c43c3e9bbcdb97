import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { BitChatClient } from '../../core/api/contract.ts'
import { firstUnread, joinChannel, leaveChannel, loadNewerMessages, loadOlderMessages, loadWorkspace, openChannel, refreshAll, sendMessage } from '../../renderer/src/app/commands.ts'
import { bindEvents } from '../../renderer/src/app/events.ts'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, ME, message, peer } from './helpers/fake-core.ts'

let core: FakeCore
beforeEach(() => { core = new FakeCore() })
const state = () => useAppStore.getState()

describe('commands', () => {
  it('refreshAll loads identity, settings and channels, and opens the first channel by name', async () => {
    core.addChannel(channel(2, { name: 'beta' }))
    core.addChannel(channel(1, { name: 'alpha' }), [message(1)])
    await refreshAll(core)
    expect(state().identityStatus).toEqual({ state: 'ready', identity: ME })
    expect(state().settings).toEqual(core.settings)
    expect(state().activeChannelId).toBe(hex(1))
    expect(state().messages.get(hex(1))?.list).toEqual([message(1)])
  })

  it('says "Joined" after a join, but not for an invite-only channel whose list lacks us', async () => {
    await joinChannel(core, { uri: 'bitchat:?v=2' })
    expect(state().notices.at(-1)).toMatchObject({ tone: 'info', text: 'Joined #joined' })
    core.joining = { name: 'inner circle', mode: 'invite', access: 'not-member' }
    await joinChannel(core, { uri: 'bitchat:?v=2' })
    expect(state().notices.at(-1)).toMatchObject({ tone: 'error', text: 'Added #inner circle, but you are not on its member list: its members will not let you in.' })
  })

  it('refreshAll stops at the identity when it is locked', async () => {
    core.status = { state: 'locked' }
    await refreshAll(core)
    expect(state().identityStatus).toEqual({ state: 'locked' })
    expect(core.callsOf('channels.list')).toHaveLength(0)
  })

  it('the first unread message is the oldest of the last N from others', () => {
    const list = [message(1), message(2), message(3, { own: true }), message(4)]
    expect(firstUnread(list, 2)?.messageId).toBe(message(2).messageId)
    expect(firstUnread(list, 0)).toBeUndefined()
    expect(firstUnread(list, 99)?.messageId).toBe(message(1).messageId)
  })

  it('opening a channel with unread messages marks where they start, and leaves them unread until seen', async () => {
    core.addChannel(channel(1, { unread: 2 }), [message(1), message(2), message(3)], [peer(1)])
    actions().channelsListed([...core.channels.values()])
    await openChannel(core, hex(1))
    expect(state().unreadMarker).toEqual({ channelId: hex(1), messageId: message(2).messageId })
    expect(state().peers.get(hex(1))?.size).toBe(1)
    expect(core.callsOf('channels.markRead')).toEqual([])
    expect(state().channels.get(hex(1))?.unread).toBe(2)
  })

  it('loads older messages before the oldest one held', async () => {
    const all = Array.from({ length: 250 }, (_, i) => message(i))
    core.addChannel(channel(1), all)
    actions().channelsListed([...core.channels.values()])
    await openChannel(core, hex(1))
    expect(state().messages.get(hex(1))?.list).toHaveLength(200)
    await loadOlderMessages(core, hex(1))
    expect(core.callsOf('messages.list').at(-1)).toEqual({ channelId: hex(1), limit: 200, before: message(50).messageId })
    expect(state().messages.get(hex(1))).toMatchObject({ hasMore: false })
    expect(state().messages.get(hex(1))?.list).toHaveLength(250)
  })

  it('treats a page of already-known messages as the end of the history', async () => {
    const all = Array.from({ length: 200 }, (_, i) => message(i))
    actions().messagesLoaded(hex(1), all, true)
    // A core that ignores `before` and keeps answering with the same page.
    const stuck: BitChatClient = { call: async () => all as never, on: () => () => {} }
    await loadOlderMessages(stuck, hex(1))
    expect(state().messages.get(hex(1))?.hasMore).toBe(false)
  })

  it('shows a sent message at once as the user’s own', async () => {
    actions().identityReady(ME)
    await sendMessage(core, hex(1), 'hello')
    const sent = state().messages.get(hex(1))?.list[0]
    expect(sent).toMatchObject({ text: 'hello', own: true, author: ME.publicKey, authorName: ME.name })
    expect(core.callsOf('messages.send')).toEqual([{ channelId: hex(1), text: 'hello' }])
  })

  it('leaving the open channel moves to the next one', async () => {
    core.addChannel(channel(1, { name: 'a' }))
    core.addChannel(channel(2, { name: 'b' }))
    await refreshAll(core)
    await leaveChannel(core, hex(1))
    expect(state().channels.has(hex(1))).toBe(false)
    expect(state().activeChannelId).toBe(hex(2))
  })

  it('an update that arrives after the channel list, while settings are still loading, is kept', async () => {
    core.addChannel(channel(1, { name: 'alpha' }))
    let releaseSettings = (): void => {}
    const settingsHeld = new Promise<void>(resolve => { releaseSettings = resolve })
    const call = core.call.bind(core)
    core.call = (async (method: string, params: unknown) => {
      if (method === 'settings.get') await settingsHeld
      return await call(method as never, params as never)
    }) as typeof core.call
    const unbind = bindEvents(core)
    const loading = loadWorkspace(core)
    await vi.waitFor(() => { expect(core.callsOf('channels.list')).toHaveLength(1) })
    await new Promise(resolve => setTimeout(resolve, 0))
    // The core answered the list, then a channel was joined elsewhere (a dropped file, another tab).
    core.emit('channel.updated', channel(2, { name: 'beta' }))
    releaseSettings()
    await loading
    expect([...state().channels.keys()].sort()).toEqual([hex(1), hex(2)])
    unbind()
  })
  it('opens a channel around a message far back, pages forward to the newest, and says when it got there', async () => {
    const history = Array.from({ length: 500 }, (_, i) => message(i))
    core.addChannel(channel(1, { last: { ...history[499]!, text: 'x' } }), history)
    await openChannel(core, hex(1), message(100).messageId)
    expect(core.callsOf('messages.list').at(-1)).toEqual({ channelId: hex(1), limit: 200, around: message(100).messageId })
    expect(state().messages.get(hex(1))).toMatchObject({ hasMore: true, hasNewer: true })
    expect(state().messages.get(hex(1))?.list[0]).toEqual(message(0))
    await loadNewerMessages(core, hex(1))
    expect(core.callsOf('messages.list').at(-1)).toEqual({ channelId: hex(1), limit: 200, after: message(199).messageId })
    expect(state().messages.get(hex(1))?.hasNewer).toBe(true)
    await loadNewerMessages(core, hex(1))
    expect(state().messages.get(hex(1))?.hasNewer).toBe(false)
    expect(state().messages.get(hex(1))?.list).toEqual(history)
  })

  it('a message sent from a window far back goes where it belongs: the newest are shown again first', async () => {
    const history = Array.from({ length: 500 }, (_, i) => message(i))
    core.addChannel(channel(1), history)
    await openChannel(core, hex(1), message(100).messageId)
    await sendMessage(core, hex(1), 'back to now')
    const held = state().messages.get(hex(1))!
    expect(held.hasNewer).toBe(false)
    expect(held.list.at(-1)?.text).toBe('back to now')
    expect(held.list.at(-2)).toEqual(message(499))
  })
})
