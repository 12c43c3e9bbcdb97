import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { initial } from '../../core/store/migrations/001-initial.ts'
import { peerAddresses } from '../../core/store/migrations/002-peer-addresses.ts'
import { dhtNodes } from '../../core/store/migrations/003-dht-nodes.ts'
import { tempDbPath } from './store-fixture.ts'

function migrated (t: TestContext): Database {
  const db = new Database(tempDbPath(t))
  t.after(() => db.close())
  initial.up(db)
  peerAddresses.up(db)
  dhtNodes.up(db)
  return db
}

function insert (db: Database, host: string, port: number): void {
  db.prepare<[string, number]>('INSERT INTO dht_nodes (host, port) VALUES (?, ?)').run(host, port)
}

test('003 adds the dht_nodes table on top of 002', t => {
  const db = migrated(t)
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('dht_nodes') ORDER BY cid").all()
  assert.deepEqual(columns.map(c => c.name), ['host', 'port'])
})

test('003 keeps one row per host and port', t => {
  const db = migrated(t)
  insert(db, '10.0.0.1', 6881)
  insert(db, '10.0.0.1', 6882)
  assert.throws(() => { insert(db, '10.0.0.1', 6881) }, /UNIQUE constraint failed/)
})

test('003 refuses a port outside 1..65535 and a host that is empty or over 64 bytes', t => {
  const db = migrated(t)
  assert.throws(() => { insert(db, '10.0.0.1', 0) }, /port_u16/)
  assert.throws(() => { insert(db, '10.0.0.1', 65536) }, /port_u16/)
  assert.throws(() => { insert(db, '', 6881) }, /host_1_to_64_bytes/)
  assert.throws(() => { insert(db, 'é'.repeat(33), 6881) }, /host_1_to_64_bytes/)
  insert(db, 'a'.repeat(64), 65535)
})
