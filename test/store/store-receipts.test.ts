import assert from 'node:assert/strict'
import { test } from 'node:test'
import { channel, key, message, openTempStore } from './store-fixture.ts'

test('heldPrefix is the last seq before the first hole in an author\'s log, and 0 without its first', t => {
  const { store } = openTempStore(t)
  const c = channel(1)
  store.addChannel(c)
  const put = (author: number, seqs: number[]): void => { store.insertMessages(c.channelId, seqs.map(seq => message({ channelId: c.channelId, author: key(author), seq }))) }
  put(1, [1, 2, 3, 4])
  put(2, [1, 2, 4, 5])
  put(3, [2, 3])
  assert.equal(store.heldPrefix(c.channelId, key(1)), 4)
  assert.equal(store.heldPrefix(c.channelId, key(2)), 2)
  assert.equal(store.heldPrefix(c.channelId, key(3)), 0)
  assert.equal(store.heldPrefix(c.channelId, key(4)), 0)
  put(2, [3])
  assert.equal(store.heldPrefix(c.channelId, key(2)), 5)
})

test('readUpTo is the last seq that had arrived by a time', t => {
  const { store } = openTempStore(t)
  const c = channel(1)
  store.addChannel(c)
  store.insertMessages(c.channelId, [1, 2, 3].map(seq => message({ channelId: c.channelId, seq, receivedAt: seq * 100 })))
  assert.equal(store.readUpTo(c.channelId, key(1), 250), 2)
  assert.equal(store.readUpTo(c.channelId, key(1), 50), 0)
})

test('receipts are only ever raised, and read never passes delivered', t => {
  const { store } = openTempStore(t)
  const c = channel(1)
  store.addChannel(c)
  store.saveReceipts(c.channelId, [{ member: key(2), delivered: 5, read: 3 }])
  store.saveReceipts(c.channelId, [{ member: key(2), delivered: 4, read: 1 }])
  assert.deepEqual(store.listReceipts(c.channelId, 10), [{ member: key(2), delivered: 5, read: 3 }])
  store.saveReceipts(c.channelId, [{ member: key(2), delivered: 9, read: 9 }])
  assert.deepEqual(store.listReceipts(c.channelId, 10), [{ member: key(2), delivered: 9, read: 9 }])
})
