import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import type { Store } from '../../core/store/store.ts'
import { PEER_ADDRESSES_PER_CHANNEL } from '../../core/store/store.ts'
import type { PeerSighting } from '../../core/store/types.ts'
import { channel, hexId, key, openTempStore } from './store-fixture.ts'

const C1 = hexId(1)

function withChannels (t: TestContext): Store {
  const { store } = openTempStore(t)
  store.addChannel(channel(1))
  store.addChannel(channel(2))
  return store
}

const sighting = (fields: Partial<PeerSighting> = {}): PeerSighting =>
  ({ channelId: C1, host: '10.0.0.1', port: 6881, publicKey: null, source: 'tracker', lastSeenAt: 100, ...fields })

test('upsertPeerAddress stores an address with no failures', t => {
  const store = withChannels(t)
  store.upsertPeerAddress(sighting({ publicKey: key(4) }))
  assert.deepEqual(store.listPeerAddresses(C1, 10), [{ ...sighting({ publicKey: key(4) }), failures: 0 }])
})

test('a later sighting updates source and lastSeenAt but keeps a known key', t => {
  const store = withChannels(t)
  store.upsertPeerAddress(sighting({ publicKey: key(4), source: 'incoming' }))
  store.upsertPeerAddress(sighting({ source: 'pex', lastSeenAt: 300 }))
  assert.deepEqual(store.listPeerAddresses(C1, 10), [{ ...sighting({ publicKey: key(4), source: 'pex', lastSeenAt: 300 }), failures: 0 }])
})

test('a sighting with another key replaces the known key', t => {
  const store = withChannels(t)
  store.upsertPeerAddress(sighting({ publicKey: key(4) }))
  store.upsertPeerAddress(sighting({ publicKey: key(5) }))
  assert.deepEqual(store.listPeerAddresses(C1, 10)[0]?.publicKey, key(5))
})

test('an older sighting does not move lastSeenAt back', t => {
  const store = withChannels(t)
  store.upsertPeerAddress(sighting({ lastSeenAt: 500 }))
  store.upsertPeerAddress(sighting({ lastSeenAt: 100 }))
  assert.equal(store.listPeerAddresses(C1, 10)[0]?.lastSeenAt, 500)
})

test('listPeerAddresses returns the channel\'s addresses most recently seen first, at most limit', t => {
  const store = withChannels(t)
  store.upsertPeerAddress(sighting({ host: 'a', lastSeenAt: 2 }))
  store.upsertPeerAddress(sighting({ host: 'b', lastSeenAt: 3 }))
  store.upsertPeerAddress(sighting({ host: 'c', lastSeenAt: 1 }))
  store.upsertPeerAddress(sighting({ channelId: hexId(2), host: 'd', lastSeenAt: 9 }))
  assert.deepEqual(store.listPeerAddresses(C1, 10).map(a => a.host), ['b', 'a', 'c'])
  assert.deepEqual(store.listPeerAddresses(C1, 2).map(a => a.host), ['b', 'a'])
})

test('a channel keeps only its most recently seen addresses beyond the bound', t => {
  const store = withChannels(t)
  const other = sighting({ channelId: hexId(2), lastSeenAt: 0 })
  store.upsertPeerAddress(other)
  for (let i = 0; i <= PEER_ADDRESSES_PER_CHANNEL; i++) store.upsertPeerAddress(sighting({ port: i + 1, lastSeenAt: 1000 + i }))
  const kept = store.listPeerAddresses(C1, PEER_ADDRESSES_PER_CHANNEL + 10)
  assert.equal(kept.length, PEER_ADDRESSES_PER_CHANNEL)
  assert.equal(kept.at(-1)?.port, 2)
  assert.equal(store.listPeerAddresses(hexId(2), 10).length, 1)
})

test('upsertPeerAddress for a channel not joined fails with CHANNEL_NOT_FOUND', t => {
  const store = withChannels(t)
  assert.throws(() => store.upsertPeerAddress(sighting({ channelId: hexId(3) })), { code: 'CHANNEL_NOT_FOUND' })
})
