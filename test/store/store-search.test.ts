import assert from 'node:assert/strict'
import { test } from 'node:test'
import { searchQuery } from '../../core/store/search-index.ts'
import { channel, key, message, openTempStore } from './store-fixture.ts'
import { KIND_DELETE, KIND_EDIT } from '../../core/wire/entry-kinds.ts'

const ids = (rows: { messageId: string }[]): string[] => rows.map(r => r.messageId)

test('searchQuery keeps the words of what was typed, each as a prefix, and nothing that could break the query', () => {
  const table: Array<[string, string | null]> = [
    ['hello', '"hello"*'],
    ['  Hello,   wörld! ', '"Hello"* "wörld"*'],
    ['"a" OR b* NEAR(c)', '"a"* "OR"* "b"* "NEAR"* "c"*'],
    ['🙂 ... --', null],
    ['日本語 テスト', '"日本語"* "テスト"*']
  ]
  for (const [typed, query] of table) assert.equal(searchQuery(typed), query, typed)
})

test('search finds messages by their words, newest first, per channel or everywhere, without case or accents', t => {
  const { store } = openTempStore(t)
  const [a, b] = [channel(1), channel(2)]
  store.addChannel(a)
  store.addChannel(b)
  const first = message({ channelId: a.channelId, seq: 1, body: 'Café at noon?' })
  const second = message({ channelId: a.channelId, seq: 2, body: 'the cafe is closed' })
  const elsewhere = message({ channelId: b.channelId, seq: 1, body: 'CAFÉ tomorrow' })
  store.insertMessages(a.channelId, [first, second])
  store.insertMessages(b.channelId, [elsewhere])
  assert.deepEqual(ids(store.searchMessages(searchQuery('cafe')!, a.channelId, 10)), [second.messageId, first.messageId])
  assert.deepEqual(ids(store.searchMessages(searchQuery('caf')!, null, 10)), [elsewhere.messageId, second.messageId, first.messageId])
  assert.deepEqual(ids(store.searchMessages(searchQuery('cafe noon')!, null, 10)), [first.messageId])
  assert.deepEqual(store.searchMessages(searchQuery('tea')!, null, 10), [])
})

test('search finds a message by its edited text, not the words it lost, and never a deleted one', t => {
  const { store } = openTempStore(t)
  const c = channel(1)
  store.addChannel(c)
  const original = message({ channelId: c.channelId, seq: 1, body: 'meet at the station' })
  store.insertMessages(c.channelId, [original])
  store.insertMessages(c.channelId, [message({ channelId: c.channelId, seq: 2, kind: KIND_EDIT, body: '', about: { kind: 'ref', target: original.messageId, value: 'meet at the harbour' } })])
  assert.deepEqual(ids(store.searchMessages(searchQuery('harbour')!, null, 10)), [original.messageId])
  assert.deepEqual(store.searchMessages(searchQuery('station')!, null, 10), [])
  // An edit by someone else than the author changes nothing.
  store.insertMessages(c.channelId, [message({ channelId: c.channelId, author: key(9), seq: 1, kind: KIND_EDIT, body: '', about: { kind: 'ref', target: original.messageId, value: 'hijacked' } })])
  assert.deepEqual(store.searchMessages(searchQuery('hijacked')!, null, 10), [])
  store.insertMessages(c.channelId, [message({ channelId: c.channelId, seq: 3, kind: KIND_DELETE, body: '', about: { kind: 'delete', targets: [{ id: original.messageId, seq: 1 }] } })])
  assert.deepEqual(store.searchMessages(searchQuery('meet')!, null, 10), [])
})

test('a very long word is indexed and found by its first 64 characters', t => {
  const { store } = openTempStore(t)
  const c = channel(1)
  store.addChannel(c)
  const long = message({ channelId: c.channelId, seq: 1, body: `see ${'a'.repeat(3000)}b` })
  store.insertMessages(c.channelId, [long])
  assert.deepEqual(ids(store.searchMessages(searchQuery('a'.repeat(100))!, null, 10)), [long.messageId])
})

test('a message and its edit stored together are indexed once, with the edit', t => {
  const { store } = openTempStore(t)
  const c = channel(1)
  store.addChannel(c)
  const original = message({ channelId: c.channelId, seq: 1, body: 'lunch at noon' })
  const edit = message({ channelId: c.channelId, seq: 2, kind: KIND_EDIT, body: '', about: { kind: 'ref', target: original.messageId, value: 'lunch at one' } })
  store.insertMessages(c.channelId, [original, edit])
  assert.deepEqual(ids(store.searchMessages(searchQuery('one')!, null, 10)), [original.messageId])
  assert.deepEqual(store.searchMessages(searchQuery('noon')!, null, 10), [])
  // An edit that came before its message is found when the message comes.
  const later = message({ channelId: c.channelId, seq: 3, body: 'see you friday' })
  store.insertMessages(c.channelId, [message({ channelId: c.channelId, seq: 4, kind: KIND_EDIT, body: '', about: { kind: 'ref', target: later.messageId, value: 'see you saturday' } })])
  store.insertMessages(c.channelId, [later])
  assert.deepEqual(ids(store.searchMessages(searchQuery('saturday')!, null, 10)), [later.messageId])
})
