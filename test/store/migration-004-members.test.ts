import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { MIGRATIONS } from '../../core/store/migrations/index.ts'
import { members } from '../../core/store/migrations/004-members.ts'
import { tempDbPath } from './store-fixture.ts'

function migrated (t: TestContext): Database {
  const db = new Database(tempDbPath(t))
  t.after(() => db.close())
  db.pragma('foreign_keys = ON')
  for (const m of MIGRATIONS) m.up(db)
  db.prepare<[string]>("INSERT INTO channels (channel_id, name, chat_file, joined_at, last_read_at) VALUES (?, 'c', x'00', 0, 0)").run('ab'.repeat(32))
  return db
}

const insert = (db: Database, key: Uint8Array, name: string, channel = 'ab'.repeat(32)): void => {
  db.prepare<[string, Uint8Array, string]>('INSERT INTO members (channel_id, public_key, name, last_seen_at) VALUES (?, ?, ?, 0)').run(channel, key, name)
}

test('004 is the fourth migration and adds the members table', t => {
  assert.equal(members.version, 4)
  assert.equal(MIGRATIONS[3], members)
  const db = migrated(t)
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('members') ORDER BY cid").all()
  assert.deepEqual(columns.map(c => c.name), ['channel_id', 'public_key', 'name', 'last_seen_at'])
})

test('004 keeps one name per member and channel, with a 32-byte key and a bounded name', t => {
  const db = migrated(t)
  insert(db, new Uint8Array(32).fill(1), 'alice')
  assert.throws(() => { insert(db, new Uint8Array(32).fill(1), 'again') }, /UNIQUE constraint failed/)
  assert.throws(() => { insert(db, new Uint8Array(31), 'short key') }, /public_key_32_bytes/)
  assert.throws(() => { insert(db, new Uint8Array(32).fill(2), 'x'.repeat(257)) }, /name_at_most_256_bytes/)
})

test('004 forgets a channel\'s members with the channel', t => {
  const db = migrated(t)
  insert(db, new Uint8Array(32).fill(1), 'alice')
  db.prepare('DELETE FROM channels').run()
  assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM members').get()?.n, 0)
  assert.throws(() => { insert(db, new Uint8Array(32).fill(1), 'alice', 'cd'.repeat(32)) }, /FOREIGN KEY/)
})
