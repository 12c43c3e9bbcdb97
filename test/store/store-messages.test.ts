import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import type { Store } from '../../core/store/store.ts'
import type { StoredMessage } from '../../core/store/types.ts'
import { channel, hexId, key, message, openTempStore } from './store-fixture.ts'

const C1 = hexId(1)
const C2 = hexId(2)

function withChannels (t: TestContext): Store {
  const { store } = openTempStore(t)
  store.addChannel(channel(1))
  store.addChannel(channel(2))
  return store
}

function insertAll (store: Store, messages: StoredMessage[]): void {
  for (const m of messages) assert.equal(store.insertMessage(m), true)
}

const ids = (messages: StoredMessage[]): string[] => messages.map(m => m.messageId)

test('insertMessage stores a message that listMessages returns field for field', t => {
  const store = withChannels(t)
  const m = message({ channelId: C1, author: key(5), seq: 3, timestamp: 111, receivedAt: 222, kind: 1, body: 'héllo' })
  assert.equal(store.insertMessage(m), true)
  assert.deepEqual(store.listMessages(C1, { limit: 10 }), [m])
})

test('insertMessage returns false for an id it already holds and keeps the first copy', t => {
  const store = withChannels(t)
  const m = message({ channelId: C1 })
  store.insertMessage(m)
  assert.equal(store.insertMessage({ ...m, seq: 2, body: 'other' }), false)
  assert.deepEqual(store.listMessages(C1, { limit: 10 }), [m])
})

test('insertMessage returns false for a second message in the same channel, author and seq', t => {
  const store = withChannels(t)
  const first = message({ channelId: C1, seq: 4 })
  store.insertMessage(first)
  const rival = message({ channelId: C1, seq: 4, body: 'equivocation' })
  assert.equal(store.insertMessage(rival), false)
  assert.equal(store.hasMessage(rival.messageId), false)
  assert.equal(store.insertMessage(message({ channelId: C2, seq: 4 })), true)
})

test('insertMessage for a channel not joined fails with CHANNEL_NOT_FOUND', t => {
  const store = withChannels(t)
  assert.throws(() => store.insertMessage(message({ channelId: hexId(3) })), { code: 'CHANNEL_NOT_FOUND' })
})

test('hasMessage tells whether an id is stored', t => {
  const store = withChannels(t)
  const m = message({ channelId: C1 })
  assert.equal(store.hasMessage(m.messageId), false)
  store.insertMessage(m)
  assert.equal(store.hasMessage(m.messageId), true)
})

test('listMessages returns the newest limit messages, oldest first, by author timestamp', t => {
  const store = withChannels(t)
  const messages = [5, 1, 4, 2, 3].map((ts, i) => message({ channelId: C1, seq: i + 1, timestamp: ts, receivedAt: 100 - ts }))
  insertAll(store, messages)
  const byTime = [...messages].sort((a, b) => a.timestamp - b.timestamp)
  assert.deepEqual(ids(store.listMessages(C1, { limit: 3 })), ids(byTime.slice(2)))
  assert.deepEqual(ids(store.listMessages(C1, { limit: 10 })), ids(byTime))
  assert.deepEqual(store.listMessages(C1, { limit: 0 }), [])
})

test('listMessages orders messages with equal timestamps by id', t => {
  const store = withChannels(t)
  const messages = [1, 2, 3, 4].map(seq => message({ channelId: C1, seq, timestamp: 7 }))
  insertAll(store, messages)
  assert.deepEqual(ids(store.listMessages(C1, { limit: 10 })), ids(messages).sort())
})

test('listMessages pages back with before, covering every message exactly once', t => {
  const store = withChannels(t)
  const messages = Array.from({ length: 11 }, (_, i) => message({ channelId: C1, seq: i + 1, timestamp: Math.floor(i / 3) }))
  insertAll(store, messages)
  const all = store.listMessages(C1, { limit: 100 })
  const pages: StoredMessage[][] = []
  let before: string | undefined
  for (;;) {
    const page = store.listMessages(C1, { limit: 4, ...(before === undefined ? {} : { before }) })
    if (page.length === 0) break
    pages.unshift(page)
    before = page[0]!.messageId
  }
  assert.deepEqual(pages.map(p => p.length), [3, 4, 4])
  assert.deepEqual(ids(pages.flat()), ids(all))
})

test('listMessages with a before id it does not hold returns nothing', t => {
  const store = withChannels(t)
  insertAll(store, [message({ channelId: C1 })])
  const elsewhere = message({ channelId: C2 })
  insertAll(store, [elsewhere])
  assert.deepEqual(store.listMessages(C1, { limit: 10, before: hexId(9) }), [])
  assert.deepEqual(store.listMessages(C1, { limit: 10, before: elsewhere.messageId }), [])
})

