// Peers are records per identity with routes (issue: one connection per peer): a member that restarts
// with no discovery left at all is found again at the routes its peer book remembers, once, for every
// channel it shares, on one connection.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, tempDir, waitUntil } from '../helpers/testnet.ts'
import { startTrackerServer } from '../helpers/tracker-server.ts'
import type { BitChatNode } from '../../core/node/node.ts'

async function linkedEverywhere (a: BitChatNode, b: BitChatNode, channels: string[]): Promise<boolean> {
  for (const channelId of channels) {
    const [pa, pb] = await Promise.all([a.api['peers.list']({ channelId }), b.api['peers.list']({ channelId })])
    if (pa.length !== 1 || pb.length !== 1) return false
  }
  return true
}

test('a member that restarts with every tracker gone comes back on one connection carrying all three channels', async () => {
  const net = await createTestnet()
  const tracker = await startTrackerServer({ interval: 1_000 })
  try {
    const alice = await net.node('alice', { timings: FAST_TIMINGS })
    const bobDir = tempDir()
    let bob = await net.node('bob', { dataDir: bobDir, timings: FAST_TIMINGS })
    const bobKey = (await bob.api['identity.get']({})).publicKey
    const channels: string[] = []
    for (const name of ['first', 'second', 'third']) {
      const { channelId, uri } = await alice.api['channels.create']({ name, trackers: [tracker.httpUrl] })
      await bob.api['channels.join']({ uri })
      channels.push(channelId)
    }
    await waitUntil(() => linkedEverywhere(alice, bob, channels), 15_000, 'linked in all three channels')

    await tracker.close()
    await bob.close()
    await waitUntil(async () => (await alice.api['peers.list']({ channelId: channels[0]! })).length === 0, 10_000, 'alice to see bob go')
    // A shutdown is not a leave: alice still seeks bob in every channel, at the route she knows.
    for (const channelId of channels) {
      const seeking = (await alice.api['network.status']({})).channels.find(c => c.channelId === channelId)?.addresses.filter(a => a.publicKey === bobKey) ?? []
      assert.ok(seeking.length > 0, 'bob is still an address of every channel')
    }

    bob = await net.node('bob', { dataDir: bobDir, timings: FAST_TIMINGS })
    await waitUntil(() => linkedEverywhere(alice, bob, channels), 15_000, 'linked again in all three channels, with no tracker')
    assert.equal((await alice.api['network.status']({})).connections, 1)
    assert.equal((await bob.api['network.status']({})).connections, 1)
    for (const [i, channelId] of channels.entries()) {
      const { messageId } = await bob.api['messages.send']({ channelId, text: `back in channel ${i}` })
      await waitUntil(async () => (await alice.api['messages.list']({ channelId })).some(m => m.messageId === messageId), 5_000, `the message in channel ${i}`)
    }
    const route = (await alice.api['network.status']({})).channels[0]?.addresses.find(a => a.publicKey === bobKey)
    assert.equal(route?.status, 'connected')
  } finally {
    await net.close()
    await tracker.close().catch(() => {})
  }
})

test('two members of one channel that both restart with every tracker gone find each other again at the routes they stored', async () => {
  const net = await createTestnet()
  const tracker = await startTrackerServer({ interval: 1_000 })
  try {
    const [aliceDir, bobDir] = [tempDir(), tempDir()]
    let alice = await net.node('alice', { dataDir: aliceDir, timings: FAST_TIMINGS })
    let bob = await net.node('bob', { dataDir: bobDir, timings: FAST_TIMINGS })
    const { channelId, uri } = await alice.api['channels.create']({ name: 'only', trackers: [tracker.httpUrl] })
    await bob.api['channels.join']({ uri })
    const channels = [channelId]
    await waitUntil(() => linkedEverywhere(alice, bob, channels), 15_000, 'linked')
    await tracker.close()
    await Promise.all([alice.close(), bob.close()])

    ;[alice, bob] = await Promise.all([net.node('alice', { dataDir: aliceDir, timings: FAST_TIMINGS }), net.node('bob', { dataDir: bobDir, timings: FAST_TIMINGS })])
    await waitUntil(() => linkedEverywhere(alice, bob, channels), 15_000, 'linked again, with no tracker')
    assert.equal((await alice.api['network.status']({})).connections, 1)
  } finally {
    await net.close()
    await tracker.close().catch(() => {})
  }
})
