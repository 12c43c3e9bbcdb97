// A real daemon whose data folder is on a tiny filesystem that fills up: messages.send says
// DISK_FULL in plain words, the daemon keeps running, and once space is back sending works again
// without a restart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createTestnet, RpcError, waitUntil } from '../helpers/testnet.ts'
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

test('a member whose disk fills keeps its sessions, and gets every message sent meanwhile once space is back, without a restart', { skip: skip ?? false }, async (t) => {
  const disk = mountTinyDisk(t, 4)
  const net = await createTestnet()
  t.after(async () => { await net.close() })
  const cramped = net.daemon('cramped', { dataDir: path.join(disk.dir, 'node') })
  const roomy = net.daemon('roomy')
  const { channelId, uri } = await roomy.call('channels.create', { name: 'full', trackers: [net.trackerUrl] })
  await cramped.call('channels.join', { uri })
  await cramped.waitFor('peer.connected', p => p.channelId === channelId, 15_000)

  disk.fill()
  const sent: string[] = []
  for (let i = 0; i < 300; i++) sent.push((await roomy.call('messages.send', { channelId, text: `while the disk is full ${i} `.padEnd(400, '.') })).messageId)
  await waitUntil(() => cramped.stderr.some(l => l.includes('disk full: receiving paused')), 15_000, 'the cramped member to run out of space')
  disk.free()

  await waitUntil(async () => {
    const ids = new Set((await cramped.call('messages.list', { channelId, limit: 1000 })).map(m => m.messageId))
    return sent.every(id => ids.has(id))
  }, 30_000, 'every message sent while the disk was full')
  assert.deepEqual(cramped.received('peer.disconnected'), [], 'the session stayed up')
  assert.equal(cramped.stderr.filter(l => l.includes('internal error')).length, 0)
})
