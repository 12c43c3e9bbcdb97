// Mentions and mute on a real SQLite file (migration 011): who an entry names is kept with it and
// goes with it (deletion, conflict eviction, leaving the channel); the unread count of mentions of
// us reads our mentions, not the channel's log.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { channel, hexId, key, message, openTempStore } from './store-fixture.ts'
import { KIND_DELETE, KIND_EDIT } from '../../core/wire/entry-kinds.ts'

const C1 = hexId(1)
const hexKey = (n: number): string => Buffer.from(key(n)).toString('hex')

test('an entry\'s mentions are kept with it, counted while unread, and erased with it', t => {
  const { store } = openTempStore(t)
  store.addChannel(channel(1))
  const me = key(9)
  const named = message({ channelId: C1, author: key(2), seq: 1, receivedAt: 10, mentions: [hexKey(9), hexKey(3)] })
  const other = message({ channelId: C1, author: key(2), seq: 2, receivedAt: 11, mentions: [hexKey(3)] })
  const mine = message({ channelId: C1, author: me, seq: 1, receivedAt: 12, mentions: [hexKey(9)] })
  store.insertMessages(C1, [named, other, mine])
  const held = store.mentionsOf([named.messageId, other.messageId, hexId(7)])
  assert.deepEqual(new Set(held.get(named.messageId)), new Set([hexKey(9), hexKey(3)]))
  assert.deepEqual(held.get(other.messageId), [hexKey(3)])
  assert.equal(held.has(hexId(7)), false)
  assert.equal(store.unreadMentions(C1, me), 1, 'our own message naming us is no mention')

  // An edit naming us again counts as the same mention: one message shown.
  const edit = message({ channelId: C1, author: key(2), seq: 3, receivedAt: 13, kind: KIND_EDIT, body: '', about: { kind: 'ref', target: named.messageId, value: 'again' }, mentions: [hexKey(9)] })
  store.insertMessages(C1, [edit])
  assert.equal(store.unreadMentions(C1, me), 1)

  store.markRead(C1, 20)
  assert.equal(store.unreadMentions(C1, me), 0)
  store.markRead(C1, 0)
  const deletion = message({ channelId: C1, author: key(2), seq: 4, receivedAt: 14, kind: KIND_DELETE, body: '', about: { kind: 'delete', targets: [{ id: named.messageId, seq: 1 }, { id: edit.messageId, seq: 3 }] } })
  store.insertMessages(C1, [deletion])
  assert.equal(store.mentionsOf([named.messageId, edit.messageId]).size, 0, 'a deleted message names no one')
  assert.equal(store.unreadMentions(C1, me), 0)
})

test('muting is kept in the channel\'s row and goes with it', t => {
  const { store, path } = openTempStore(t)
  store.addChannel(channel(1))
  assert.equal(store.isMuted(C1), false)
  store.setMuted(C1, true)
  assert.equal(store.isMuted(C1), true)
  store.insertMessages(C1, [message({ channelId: C1, mentions: [hexKey(9)] })])
  store.removeChannel(C1)
  assert.throws(() => { store.setMuted(C1, false) }, /no joined channel/)
  const db = new Database(path)
  try {
    assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM mentions').get()?.n, 0, 'leaving a channel takes its mentions')
  } finally {
    db.close()
  }
})

test('counting unread mentions of us searches our key, not the channel\'s messages', t => {
  const { store, path } = openTempStore(t)
  store.addChannel(channel(1))
  store.insertMessages(C1, Array.from({ length: 50 }, (_, i) => message({ channelId: C1, author: key(1 + (i % 5)), seq: 1 + Math.floor(i / 5), ...(i % 7 === 0 ? { mentions: [hexKey(9)] } : {}) })))
  const db = new Database(path)
  try {
    const source = "SELECT count(*) FROM mentions AS x JOIN messages AS m ON m.message_id = x.message_id WHERE x.mentioned = ? AND x.channel_id = ?"
    const plan = db.prepare<[Buffer, string], { detail: string }>(`EXPLAIN QUERY PLAN ${source}`).all(Buffer.from(key(9)), C1).map(r => r.detail)
    assert.ok(plan.some(step => /SEARCH x USING .*mentions_by_key/.test(step)), plan.join(' | '))
    assert.ok(!plan.some(step => /^SCAN m\b/.test(step)), plan.join(' | '))
  } finally {
    db.close()
  }
  assert.equal(store.unreadMentions(C1, key(9)), 8)
})
