import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSession } from '../../renderer/src/app/session.ts'
import { useAppStore } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, message } from './helpers/fake-core.ts'

let core: FakeCore
let stop: () => void
beforeEach(() => {
  core = new FakeCore()
  core.addChannel(channel(1, { name: 'a' }))
  core.addChannel(channel(2, { name: 'b' }), [message(1, { channelId: hex(2) })])
})
afterEach(() => { stop() })

const state = () => useAppStore.getState()

describe('session', () => {
  it('loads everything once connected and follows the connection state', async () => {
    stop = startSession(core)
    await expect.poll(() => state().activeChannelId).toBe(hex(1))
    expect(state().connection).toBe('connected')
    core.setConnection('disconnected')
    expect(state().connection).toBe('disconnected')
  })

  it('reloads after a reconnect, catching up on what was missed', async () => {
    stop = startSession(core)
    await expect.poll(() => state().channels.size).toBe(2)
    core.setConnection('disconnected')
    core.addChannel(channel(3, { name: 'c' }))
    core.setConnection('connected')
    await expect.poll(() => state().channels.size).toBe(3)
  })

  it('shows the channel the shell asks for', async () => {
    stop = startSession(core)
    await expect.poll(() => state().activeChannelId).toBe(hex(1))
    core.requestFocus(hex(2))
    await expect.poll(() => state().activeChannelId).toBe(hex(2))
    expect(state().messages.get(hex(2))?.list).toHaveLength(1)
  })

  it('finds a channel joined behind its back before showing it', async () => {
    stop = startSession(core)
    await expect.poll(() => state().channels.size).toBe(2)
    core.addChannel(channel(4, { name: 'from a file' }))
    core.requestFocus(hex(4))
    await expect.poll(() => state().activeChannelId).toBe(hex(4))
  })

  it('keeps a focus request made while locked for after unlocking', async () => {
    core.status = { state: 'locked' }
    core.passphrase = 'pw'
    stop = startSession(core)
    await expect.poll(() => state().identityStatus?.state).toBe('locked')
    core.requestFocus(hex(2))
    await core.call('identity.unlock', { passphrase: 'pw' })
    core.emit('identity.updated', core.status)
    await expect.poll(() => state().activeChannelId).toBe(hex(2))
    expect(state().channels.size).toBe(2)
  })
})
