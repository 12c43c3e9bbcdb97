import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { MIGRATIONS } from '../../core/store/migrations/index.ts'
import { channelEpochs } from '../../core/store/migrations/012-channel-epochs.ts'
import { channel, hexId, tempDbPath } from './store-fixture.ts'

function migrated (t: TestContext): Database {
  const db = new Database(tempDbPath(t))
  t.after(() => db.close())
  db.pragma('foreign_keys = ON')
  for (const m of MIGRATIONS) m.up(db)
  const c = channel(1)
  db.prepare<[string, string, Uint8Array, number]>('INSERT INTO channels (channel_id, name, chat_file, joined_at) VALUES (?, ?, ?, ?)').run(c.channelId, c.name, c.chatFile, c.joinedAt)
  return db
}

const insert = (db: Database, epoch: number, key: Uint8Array, retireAt: number | null): void => {
  db.prepare<[string, number, Uint8Array, number | null]>('INSERT INTO channel_epochs (channel_id, epoch, key, retire_at) VALUES (?, ?, ?, ?)').run(hexId(1), epoch, key, retireAt)
}

test('012 adds the keys of channels\' epochs', t => {
  assert.equal(channelEpochs.version, 12)
  assert.ok(MIGRATIONS.includes(channelEpochs))
  const db = migrated(t)
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('channel_epochs') ORDER BY cid").all()
  assert.deepEqual(columns.map(c => c.name), ['channel_id', 'epoch', 'key', 'retire_at'])
})

test('012 holds one current key per channel, 32-byte keys, u32 epochs, and only for a stored channel', t => {
  const db = migrated(t)
  insert(db, 1, new Uint8Array(32), null)
  insert(db, 0, new Uint8Array(32), 5)
  assert.throws(() => { insert(db, 2, new Uint8Array(32), null) }, /UNIQUE/, 'a second current key')
  assert.throws(() => { insert(db, 3, new Uint8Array(31), 5) }, /key_32_bytes/)
  assert.throws(() => { insert(db, 2 ** 32, new Uint8Array(32), 5) }, /epoch_u32/)
  assert.throws(() => { db.prepare<[string, Uint8Array]>('INSERT INTO channel_epochs (channel_id, epoch, key) VALUES (?, 1, ?)').run(hexId(2), new Uint8Array(32)) }, /FOREIGN KEY/)
  db.prepare<[string]>('DELETE FROM channels WHERE channel_id = ?').run(hexId(1))
  assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM channel_epochs').get()?.n, 0, 'leaving a channel forgets its keys')
})
