// JSON-RPC bounds on real daemons: a batch asking for huge results gets errors, not a daemon that
// grows to gigabytes and dies; a client that stops reading stdout does not grow the daemon without
// bound while messages keep arriving for it.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { createTestnet, RpcError, type DaemonProcess, type Testnet, waitUntil } from '../helpers/testnet.ts'

// 8 KiB of a control character: 48 KiB once escaped in JSON, the largest notification a member can cause.
const HEAVY_TEXT = '\u0001'.repeat(8192)
const MiB = 1024 * 1024

/** The daemon's resident memory now and at its peak, from /proc. */
function memoryOf (daemon: DaemonProcess): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${daemon.pid}/status`, 'utf8')
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
  return { rss: kib('VmRSS'), peak: kib('VmHWM') }
}

/** In batches of 10: each request is 48 KiB of JSON, and a line may hold at most 1 MiB. */
async function sendMany (daemon: DaemonProcess, channelId: string, count: number): Promise<void> {
  for (let sent = 0; sent < count; sent += 10) {
    const replies = await daemon.batch(Array.from({ length: Math.min(10, count - sent) }, () => ({ method: 'messages.send', params: { channelId, text: HEAVY_TEXT } })))
    assert.ok(replies.every(r => r.status === 'fulfilled'), 'every send is stored')
  }
}

describe('JSON-RPC bounds', () => {
  let net: Testnet

  before(async () => { net = await createTestnet() })
  after(async () => { await net.close() })

  it('answers a batch of eight messages.list {limit: 10000} over long messages with errors, at bounded memory', async () => {
    const daemon = net.daemon('hoarder')
    const { channelId } = await daemon.call('channels.create', { name: 'archive', trackers: [] })
    await sendMany(daemon, channelId, 1500)
    const replies = await daemon.batch(Array.from({ length: 8 }, () => ({ method: 'messages.list', params: { channelId, limit: 10_000 } })))
    for (const reply of replies) {
      assert.equal(reply.status, 'rejected')
      assert.ok(reply.reason instanceof RpcError && reply.reason.code === 'RESULT_TOO_LARGE', String(reply.reason))
      assert.match(reply.reason.message, /larger than 8 MiB: ask for fewer \(a smaller limit\)/)
    }
    assert.ok(memoryOf(daemon).peak < 400 * MiB, `peak RSS ${Math.round(memoryOf(daemon).peak / MiB)} MiB`)
    assert.equal((await daemon.call('messages.list', { channelId, limit: 100 })).length, 100)
  })

  it('does not grow while the reader stops reading stdout and a member floods the channel', async () => {
    const reader = net.daemon('stalled')
    const sender = net.daemon('flooder')
    const { channelId, uri } = await reader.call('channels.create', { name: 'flood', trackers: [net.trackerUrl] })
    await sender.call('channels.join', { uri })
    await reader.waitFor('peer.connected', p => p.channelId === channelId, 20_000)
    const stored = new Database(path.join(reader.dataDir, 'bitchat.db'))
    const count = (): number => (stored.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n

    reader.stopReading()
    // The first few hundred warm the daemon up (caches, heap) whether or not it holds on to notifications.
    await sendMany(sender, channelId, 500)
    await waitUntil(() => count() === 500, 60_000, 'the stalled reader to store the first messages')
    const baseline = memoryOf(reader).rss
    await sendMany(sender, channelId, 1500)
    await waitUntil(() => count() === 2000, 60_000, 'the stalled reader to store every message')
    const grown = memoryOf(reader).rss - baseline
    stored.close()
    // Holding 1,500 more notifications of 48 KiB for the reader would be 70 MiB more.
    assert.ok(grown < 30 * MiB, `RSS grew by ${Math.round(grown / MiB)} MiB`)
    await waitUntil(() => reader.stderr.some(l => l.includes('dropping notifications')), 10_000, 'the drop to be logged')

    reader.resumeReading()
    assert.equal((await reader.call('identity.get', {})).name, 'stalled')
    await reader.waitFor('message.received', m => m.channelId === channelId)
  })
})
