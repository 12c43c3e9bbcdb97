import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { MIGRATIONS } from '../../core/store/migrations/index.ts'
import { search } from '../../core/store/migrations/010-search.ts'
import { KIND_EDIT, KIND_TEXT } from '../../core/wire/entry-kinds.ts'
import { tempDbPath } from './store-fixture.ts'

const CHANNEL = 'c'.repeat(64)
const ALICE = new Uint8Array(32).fill(1)
const BOB = new Uint8Array(32).fill(2)

/** A database as migration 9 left it, with a channel. */
function before010 (t: TestContext): Database {
  const db = new Database(tempDbPath(t))
  t.after(() => db.close())
  for (const m of MIGRATIONS.slice(0, search.version - 1)) m.up(db)
  db.prepare<[string]>("INSERT INTO channels (channel_id, name, chat_file, joined_at) VALUES (?, 'room', x'00', 0)").run(CHANNEL)
  return db
}

let seq = 0
function message (db: Database, id: string, author: Uint8Array, kind: number, body: string, raw = new Uint8Array([1])): void {
  seq++
  db.prepare<[string, string, Uint8Array, number, number, number, number, string, Uint8Array]>('INSERT INTO messages (message_id, channel_id, author, seq, timestamp, received_at, kind, body, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, CHANNEL, author, seq, seq, seq, kind, body, raw)
}

function edit (db: Database, id: string, target: string, author: Uint8Array, text: string): void {
  message(db, id, author, KIND_EDIT, '')
  db.prepare<[string, string, string, number, Uint8Array, number, number, string]>('INSERT INTO entry_refs (message_id, channel_id, target_id, kind, author, seq, timestamp, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, CHANNEL, target, KIND_EDIT, author, seq, seq, text)
}

const found = (db: Database, query: string): number[] =>
  db.prepare<[string], { rowid: number }>('SELECT rowid FROM message_search WHERE message_search MATCH ? ORDER BY rowid').all(query).map(r => r.rowid)

test('010 indexes the messages held before it as new ones are indexed: long words cut, last edits by the author, deleted ones left out', t => {
  const db = before010(t)
  message(db, '1'.repeat(64), ALICE, KIND_TEXT, `see ${'x'.repeat(200)} here`)
  message(db, '2'.repeat(64), ALICE, KIND_TEXT, 'first draft')
  edit(db, '3'.repeat(64), '2'.repeat(64), ALICE, 'final wording')
  edit(db, '4'.repeat(64), '2'.repeat(64), BOB, 'forged wording')
  message(db, '5'.repeat(64), BOB, KIND_TEXT, 'erased words', new Uint8Array(0))
  search.up(db)

  const rowOf = (id: string): number => (db.prepare<[string], { rowid: number }>('SELECT rowid FROM messages WHERE message_id = ?').get(id) as { rowid: number }).rowid
  assert.deepEqual(found(db, `"${'x'.repeat(64)}"`), [rowOf('1'.repeat(64))], 'a 200-letter word is indexed by its first 64 letters')
  assert.deepEqual(found(db, 'final'), [rowOf('2'.repeat(64))])
  assert.deepEqual(found(db, 'draft'), [])
  assert.deepEqual(found(db, 'forged'), [], "another author's edit is not the message's text")
  assert.deepEqual(found(db, 'erased'), [])
})
