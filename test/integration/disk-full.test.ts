// A real daemon whose data folder is on a tiny filesystem that fills up: messages.send says
// DISK_FULL in plain words, the daemon keeps running, and once space is back sending works again
// without a restart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createTestnet, RpcError } from '../helpers/testnet.ts'
import { mountTinyDisk, tinyDiskUnavailable } from '../helpers/tiny-disk.ts'

const skip = tinyDiskUnavailable()

test('messages.send on a full disk is DISK_FULL, and works again once space is back, without a restart', { skip: skip ?? false }, async (t) => {
  const disk = mountTinyDisk(t, 4)
  const net = await createTestnet()
  t.after(async () => { await net.close() })
  const daemon = net.daemon('cramped', { dataDir: path.join(disk.dir, 'node') })
  const { channelId } = await daemon.call('channels.create', { name: 'cramped', trackers: [] })
  await daemon.call('messages.send', { channelId, text: 'before' })

  disk.fill()
  let refusal: unknown
  for (let i = 0; i < 500 && refusal === undefined; i++) {
    await daemon.call('messages.send', { channelId, text: `while full ${i} `.padEnd(4000, '.') }).catch((err: unknown) => { refusal = err })
  }
  assert.ok(refusal instanceof RpcError, `no refusal: ${String(refusal)}`)
  assert.equal(refusal.code, 'DISK_FULL')
  assert.equal(refusal.message, 'the disk is full: nothing new can be saved until some space is freed')
  assert.equal((await daemon.call('identity.get', {})).name, 'cramped')

  disk.free()
  const { messageId } = await daemon.call('messages.send', { channelId, text: 'after' })
  const texts = (await daemon.call('messages.list', { channelId, limit: 3 })).map(m => m.text)
  assert.equal(texts.at(-1), 'after')
  assert.ok((await daemon.call('messages.list', { channelId })).some(m => m.messageId === messageId))
  assert.equal(daemon.stderr.filter(l => l.includes('internal error')).length, 0, 'nothing was answered as INTERNAL')
})