test('listMessages returns only the given channel\'s messages', t => {
  const store = withChannels(t)
  const mine = message({ channelId: C1 })
  insertAll(store, [mine, message({ channelId: C2 })])
  assert.deepEqual(ids(store.listMessages(C1, { limit: 10 })), [mine.messageId])
})

test('listMessages, messagesAfter and listPeerAddresses refuse a negative or fractional limit', t => {
  const store = withChannels(t)
  assert.throws(() => store.listMessages(C1, { limit: -1 }), RangeError)
  assert.throws(() => store.messagesAfter(C1, new Map(), 1.5), RangeError)
  assert.throws(() => store.listPeerAddresses(C1, -1), RangeError)
})

test('nextSeq is 1 for a first message, then one past the highest seq held', t => {
  const store = withChannels(t)
  assert.equal(store.nextSeq(C1, key(1)), 1)
  insertAll(store, [1, 2, 5].map(seq => message({ channelId: C1, author: key(1), seq })))
  insertAll(store, [message({ channelId: C1, author: key(2), seq: 9 }), message({ channelId: C2, author: key(1), seq: 20 })])
  assert.equal(store.nextSeq(C1, key(1)), 6)
  assert.equal(store.nextSeq(C1, key(3)), 1)
})

test('heads lists the highest seq per author in bytewise author order', t => {
  const store = withChannels(t)
  assert.deepEqual(store.heads(C1), [])
  insertAll(store, [
    message({ channelId: C1, author: key(9), seq: 1 }),
    message({ channelId: C1, author: key(2), seq: 1 }),
    message({ channelId: C1, author: key(2), seq: 3 }),
    message({ channelId: C2, author: key(1), seq: 8 })
  ])
  assert.deepEqual(store.heads(C1), [{ author: key(2), seq: 3 }, { author: key(9), seq: 1 }])
})

test('messagesAfter returns what a peer lacks, by author then seq', t => {
  const store = withChannels(t)
  const a = [1, 2, 3].map(seq => message({ channelId: C1, author: key(1), seq }))
  const b = [1, 2].map(seq => message({ channelId: C1, author: key(2), seq }))
  const c = [2, 1].map(seq => message({ channelId: C1, author: key(3), seq }))
  insertAll(store, [...c, ...b, ...a, message({ channelId: C2, author: key(3), seq: 5 })])
  const peerHeads = new Map([[Buffer.from(key(1)).toString('hex'), 1], [Buffer.from(key(2)).toString('hex'), 7]])
  assert.deepEqual(ids(store.messagesAfter(C1, peerHeads, 100)), ids([a[1]!, a[2]!, c[1]!, c[0]!]))
})

test('messagesAfter stops at limit across authors', t => {
  const store = withChannels(t)
  const a = [1, 2, 3].map(seq => message({ channelId: C1, author: key(1), seq }))
  const b = [1, 2, 3].map(seq => message({ channelId: C1, author: key(2), seq }))
  insertAll(store, [...a, ...b])
  assert.deepEqual(ids(store.messagesAfter(C1, new Map(), 4)), ids([...a, b[0]!]))
  assert.deepEqual(store.messagesAfter(C1, new Map(), 0), [])
})

test('unreadCount counts messages received after lastReadAt that others wrote', t => {
  const store = withChannels(t)
  const me = key(1)
  insertAll(store, [
    message({ channelId: C1, author: key(2), seq: 1, receivedAt: 100 }),
    message({ channelId: C1, author: key(2), seq: 2, receivedAt: 200 }),
    message({ channelId: C1, author: key(3), seq: 1, receivedAt: 300 }),
    message({ channelId: C1, author: me, seq: 1, receivedAt: 400 }),
    message({ channelId: C2, author: key(2), seq: 1, receivedAt: 500 })
  ])
  assert.equal(store.unreadCount(C1, me), 3)
  store.markRead(C1, 200)
  assert.equal(store.unreadCount(C1, me), 1)
  store.markRead(C1, 1000)
  assert.equal(store.unreadCount(C1, me), 0)
  assert.equal(store.unreadCount(hexId(3), me), 0)
})

test('countMessages counts the channel\'s messages', t => {
  const store = withChannels(t)
  assert.equal(store.countMessages(C1), 0)
  insertAll(store, [1, 2, 3].map(seq => message({ channelId: C1, seq })))
  insertAll(store, [message({ channelId: C2 })])
  assert.equal(store.countMessages(C1), 3)
})
