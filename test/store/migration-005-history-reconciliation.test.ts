import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { MIGRATIONS } from '../../core/store/migrations/index.ts'
import { historyReconciliation } from '../../core/store/migrations/005-history-reconciliation.ts'
import { IdSum } from '../../core/history/fingerprint.ts'
import { hexId, key, tempDbPath } from './store-fixture.ts'

const insertMessage = (db: Database, messageId: string, author: Uint8Array, seq: number): void => {
  db.prepare<[string, Uint8Array, number]>(`
    INSERT INTO messages (message_id, channel_id, author, seq, timestamp, received_at, kind, body, raw)
    VALUES (?, '${hexId(1)}', ?, ?, 1, 1, 1, 'hi', x'00')`).run(messageId, author, seq)
}

test('005 is the fifth migration', () => {
  assert.equal(historyReconciliation.version, 5)
  assert.equal(MIGRATIONS[4], historyReconciliation)
})

test('005 keeps every message, allows conflicting versions of one seq, and computes each author\'s digest', t => {
  const db = new Database(tempDbPath(t))
  t.after(() => db.close())
  db.pragma('foreign_keys = ON')
  for (const m of MIGRATIONS.slice(0, 4)) m.up(db)
  db.prepare(`INSERT INTO channels (channel_id, name, chat_file, joined_at) VALUES ('${hexId(1)}', 'c', x'00', 1)`).run()
  insertMessage(db, hexId(0x10), key(1), 1)
  insertMessage(db, hexId(0x20), key(1), 2)
  insertMessage(db, hexId(0x30), key(2), 1)
  assert.throws(() => insertMessage(db, hexId(0x40), key(1), 2), /UNIQUE/)
  historyReconciliation.up(db)
  assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages').get()!.n, 3)
  insertMessage(db, hexId(0x40), key(1), 2)
  const digests = db.prepare<[], { author: Uint8Array; count: number; idSum: Uint8Array }>(
    'SELECT author, count, id_sum AS idSum FROM author_digests ORDER BY author').all()
  const sum = (...ids: string[]): Uint8Array => ids.reduce((s, id) => s.add(Buffer.from(id, 'hex')), new IdSum()).bytes()
  assert.deepEqual(digests.map(d => [Buffer.from(d.author), d.count, Buffer.from(d.idSum)]), [
    [Buffer.from(key(1)), 2, Buffer.from(sum(hexId(0x10), hexId(0x20)))],
    [Buffer.from(key(2)), 1, Buffer.from(sum(hexId(0x30)))]
  ])
  const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
  assert.deepEqual(indexes.map(i => i.name), ['messages_by_arrival', 'messages_by_author', 'messages_by_time'])
})

test('005 forgets digests and flags with their channel', t => {
  const db = new Database(tempDbPath(t))
  t.after(() => db.close())
  db.pragma('foreign_keys = ON')
  for (const m of MIGRATIONS) m.up(db)
  db.prepare(`INSERT INTO channels (channel_id, name, chat_file, joined_at) VALUES ('${hexId(1)}', 'c', x'00', 1)`).run()
  db.prepare<[Uint8Array]>(`INSERT INTO author_digests (channel_id, author, count, id_sum) VALUES ('${hexId(1)}', ?, 1, zeroblob(32))`).run(key(1))
  db.prepare<[Uint8Array]>(`INSERT INTO flagged_authors (channel_id, author, seq, detected_at) VALUES ('${hexId(1)}', ?, 1, 1)`).run(key(1))
  db.prepare(`DELETE FROM channels WHERE channel_id = '${hexId(1)}'`).run()
  assert.equal(db.prepare<[], { n: number }>('SELECT (SELECT count(*) FROM author_digests) + (SELECT count(*) FROM flagged_authors) AS n').get()!.n, 0)
})
