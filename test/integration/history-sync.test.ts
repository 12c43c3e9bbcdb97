// Proof that history sync leaves no hole (issue: a 1,500-message backlog plus live messages lost
// 501..1,503 for good): real daemons on a loopback tracker, every acknowledged message counted.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, tempDir, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'
import type { MessageInfo } from '../../core/api/contract.ts'

/** Every message a daemon holds in the channel, oldest first, read page by page as a client would. */
async function history (d: DaemonProcess, channelId: string): Promise<MessageInfo[]> {
  const pages: MessageInfo[][] = []
  let before: string | undefined
  for (;;) {
    const page = await d.call('messages.list', { channelId, limit: 5000, ...(before === undefined ? {} : { before }) })
    if (page.length === 0) break
    pages.unshift(page)
    before = page[0]!.messageId
  }
  return pages.flat()
}

async function sendMany (d: DaemonProcess, channelId: string, texts: string[]): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < texts.length; i += 100) {
    ids.push(...(await Promise.all(texts.slice(i, i + 100).map(async text => (await d.call('messages.send', { channelId, text })).messageId))))
  }
  return ids
}

for (const backlog of [1_500, 5_000]) {
  describe(`a member ${backlog} messages behind while live messages keep coming`, () => {
    it('receives every acknowledged message exactly once, in order, without reconnecting', async () => {
      const net = await createTestnet()
      try {
        const sender = net.daemon('sender')
        const late = net.daemon('late')
        const { channelId, uri } = await sender.call('channels.create', { name: 'backlog', trackers: [net.trackerUrl] })
        const acknowledged = await sendMany(sender, channelId, Array.from({ length: backlog }, (_, i) => `backlog ${i}`))
        await late.call('channels.join', { uri })
        await late.waitFor('peer.connected', p => p.channelId === channelId, 15_000)
        // Live messages while the backlog is still arriving: each moves the sender's head past the hole.
        for (let i = 0; i < 300; i++) {
          acknowledged.push((await sender.call('messages.send', { channelId, text: `live ${i}` })).messageId)
          if (i % 20 === 0) await new Promise(resolve => setTimeout(resolve, 10))
        }
        await waitUntil(async () => (await history(late, channelId)).length >= acknowledged.length, 60_000, `${acknowledged.length} messages at the late member`)
        const got = await history(late, channelId)
        assert.equal(got.length, acknowledged.length)
        assert.deepEqual(new Set(got.map(m => m.messageId)), new Set(acknowledged))
        // One author whose clock only moves forward: conversation order is send order.
        assert.deepEqual(got.map(m => m.text), [...Array.from({ length: backlog }, (_, i) => `backlog ${i}`), ...Array.from({ length: 300 }, (_, i) => `live ${i}`)])
        assert.deepEqual(late.received('peer.disconnected'), [])
      } finally {
        await net.close()
      }
    })
  })
}

describe('a sender killed with SIGKILL and restarted during traffic', () => {
  it('leaves every peer with every acknowledged message within seconds of the traffic stopping', async () => {
    const net = await createTestnet({ trackerInterval: 1_000 })
    try {
      const senderDir = tempDir()
      let sender = net.daemon('sender', { dataDir: senderDir })
      const peers = [net.daemon('bob'), net.daemon('carol')]
      const { channelId, uri } = await sender.call('channels.create', { name: 'soak', trackers: [net.trackerUrl] })
      for (const p of peers) await p.call('channels.join', { uri })
      await waitUntil(async () => (await sender.call('peers.list', { channelId })).length === 2, 15_000, 'sender meets both peers')
      const acknowledged: string[] = []
      for (let round = 0; round < 8; round++) {
        // Requests in flight when the process dies are not acknowledged; only answered ones count.
        const inFlight: Promise<void>[] = []
        const started = Date.now()
        let n = 0
        while (Date.now() - started < 1_500 + round * 100) {
          const text = `round ${round} message ${n++}`
          inFlight.push(sender.call('messages.send', { channelId, text }).then(r => { acknowledged.push(r.messageId) }, () => {}))
          if (n % 100 === 0) await new Promise(resolve => setTimeout(resolve, 1))
        }
        sender.kill()
        await Promise.all(inFlight)
        await waitUntil(() => peers.every(p => p.received('peer.disconnected').length > round), 15_000, 'peers to see the sender go')
        sender = net.daemon('sender', { dataDir: senderDir })
        const restarted = sender
        await waitUntil(async () => (await restarted.call('peers.list', { channelId })).length === 2, 20_000, 'the restarted sender to meet both peers')
      }
      const stoppedAt = Date.now()
      for (const p of peers) {
        await waitUntil(async () => {
          const ids = new Set((await history(p, channelId)).map(m => m.messageId))
          return acknowledged.every(id => ids.has(id))
        }, 30_000, `every acknowledged message at ${p.name}`)
      }
      assert.ok(acknowledged.length > 500, `only ${acknowledged.length} messages were acknowledged`)
      const converged = Date.now() - stoppedAt
      assert.ok(converged < 30_000, `took ${converged} ms`)
    } finally {
      await net.close()
    }
  })
})
