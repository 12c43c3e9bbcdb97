import assert from 'node:assert/strict'
import { test } from 'node:test'
import { channel, hexId, message, openTempStore } from './store-fixture.ts'

test('addChannel stores a channel that getChannel returns with lastReadAt 0', t => {
  const { store } = openTempStore(t)
  assert.equal(store.addChannel(channel(1)), true)
  assert.deepEqual(store.getChannel(hexId(1)), { ...channel(1), lastReadAt: 0 })
})

test('addChannel keeps a lastReadAt it is given', t => {
  const { store } = openTempStore(t)
  store.addChannel({ ...channel(1), lastReadAt: 42 })
  assert.equal(store.getChannel(hexId(1))?.lastReadAt, 42)
})

test('addChannel for a channel already joined returns false and keeps the original row', t => {
  const { store } = openTempStore(t)
  store.addChannel(channel(1, 100))
  store.markRead(hexId(1), 500)
  assert.equal(store.addChannel({ ...channel(1, 200), name: 'renamed' }), false)
  assert.deepEqual(store.getChannel(hexId(1)), { ...channel(1, 100), lastReadAt: 500 })
})

test('getChannel is undefined for a channel not joined', t => {
  const { store } = openTempStore(t)
  assert.equal(store.getChannel(hexId(1)), undefined)
})

test('listChannels returns channels in the order they were joined', t => {
  const { store } = openTempStore(t)
  store.addChannel(channel(1, 300))
  store.addChannel(channel(2, 100))
  store.addChannel(channel(3, 200))
  assert.deepEqual(store.listChannels().map(c => c.channelId), [hexId(2), hexId(3), hexId(1)])
})

test('markRead sets lastReadAt', t => {
  const { store } = openTempStore(t)
  store.addChannel(channel(1))
  store.markRead(hexId(1), 1234)
  assert.equal(store.getChannel(hexId(1))?.lastReadAt, 1234)
})

test('removeChannel forgets the channel with its messages and peer addresses, and only those', t => {
  const { store } = openTempStore(t)
  for (const n of [1, 2]) {
    store.addChannel(channel(n))
    store.insertMessage(message({ channelId: hexId(n) }))
    store.upsertPeerAddress({ channelId: hexId(n), host: '10.0.0.1', port: 1, publicKey: null, source: 'tracker', lastSeenAt: 1 })
  }
  const kept = store.listMessages(hexId(2), { limit: 10 })[0]
  const dropped = store.listMessages(hexId(1), { limit: 10 })[0]
  store.removeChannel(hexId(1))

  assert.equal(store.getChannel(hexId(1)), undefined)
  assert.equal(store.hasMessage(dropped!.messageId), false)
  assert.equal(store.countMessages(hexId(1)), 0)
  assert.deepEqual(store.listPeerAddresses(hexId(1), 10), [])
  assert.equal(store.hasMessage(kept!.messageId), true)
  assert.equal(store.listPeerAddresses(hexId(2), 10).length, 1)
})

test('markRead and removeChannel on a channel not joined fail with CHANNEL_NOT_FOUND', t => {
  const { store } = openTempStore(t)
  assert.throws(() => store.markRead(hexId(1), 1), { code: 'CHANNEL_NOT_FOUND' })
  assert.throws(() => store.removeChannel(hexId(1)), { code: 'CHANNEL_NOT_FOUND' })
})
