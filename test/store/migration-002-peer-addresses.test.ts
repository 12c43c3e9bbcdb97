import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import Database from 'better-sqlite3'
import type { BindValue } from 'better-sqlite3'
import { initial } from '../../core/store/migrations/001-initial.ts'
import { peerAddresses } from '../../core/store/migrations/002-peer-addresses.ts'
import { hexId, key, tempDbPath } from './store-fixture.ts'

type Row = Record<string, BindValue>

function migrated (t: TestContext): Database {
  const db = new Database(tempDbPath(t))
  t.after(() => db.close())
  db.pragma('foreign_keys = ON')
  initial.up(db)
  peerAddresses.up(db)
  db.prepare<[string]>("INSERT INTO channels (channel_id, name, chat_file, joined_at) VALUES (?, 'c', x'00', 1)").run(hexId(1))
  db.prepare<[string]>("INSERT INTO channels (channel_id, name, chat_file, joined_at) VALUES (?, 'c', x'00', 1)").run(hexId(2))
  return db
}

const address = (fields: Row): Row =>
  ({ channelId: hexId(1), host: '10.0.0.1', port: 6881, publicKey: key(3), source: 'tracker', lastSeenAt: 5, ...fields })

function insert (db: Database, row: Row): void {
  db.prepare<[Row]>(`
    INSERT INTO peer_addresses (channel_id, host, port, public_key, source, last_seen_at)
    VALUES (@channelId, @host, @port, @publicKey, @source, @lastSeenAt)`).run(row)
}

test('002 adds the peer_addresses table on top of 001', t => {
  const db = migrated(t)
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('peer_addresses') ORDER BY cid").all()
  assert.deepEqual(columns.map(c => c.name),
    ['channel_id', 'host', 'port', 'public_key', 'source', 'last_seen_at', 'failures'])
})

test('002 starts an address with no failures', t => {
  const db = migrated(t)
  insert(db, address({}))
  assert.deepEqual(db.prepare('SELECT failures FROM peer_addresses').get(), { failures: 0 })
})

test('002 keeps one row per channel, host and port', t => {
  const db = migrated(t)
  insert(db, address({}))
  insert(db, address({ channelId: hexId(2) }))
  insert(db, address({ port: 6882 }))
  assert.throws(() => insert(db, address({ source: 'dht' })), /UNIQUE constraint failed/)
})

test('002 refuses an unknown source, a port outside 1..65535, a host over 64 bytes and a short key', t => {
  const db = migrated(t)
  assert.throws(() => insert(db, address({ source: 'carrier pigeon' })), /known_source/)
  assert.throws(() => insert(db, address({ port: 0 })), /port_u16/)
  assert.throws(() => insert(db, address({ port: 65536 })), /port_u16/)
  assert.throws(() => insert(db, address({ host: 'é'.repeat(33) })), /host_1_to_64_bytes/)
  assert.throws(() => insert(db, address({ host: '' })), /host_1_to_64_bytes/)
  assert.throws(() => insert(db, address({ publicKey: new Uint8Array(31) })), /public_key_32_bytes/)
  insert(db, address({ host: 'a'.repeat(64), publicKey: null }))
})

test('002 deletes a channel\'s addresses with the channel', t => {
  const db = migrated(t)
  insert(db, address({}))
  insert(db, address({ channelId: hexId(2) }))
  db.prepare<[string]>('DELETE FROM channels WHERE channel_id = ?').run(hexId(1))
  assert.deepEqual(db.prepare('SELECT channel_id AS id FROM peer_addresses').all(), [{ id: hexId(2) }])
})

test('002 rejects an address for a channel that is not joined', t => {
  const db = migrated(t)
  assert.throws(() => insert(db, address({ channelId: hexId(3) })), /FOREIGN KEY/)
})
