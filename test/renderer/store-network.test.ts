import { describe, expect, it } from 'vitest'
import { bindEvents } from '../../renderer/src/app/events.ts'
import { refreshNetworkStatus } from '../../renderer/src/app/network-status.ts'
import { actions, resetAppStore, useAppStore } from '../../renderer/src/store/store.ts'
import { channelNetwork, FakeCore, hex, networkStatus, peer } from './helpers/fake-core.ts'

const state = () => useAppStore.getState()

describe('network slice', () => {
  it('holds the last status with the time it was taken', () => {
    actions().networkStatusLoaded(networkStatus({ listenPort: 7000 }), 1234)
    expect(state().networkStatus?.listenPort).toBe(7000)
    expect(state().networkFetchedAt).toBe(1234)
  })

  it('keeps the last status beside a failure, and a later answer clears the failure', () => {
    actions().networkStatusLoaded(networkStatus({ listenPort: 7000 }), 1)
    actions().networkStatusFailed('core went away')
    expect(state().networkError).toBe('core went away')
    expect(state().networkStatus?.listenPort).toBe(7000)
    actions().networkStatusLoaded(networkStatus(), 2)
    expect(state().networkError).toBeNull()
  })

  it('is emptied by a store reset', () => {
    actions().networkStatusLoaded(networkStatus(), 1)
    resetAppStore()
    expect(state().networkStatus).toBeNull()
    expect(state().networkFetchedAt).toBeNull()
  })
})

describe('refreshNetworkStatus', () => {
  it('stores what network.status answers', async () => {
    const core = new FakeCore()
    core.network = networkStatus({ reachable: true, channels: [channelNetwork(1)] })
    await refreshNetworkStatus(core)
    expect(state().networkStatus).toEqual(core.network)
    expect(state().networkFetchedAt).not.toBeNull()
  })

  it('records a failed call instead of rejecting', async () => {
    const core = new FakeCore()
    core.failNext('network.status', 'INTERNAL', 'boom')
    await refreshNetworkStatus(core)
    expect(state().networkError).toBe('boom')
  })

  it('folds calls made during a refresh into one follow-up that sees the latest state', async () => {
    const core = new FakeCore()
    const first = refreshNetworkStatus(core)
    core.network = networkStatus({ listenPort: 9 })
    void refreshNetworkStatus(core)
    void refreshNetworkStatus(core)
    await first
    expect(core.callsOf('network.status')).toHaveLength(2)
    expect(state().networkStatus?.listenPort).toBe(9)
  })
})

describe('network refresh on peer events', () => {
  it('asks again when a peer connects or leaves while the panel is open', async () => {
    const core = new FakeCore()
    const unbind = bindEvents(core)
    actions().dialogOpened({ kind: 'network' })
    core.emit('peer.connected', { ...peer(1), channelId: hex(1) })
    await expect.poll(() => core.callsOf('network.status').length).toBe(1)
    core.emit('peer.disconnected', { channelId: hex(1), publicKey: peer(1).publicKey, reason: 'closed' })
    await expect.poll(() => core.callsOf('network.status').length).toBe(2)
    unbind()
  })

  it('does not ask while the panel is closed', async () => {
    const core = new FakeCore()
    const unbind = bindEvents(core)
    core.emit('peer.connected', { ...peer(1), channelId: hex(1) })
    await Promise.resolve()
    expect(core.callsOf('network.status')).toHaveLength(0)
    unbind()
  })
})
