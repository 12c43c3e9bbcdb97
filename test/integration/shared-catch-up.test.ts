// A newcomer catching up from three members at once (each fetches a share of the history; PROTOCOL
// §4.2 "Sharing a catch-up"), with one of them killed mid-way: its share must still arrive, from
// the others. Real daemons, a loopback tracker, the same signed history written into each holder.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, tempDir, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { seedHistory, signHistory, StoredCounter } from '../helpers/seeded-history.ts'

const COUNT = 20_000

describe('a newcomer catching up from three members', () => {
  it('holds every message even when a member is killed while sending its share', async () => {
    const net = await createTestnet()
    try {
      const dirs = ['a', 'b', 'c'].map(name => tempDir(`bitchat-holder-${name}-`))
      const first = net.daemon('holder-a', { dataDir: dirs[0] })
      const { uri, channelId } = await first.call('channels.create', { name: 'shared catch-up', trackers: [net.trackerUrl] })
      await first.stop()
      for (const [i, dir] of dirs.entries()) {
        if (i > 0) {
          const d = net.daemon(`holder-${i}`, { dataDir: dir })
          await d.call('channels.join', { uri })
          await d.stop()
        }
      }
      const raws = signHistory(channelId, generateIdentity(), COUNT)
      for (const dir of dirs) seedHistory(dir, channelId, raws)
      const holders: DaemonProcess[] = dirs.map((dir, i) => net.daemon(`holder-${i}`, { dataDir: dir, logLevel: 'warn' }))
      for (const h of holders) await waitUntil(async () => (await h.call('peers.list', { channelId })).length === 2, 20_000, 'the holders to meet')

      const newcomerDir = tempDir('bitchat-newcomer-')
      const newcomer = net.daemon('newcomer', { dataDir: newcomerDir })
      await newcomer.call('identity.status', {})
      const counter = new StoredCounter(newcomerDir)
      try {
        await newcomer.call('channels.join', { uri })
        await waitUntil(() => counter.count(channelId) > COUNT / 10 || undefined, 30_000, 'the catch-up to start')
        holders[2]!.kill()
        await waitUntil(() => counter.count(channelId) >= COUNT || undefined, 60_000, `all ${COUNT} messages at the newcomer`)
        assert.equal(counter.count(channelId), COUNT)
      } finally {
        counter.close()
      }
    } finally {
      await net.close()
    }
  })
})
