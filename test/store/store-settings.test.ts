import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openTempStore } from './store-fixture.ts'

test('getSetting is undefined for a key never set', t => {
  const { store } = openTempStore(t)
  assert.equal(store.getSetting('listenPort'), undefined)
})

test('setSetting stores a value and overwrites it on the next call', t => {
  const { store } = openTempStore(t)
  store.setSetting('listenPort', '6881')
  store.setSetting('trackerUserAgent', 'qBittorrent/4.6.5')
  store.setSetting('listenPort', '7000')
  assert.equal(store.getSetting('listenPort'), '7000')
  assert.equal(store.getSetting('trackerUserAgent'), 'qBittorrent/4.6.5')
})
