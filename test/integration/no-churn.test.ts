// One connection per peer stays one connection: trackers answering every second with the address of
// a member already connected, and a channel that member holds but is refused in, must neither dial
// it again nor replace the connection the shared channel runs on (each replacement would restart
// that channel's sync). The connection is told apart by its ports in the kernel's tables.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'
import { establishedTcp } from '../helpers/proc.ts'

/** The TCP connections between two processes, as "local port → remote port" seen from `a`. */
function connectionPorts (a: DaemonProcess, b: DaemonProcess): string[] {
  const portsOfB = new Set(establishedTcp(b.pid).map(c => c.localPort))
  return establishedTcp(a.pid).filter(c => portsOfB.has(c.remotePort)).map(c => `${c.localPort}→${c.remotePort}`).sort()
}

test('repeated tracker answers and a refused channel leave the one connection between two members alone', async () => {
  const net = await createTestnet({ trackerInterval: 1_000 })
  try {
    const alice = net.daemon('alice')
    const bob = net.daemon('bob')
    const aliceKey = (await alice.call('identity.get', {})).publicKey
    const open = await alice.call('channels.create', { name: 'open', trackers: [net.trackerUrl] })
    await bob.call('channels.join', { uri: open.uri })
    // Bob holds the file of an invite-only channel that does not list him: both announce it, both find each other in it.
    const closed = await alice.call('channels.create', { name: 'closed', trackers: [net.trackerUrl], inviteOnly: true, members: [aliceKey] })
    await bob.call('channels.join', { data: (await alice.call('channels.share', { channelId: closed.channelId })).data })
    await waitUntil(async () => (await alice.call('peers.list', { channelId: open.channelId })).length === 1, 15_000, 'the open channel linked')
    // Both have heard each other's announce of the closed channel by now and been refused in it.
    await new Promise(resolve => setTimeout(resolve, 3_000))
    const before = connectionPorts(alice, bob)
    assert.equal(before.length, 1)
    // Eight more announce rounds.
    await new Promise(resolve => setTimeout(resolve, 8_000))
    assert.deepEqual(connectionPorts(alice, bob), before, 'the same connection, never replaced')
    assert.deepEqual(await bob.call('peers.list', { channelId: closed.channelId }), [])
    const { messageId } = await alice.call('messages.send', { channelId: open.channelId, text: 'still the same line' })
    await bob.waitFor('message.received', m => m.messageId === messageId, 10_000)
  } finally {
    await net.close()
  }
})
