import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { MIGRATIONS } from '../../core/store/migrations/index.ts'
import { contacts } from '../../core/store/migrations/006-contacts.ts'
import { tempDbPath } from './store-fixture.ts'

function migrated (t: TestContext): Database {
  const db = new Database(tempDbPath(t))
  t.after(() => db.close())
  for (const m of MIGRATIONS) m.up(db)
  return db
}

const insert = (db: Database, row: { key?: Uint8Array; name?: string; theirName?: string | null; notes?: string; verified?: number; blocked?: number }): void => {
  db.prepare<[Uint8Array, string, string | null, string, number, number]>('INSERT INTO contacts (public_key, name, their_name, notes, verified, blocked, added_at) VALUES (?, ?, ?, ?, ?, ?, 0)')
    .run(row.key ?? new Uint8Array(32).fill(1), row.name ?? 'bob', row.theirName ?? null, row.notes ?? '', row.verified ?? 0, row.blocked ?? 0)
}

test('006 is the sixth migration and adds the contacts table', t => {
  assert.equal(contacts.version, 6)
  assert.equal(MIGRATIONS[5], contacts)
  const db = migrated(t)
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('contacts') ORDER BY cid").all()
  assert.deepEqual(columns.map(c => c.name), ['public_key', 'name', 'their_name', 'notes', 'verified', 'blocked', 'added_at'])
})

test('006 keeps one contact per key, with every field bounded', t => {
  const db = migrated(t)
  insert(db, {})
  assert.throws(() => { insert(db, {}) }, /UNIQUE constraint failed/)
  assert.throws(() => { insert(db, { key: new Uint8Array(31) }) }, /public_key_32_bytes/)
  assert.throws(() => { insert(db, { key: new Uint8Array(32).fill(2), name: 'x'.repeat(257) }) }, /name_at_most_256_bytes/)
  assert.throws(() => { insert(db, { key: new Uint8Array(32).fill(2), theirName: 'x'.repeat(257) }) }, /their_name_at_most_256_bytes/)
  assert.throws(() => { insert(db, { key: new Uint8Array(32).fill(2), notes: 'x'.repeat(8193) }) }, /notes_at_most_8_kib/)
  assert.throws(() => { insert(db, { key: new Uint8Array(32).fill(2), verified: 2 }) }, /CHECK constraint failed/)
  assert.throws(() => { insert(db, { key: new Uint8Array(32).fill(2), blocked: -1 }) }, /CHECK constraint failed/)
})
