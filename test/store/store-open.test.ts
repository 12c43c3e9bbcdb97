import assert from 'node:assert/strict'
import { existsSync, statSync, copyFileSync } from 'node:fs'
import { once } from 'node:events'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { schemaVersion } from '../../core/store/migrate.ts'
import { MIGRATIONS } from '../../core/store/migrations/index.ts'
import { Store } from '../../core/store/store.ts'
import { channel, key, message, openTempStore, tempDbPath } from './store-fixture.ts'

test('open creates the database file readable and writable by its owner only', { skip: process.platform === 'win32' }, t => {
  const { path: file } = openTempStore(t)
  assert.equal(statSync(file).mode & 0o777, 0o600)
})

test('open leaves the database in WAL mode at the latest schema version', t => {
  const { path: file } = openTempStore(t)
  const raw = new Database(file)
  t.after(() => raw.close())
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal')
  assert.equal(schemaVersion(raw), MIGRATIONS.length)
})

test('close checkpoints the WAL, so the main file alone holds everything written', t => {
  const file = tempDbPath(t)
  const store = Store.open(file)
  store.setSetting('listenPort', '6881')
  store.addChannel(channel(1))
  store.insertMessage(message({ channelId: channel(1).channelId, body: 'kept' }))
  store.close()
  assert.ok(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0)

  const copy = path.join(path.dirname(file), 'copy.db')
  copyFileSync(file, copy)
  const reopened = Store.open(copy)
  t.after(() => reopened.close())
  assert.equal(reopened.getSetting('listenPort'), '6881')
  assert.deepEqual(reopened.listMessages(channel(1).channelId, { limit: 10 }).map(m => m.body), ['kept'])
})

test('reopening a closed store finds every kind of row again', t => {
  const file = tempDbPath(t)
  const first = Store.open(file)
  first.saveIdentity({ publicKey: key(1), secretKey: new Uint8Array(64), sealedSecretKey: null, name: 'me', createdAt: 1 })
  first.addChannel(channel(1))
  first.insertMessage(message({ channelId: channel(1).channelId }))
  first.upsertPeerAddress({ channelId: channel(1).channelId, host: '10.0.0.1', port: 1, publicKey: null, source: 'lan', lastSeenAt: 1 })
  first.close()

  const second = Store.open(file)
  t.after(() => second.close())
  assert.equal(second.getIdentity()?.name, 'me')
  assert.equal(second.listChannels().length, 1)
  assert.equal(second.countMessages(channel(1).channelId), 1)
  assert.equal(second.listPeerAddresses(channel(1).channelId, 10).length, 1)
})

test('close is harmless when called twice', t => {
  const { store } = openTempStore(t)
  store.close()
  store.close()
})

test('a write waits for another connection\'s lock instead of failing', async t => {
  const { store, path: file } = openTempStore(t)
  const holdMs = 300
  const worker = new Worker(`
    const { workerData, parentPort } = require('node:worker_threads')
    const Database = require(workerData.module)
    const db = new Database(workerData.file)
    db.exec('BEGIN IMMEDIATE')
    db.prepare("INSERT INTO settings (key, value) VALUES ('worker', 'held')").run()
    parentPort.postMessage('locked')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs)
    db.exec('COMMIT')
    db.close()
  `, { eval: true, workerData: { module: fileURLToPath(import.meta.resolve('better-sqlite3')), file, holdMs } })
  const exited = once(worker, 'exit')
  await once(worker, 'message')

  const started = performance.now()
  store.setSetting('main', 'waited')
  assert.ok(performance.now() - started >= holdMs / 2)
  assert.equal(store.getSetting('worker'), 'held')
  assert.equal(store.getSetting('main'), 'waited')
  assert.deepEqual(await exited, [0])
})
