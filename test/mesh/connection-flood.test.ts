import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createTestnet, tempDir, waitUntil } from '../helpers/testnet.ts'
import { ConnectionHolder, loopbackHosts } from '../helpers/connection-holder.ts'
import { openDescriptors } from '../helpers/proc.ts'
import { Store } from '../../core/store/store.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

// The machine: 1,024 descriptors, all of which one host's held connections used to take.
const OPEN_FILES = 1024

test('a member who must dial in connects and chats while one host holds 1,100 connections and 64 hosts hold idle ones', async (t) => {
  const testnet = await createTestnet()
  const holders: ConnectionHolder[] = []
  try {
    const target = testnet.daemon('target', { openFiles: { soft: OPEN_FILES, hard: OPEN_FILES }, logLevel: 'info' })
    const { uri, channelId } = await target.call('channels.create', { name: 'siege', trackers: [] })
    const { listenPort } = await target.call('network.status', {})

    // The member knows the target's address; nobody knows the member's, so only its own dial can connect them.
    const memberDir = tempDir()
    const first = testnet.daemon('member', { dataDir: memberDir, logLevel: 'info' })
    await first.call('channels.join', { uri })
    await first.stop()
    const store = Store.open(path.join(memberDir, 'bitchat.db'))
    store.upsertPeerAddress({ channelId, host: '127.0.0.1', port: listenPort, publicKey: null, source: 'tracker', lastSeenAt: Date.now() })
    store.close()

    const psk = channelPsk(uri)
    let maxDescriptors = 0
    const sample = setInterval(() => { maxDescriptors = Math.max(maxDescriptors, openDescriptors(target.pid)) }, 100)
    try {
      const members = new ConnectionHolder({ port: listenPort, from: ['127.0.0.2'], count: 1_100, psk, reopenMs: 1_000 })
      holders.push(members)
      await waitUntil(() => members.attempts >= 1_100 && members.established >= 20, 20_000, 'one host to hold members\' sessions')
      const idle = new ConnectionHolder({ port: listenPort, from: loopbackHosts(64), count: 64, reopenMs: 50 })
      holders.push(idle)
      await waitUntil(() => idle.open >= 60, 20_000, 'idle sockets to fill the handshake budget')

      const started = Date.now()
      const member = testnet.daemon('member', { dataDir: memberDir, logLevel: 'info' })
      await waitUntil(async () => (await member.call('peers.list', { channelId })).length === 1, 20_000, 'the member to connect during the attack')
      t.diagnostic(`member connected ${Date.now() - started} ms after starting; attack: ${members.attempts} member attempts (${members.established} established), ${idle.attempts} idle attempts (${idle.open} open)`)
      await member.call('messages.send', { channelId, text: 'made it through' })
      await target.waitFor('message.received', m => m.text === 'made it through', 10_000)
      await target.call('messages.send', { channelId, text: 'welcome' })
      await member.waitFor('message.received', m => m.text === 'welcome', 10_000)
      assert.equal(idle.open + members.open > 0, true, 'the attack was still going on')
    } finally {
      clearInterval(sample)
    }
    t.diagnostic(`the target held at most ${maxDescriptors} descriptors`)
    assert.ok(maxDescriptors < OPEN_FILES / 2, `the target held up to ${maxDescriptors} descriptors`)
  } finally {
    for (const h of holders) h.close()
    await testnet.close()
  }
})
