// One connection per peer (issue: a peer met in five channels cost five TCP connections): two daemons
// sharing three channels hold one TCP connection, counted from the kernel's tables, and every channel
// flows on it; leaving two keeps it, leaving the third closes it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'
import { connectionsBetween } from '../helpers/proc.ts'

async function linked (a: DaemonProcess, b: DaemonProcess, channelId: string): Promise<boolean> {
  const [pa, pb] = await Promise.all([a.call('peers.list', { channelId }), b.call('peers.list', { channelId })])
  return pa.length === 1 && pb.length === 1
}

test('two daemons sharing three channels hold exactly one TCP connection, and it ends with the last channel', async () => {
  const net = await createTestnet({ trackerInterval: 1_000 })
  try {
    const alice = net.daemon('alice')
    const bob = net.daemon('bob')
    const channels: string[] = []
    for (const name of ['first', 'second', 'third']) {
      const { channelId, uri } = await alice.call('channels.create', { name, trackers: [net.trackerUrl] })
      await bob.call('channels.join', { uri })
      channels.push(channelId)
    }
    for (const channelId of channels) await waitUntil(() => linked(alice, bob, channelId), 15_000, `both linked in ${channelId.slice(0, 8)}`)
    // Both found each other in every channel (tracker answers come for each): still one connection.
    await new Promise(resolve => setTimeout(resolve, 1_500))
    assert.equal(connectionsBetween(alice.pid, bob.pid), 1)

    for (const [i, channelId] of channels.entries()) {
      const { messageId } = await alice.call('messages.send', { channelId, text: `in channel ${i}` })
      await bob.waitFor('message.received', m => m.messageId === messageId, 10_000)
      const back = await bob.call('messages.send', { channelId, text: `back in channel ${i}` })
      await alice.waitFor('message.received', m => m.messageId === back.messageId, 10_000)
    }

    await bob.call('channels.leave', { channelId: channels[0]! })
    await bob.call('channels.leave', { channelId: channels[1]! })
    await waitUntil(async () => (await alice.call('peers.list', { channelId: channels[0]! })).length === 0, 10_000, 'the left channels to end at alice')
    await new Promise(resolve => setTimeout(resolve, 1_000))
    assert.equal(connectionsBetween(alice.pid, bob.pid), 1, 'the connection stays for the channel still shared')
    const { messageId } = await alice.call('messages.send', { channelId: channels[2]!, text: 'still here' })
    await bob.waitFor('message.received', m => m.messageId === messageId, 10_000)

    await bob.call('channels.leave', { channelId: channels[2]! })
    await waitUntil(() => connectionsBetween(alice.pid, bob.pid) === 0, 15_000, 'the connection to close with the last channel')
  } finally {
    await net.close()
  }
})
