// A full disk is a state the node lives through: every write refuses with DISK_FULL (a stable code
// the node and its callers can act on), and once space is back the same store writes again, with
// its write-ahead log kept small enough that it cannot fill a small disk by itself.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { BitChatError } from '../../core/api/errors.ts'
import { Store } from '../../core/store/store.ts'
import { mountTinyDisk, tinyDiskUnavailable } from '../helpers/tiny-disk.ts'
import { channel, hexId, key, message } from './store-fixture.ts'

const skip = tinyDiskUnavailable()
const isDiskFull = (err: unknown): boolean => err instanceof BitChatError && err.code === 'DISK_FULL' && /disk is full/.test(err.message)
const body = (n: number): string => `${n} `.padEnd(6000, 'x')

test('every kind of write on a full disk is DISK_FULL, and the same store writes again once space is back', { skip: skip ?? false }, (t) => {
  const disk = mountTinyDisk(t)
  const store = Store.open(path.join(disk.dir, 'bitchat.db'))
  t.after(() => { store.close() })
  store.addChannel(channel(1))
  const channelId = hexId(1)
  disk.fill()
  let seq = 1
  // Free pages inside the files may take a few first; then the disk refuses.
  assert.throws(() => { for (;; seq++) store.insertMessage(message({ channelId, seq, body: body(seq) })) }, isDiskFull)
  assert.throws(() => { store.insertMessage(message({ channelId, seq, body: body(seq) })) }, isDiskFull)
  assert.throws(() => { for (let i = 0; ; i++) store.saveMember({ channelId, publicKey: key(i % 250), name: `member ${i}`, lastSeenAt: i }) }, isDiskFull)
  assert.throws(() => { for (let i = 0; ; i++) store.upsertPeerAddress({ channelId, host: `10.0.${i >> 8}.${i & 255}`, port: 4000, publicKey: null, source: 'tracker', lastSeenAt: i }) }, isDiskFull)
  assert.throws(() => { for (let i = 0; ; i++) store.setSetting(`k${i}`, body(i)) }, isDiskFull)

  disk.free()
  const stored = store.countMessages(channelId)
  for (let i = 0; i < 50; i++, seq++) assert.equal(store.insertMessage(message({ channelId, seq, body: body(seq) })), true)
  assert.equal(store.countMessages(channelId), stored + 50)
  store.setSetting('after', 'space is back')
  assert.equal(store.getSetting('after'), 'space is back')
})

test('the write-ahead log stays small under sustained writes, so it cannot fill a small disk by itself', { skip: skip ?? false }, (t) => {
  const disk = mountTinyDisk(t, 8)
  const file = path.join(disk.dir, 'bitchat.db')
  const store = Store.open(file)
  t.after(() => { store.close() })
  store.addChannel(channel(1))
  let largestWal = 0
  for (let seq = 1; seq <= 800; seq++) {
    store.insertMessage(message({ channelId: hexId(1), seq, body: body(seq) }))
    largestWal = Math.max(largestWal, fs.statSync(`${file}-wal`).size)
  }
  assert.ok(largestWal <= 1.5 * 1024 * 1024, `the WAL reached ${largestWal} bytes`)
})
