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

test('a second message under the same channel, author and seq is kept beside the first and flags its author', t => {
  const store = withChannels(t)
  const first = message({ channelId: C1, author: key(4), seq: 4 })
  const rival = message({ channelId: C1, author: key(4), seq: 4, body: 'equivocation' })
  assert.deepEqual(store.insertMessages(C1, [first]), ['stored'])
  assert.deepEqual(store.flaggedAuthors(C1), [])
  assert.deepEqual(store.insertMessages(C1, [rival]), ['conflict'])
  assert.equal(store.hasMessage(first.messageId), true)
  assert.equal(store.hasMessage(rival.messageId), true)
  assert.deepEqual(store.flaggedAuthors(C1), [key(4)])
  assert.deepEqual(store.flaggedAuthors(C2), [])
})

test('beyond two versions of one seq, the lowest ids are kept whatever the arrival order', t => {
  const store = withChannels(t)
  const versions = [hexId(0x40), hexId(0x10), hexId(0x30), hexId(0x20)].map(messageId => message({ channelId: C1, messageId, seq: 7 }))
  assert.deepEqual(store.insertMessages(C1, versions), ['stored', 'conflict', 'conflict', 'conflict'])
  assert.deepEqual(store.listMessages(C1, { limit: 10 }).map(m => m.messageId).sort(), [hexId(0x10), hexId(0x20)])
  assert.deepEqual(store.insertMessages(C1, [message({ channelId: C1, messageId: hexId(0x50), seq: 7 })]), ['refused'])
})

test('insertMessages reports messages already held as known, in the same batch too', t => {
  const store = withChannels(t)
  const m = message({ channelId: C1 })
  assert.deepEqual(store.insertMessages(C1, [m, m]), ['stored', 'known'])
  assert.deepEqual(store.insertMessages(C1, [m]), ['known'])
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

test('listMessages orders messages with equal timestamps by author, then seq, then id', t => {
  const store = withChannels(t)
  const byAuthor1 = [4, 1, 3, 2].map(seq => message({ channelId: C1, author: key(1), seq, timestamp: 7 }))
  const versions = [hexId(0x90), hexId(0x80)].map(messageId => message({ channelId: C1, messageId, author: key(1), seq: 5, timestamp: 7 }))
  const byAuthor0 = message({ channelId: C1, author: key(0), seq: 9, timestamp: 7 })
  insertAll(store, [...byAuthor1, ...versions, byAuthor0])
  const expected = [byAuthor0, ...[...byAuthor1].sort((a, b) => a.seq - b.seq), versions[1]!, versions[0]!]
  assert.deepEqual(ids(store.listMessages(C1, { limit: 10 })), ids(expected))
})

test('pruneMembers forgets the names of members who never wrote in the channel', t => {
  const store = withChannels(t)
  for (const n of [1, 2, 3]) store.saveMember({ channelId: C1, publicKey: key(n), name: `m${n}`, lastSeenAt: n })
  store.saveMember({ channelId: C2, publicKey: key(3), name: 'elsewhere', lastSeenAt: 1 })
  insertAll(store, [message({ channelId: C1, author: key(2) })])
  store.pruneMembers(C1)
  assert.deepEqual(store.listMembers(C1).map(m => m.name), ['m2'])
  assert.deepEqual(store.listMembers(C2).map(m => m.name), ['elsewhere'])
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

test('listMessages pages forward with after, covering every message exactly once in conversation order', t => {
  const store = withChannels(t)
  insertAll(store, Array.from({ length: 11 }, (_, i) => message({ channelId: C1, author: key(i % 2), seq: i + 1, timestamp: Math.floor(i / 3) })))
  const all = store.listMessages(C1, { limit: 100 })
  const pages: StoredMessage[][] = [store.listMessages(C1, { limit: 1, from: all[0]!.messageId })]
  for (;;) {
    const page = store.listMessages(C1, { limit: 4, after: pages.at(-1)!.at(-1)!.messageId })
    if (page.length === 0) break
    pages.push(page)
  }
  assert.deepEqual(pages.map(p => p.length), [1, 4, 4, 2])
  assert.deepEqual(ids(pages.flat()), ids(all))
})

test('listMessages from a message starts with it; after or from an id the channel does not hold gives nothing', t => {
  const store = withChannels(t)
  const mine = Array.from({ length: 3 }, (_, i) => message({ channelId: C1, seq: i + 1, timestamp: i }))
  const elsewhere = message({ channelId: C2 })
  insertAll(store, [...mine, elsewhere])
  assert.deepEqual(ids(store.listMessages(C1, { limit: 2, from: mine[1]!.messageId })), ids(mine.slice(1)))
  for (const at of [hexId(9), elsewhere.messageId]) {
    assert.deepEqual(store.listMessages(C1, { limit: 10, after: at }), [])
    assert.deepEqual(store.listMessages(C1, { limit: 10, from: at }), [])
  }
})

test('listMessages returns only the given channel\'s messages', t => {
  const store = withChannels(t)
  const mine = message({ channelId: C1 })
  insertAll(store, [mine, message({ channelId: C2 })])
  assert.deepEqual(ids(store.listMessages(C1, { limit: 10 })), [mine.messageId])
})

test('listMessages, messagesInRange and listPeerAddresses refuse a negative or fractional limit', t => {
  const store = withChannels(t)
  assert.throws(() => store.listMessages(C1, { limit: -1 }), RangeError)
  assert.throws(() => store.messagesInRange(C1, { author: key(0), seq: 0, messageId: '' }, null, 1.5), RangeError)
  assert.throws(() => store.listPeerAddresses(C1, -1), RangeError)
})

test('nextEntry is seq 1 for a first message, then one past the highest seq held, with that entry\'s timestamp', t => {
  const store = withChannels(t)
  assert.deepEqual(store.nextEntry(C1, key(1)), { seq: 1, lastTimestamp: 0 })
  insertAll(store, [1, 2, 5].map(seq => message({ channelId: C1, author: key(1), seq, timestamp: 100 * seq })))
  insertAll(store, [message({ channelId: C1, author: key(2), seq: 9 }), message({ channelId: C2, author: key(1), seq: 20, timestamp: 9000 })])
  assert.deepEqual(store.nextEntry(C1, key(1)), { seq: 6, lastTimestamp: 500 })
  assert.equal(store.nextEntry(C1, key(3)).seq, 1)
  // Two versions of the last seq (§4.3): the later stamp, so a next message never sorts before either.
  insertAll(store, [message({ channelId: C1, author: key(1), seq: 5, timestamp: 700 })])
  assert.deepEqual(store.nextEntry(C1, key(1)), { seq: 6, lastTimestamp: 700 })
})

test('hasEntry tells whether some version of an author\'s seq is held', t => {
  const store = withChannels(t)
  insertAll(store, [message({ channelId: C1, author: key(1), seq: 2 })])
  assert.equal(store.hasEntry(C1, key(1), 2), true)
  assert.equal(store.hasEntry(C1, key(1), 1), false)
  assert.equal(store.hasEntry(C2, key(1), 2), false)
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
