import { describe, expect, it } from 'vitest'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'

describe('settings slice', () => {
  it('holds the settings the core returned', () => {
    const settings = { listenPort: 7000, trackerUserAgent: 'qBittorrent/4.6.5', trackerPeerIdPrefix: '-qB4650-', readReceipts: true, dataDir: '/data' }
    expect(useAppStore.getState().settings).toBeNull()
    actions().settingsLoaded(settings)
    expect(useAppStore.getState().settings).toEqual(settings)
  })
})
