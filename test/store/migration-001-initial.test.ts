import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { initial } from '../../core/store/migrations/001-initial.ts'
import { hexId, key, tempDbPath } from './store-fixture.ts'

function migrated (t: TestContext): Database {
  const db = new Database(tempDbPath(t))
  t.after(() => db.close())
  db.pragma('foreign_keys = ON')
  initial.up(db)
  return db
}

function columns (db: Database, table: string): string[] {
  return db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`).all().map(c => c.name)
}

const identity = (fields: Record<string, Uint8Array | string | number | null>): Record<string, Uint8Array | string | number | null> =>
  ({ id: 1, publicKey: key(1), secretKey: new Uint8Array(64), sealed: null, name: 'me', createdAt: 1, ...fields })
const insertIdentity = (db: Database, row: Record<string, Uint8Array | string | number | null>): void => {
  db.prepare<[Record<string, Uint8Array | string | number | null>]>(`
    INSERT INTO identity (id, public_key, secret_key, sealed_secret_key, name, created_at)
    VALUES (@id, @publicKey, @secretKey, @sealed, @name, @createdAt)`).run(row)
}
const insertChannel = (db: Database, channelId: string): void => {
  db.prepare<[string]>("INSERT INTO channels (channel_id, name, chat_file, joined_at) VALUES (?, 'c', x'00', 1)").run(channelId)
}
const insertMessage = (db: Database, messageId: string, channelId: string, author: Uint8Array | string, seq: number): void => {
  db.prepare<[string, string, Uint8Array | string, number]>(`
    INSERT INTO messages (message_id, channel_id, author, seq, timestamp, received_at, kind, body, raw)
    VALUES (?, ?, ?, ?, 1, 1, 1, 'hi', x'00')`).run(messageId, channelId, author, seq)
}

test('001 creates the identity, settings, channels and messages tables on an empty database', t => {
  const db = migrated(t)
  assert.deepEqual(columns(db, 'identity'), ['id', 'public_key', 'secret_key', 'sealed_secret_key', 'name', 'created_at'])
  assert.deepEqual(columns(db, 'settings'), ['key', 'value'])
  assert.deepEqual(columns(db, 'channels'), ['channel_id', 'name', 'chat_file', 'joined_at', 'last_read_at'])
  assert.deepEqual(columns(db, 'messages'),
    ['message_id', 'channel_id', 'author', 'seq', 'timestamp', 'received_at', 'kind', 'body', 'raw'])
})

test('001 keeps at most one identity row', t => {
  const db = migrated(t)
  insertIdentity(db, identity({}))
  assert.throws(() => insertIdentity(db, identity({ id: 2 })), /identity_single_row/)
})

test('001 stores the secret key either in the clear or sealed, never both or neither', t => {
  const db = migrated(t)
  assert.throws(() => insertIdentity(db, identity({ sealed: new Uint8Array(100) })), /secret_key_clear_or_sealed/)
  assert.throws(() => insertIdentity(db, identity({ secretKey: null })), /secret_key_clear_or_sealed/)
  insertIdentity(db, identity({ secretKey: null, sealed: new Uint8Array(100) }))
})

test('001 rejects identity keys of the wrong length', t => {
  const db = migrated(t)
  assert.throws(() => insertIdentity(db, identity({ publicKey: new Uint8Array(31) })), /public_key_32_bytes/)
  assert.throws(() => insertIdentity(db, identity({ secretKey: new Uint8Array(32) })), /secret_key_64_bytes/)
})

test('001 accepts only lowercase hex channel and message ids', t => {
  const db = migrated(t)
  assert.throws(() => insertChannel(db, hexId(0xab).toUpperCase()), /channel_id_hex/)
  assert.throws(() => insertChannel(db, hexId(1).slice(2)), /channel_id_hex/)
  insertChannel(db, hexId(1))
  assert.throws(() => insertMessage(db, 'z'.repeat(64), hexId(1), key(1), 1), /message_id_hex/)
})

test('001 rejects a message for a channel that is not joined', t => {
  const db = migrated(t)
  assert.throws(() => insertMessage(db, hexId(9), hexId(1), key(1), 1), /FOREIGN KEY/)
})

test('001 allows one message per channel, author and seq', t => {
  const db = migrated(t)
  insertChannel(db, hexId(1))
  insertMessage(db, hexId(10), hexId(1), key(1), 1)
  insertMessage(db, hexId(11), hexId(1), key(2), 1)
  assert.throws(() => insertMessage(db, hexId(12), hexId(1), key(1), 1), /UNIQUE constraint failed/)
})

test('001 tables are strict: an author given as text is refused', t => {
  const db = migrated(t)
  insertChannel(db, hexId(1))
  assert.throws(() => insertMessage(db, hexId(10), hexId(1), 'a'.repeat(32), 1), /cannot store TEXT value in BLOB column/)
})

test('001 deletes a channel\'s messages with the channel', t => {
  const db = migrated(t)
  insertChannel(db, hexId(1))
  insertChannel(db, hexId(2))
  insertMessage(db, hexId(10), hexId(1), key(1), 1)
  insertMessage(db, hexId(11), hexId(2), key(1), 1)
  db.prepare<[string]>('DELETE FROM channels WHERE channel_id = ?').run(hexId(1))
  assert.deepEqual(db.prepare('SELECT message_id AS id FROM messages').all(), [{ id: hexId(11) }])
})

test('001 starts a channel with last_read_at 0', t => {
  const db = migrated(t)
  insertChannel(db, hexId(1))
  assert.deepEqual(db.prepare('SELECT last_read_at AS at FROM channels').get(), { at: 0 })
})
