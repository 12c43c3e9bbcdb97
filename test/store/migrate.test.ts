import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { BitChatError } from '../../core/api/errors.ts'
import { migrate, schemaVersion } from '../../core/store/migrate.ts'
import { MIGRATIONS } from '../../core/store/migrations/index.ts'
import { Store } from '../../core/store/store.ts'
import { tempDbPath } from './store-fixture.ts'

const LATEST = MIGRATIONS.length

function openRaw (t: import('node:test').TestContext, path = tempDbPath(t)): Database {
  const db = new Database(path)
  t.after(() => db.close())
  return db
}

function schema (db: Database): unknown[] {
  return db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all()
}

test('migrations are numbered 1..n in list order, with distinct names', () => {
  assert.deepEqual(MIGRATIONS.map(m => m.version), MIGRATIONS.map((_, i) => i + 1))
  assert.equal(new Set(MIGRATIONS.map(m => m.name)).size, MIGRATIONS.length)
})

test('migrate brings an empty database to the latest version', t => {
  const db = openRaw(t)
  assert.equal(schemaVersion(db), 0)
  assert.equal(migrate(db), LATEST)
  assert.equal(schemaVersion(db), LATEST)
})

test('migrate run again changes neither schema nor data', t => {
  const db = openRaw(t)
  migrate(db)
  db.prepare("INSERT INTO settings (key, value) VALUES ('a', 'b')").run()
  const before = schema(db)
  assert.equal(migrate(db), LATEST)
  assert.deepEqual(schema(db), before)
  assert.deepEqual(db.prepare('SELECT key, value FROM settings').all(), [{ key: 'a', value: 'b' }])
})

test('migrate applies only the pending migrations and keeps existing rows', t => {
  const db = openRaw(t)
  migrate(db, MIGRATIONS.slice(0, 1))
  db.prepare("INSERT INTO settings (key, value) VALUES ('kept', 'yes')").run()
  assert.equal(schemaVersion(db), 1)
  migrate(db)
  assert.equal(schemaVersion(db), LATEST)
  assert.deepEqual(db.prepare('SELECT value FROM settings').all(), [{ value: 'yes' }])
})

test('a migration that throws leaves neither its changes nor its version behind', t => {
  const db = openRaw(t)
  const broken = {
    version: 2,
    name: 'broken',
    up (db: Database): void {
      db.exec('CREATE TABLE half_done (x INTEGER)')
      throw new Error('boom')
    }
  }
  assert.throws(() => migrate(db, [MIGRATIONS[0]!, broken]), /boom/)
  assert.equal(schemaVersion(db), 1)
  assert.equal(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get(), undefined)
})

test('migrate refuses a database written by a newer schema', t => {
  const db = openRaw(t)
  db.pragma(`user_version = ${LATEST + 1}`)
  assert.throws(() => migrate(db), (err: unknown) => {
    assert.ok(err instanceof BitChatError)
    assert.match(err.message, new RegExp(`schema version ${LATEST + 1}, newer than the ${LATEST} this BitChat knows`))
    assert.match(err.message, /upgrade BitChat/)
    return true
  })
  assert.deepEqual(schema(db), [])
})

test('Store.open refuses a database written by a newer schema, keeping its schema and version', t => {
  const path = tempDbPath(t)
  const db = new Database(path)
  db.pragma(`user_version = ${LATEST + 7}`)
  db.close()
  assert.throws(() => Store.open(path), /newer than the/)
  const again = openRaw(t, path)
  assert.equal(schemaVersion(again), LATEST + 7)
  assert.deepEqual(schema(again), [])
})
