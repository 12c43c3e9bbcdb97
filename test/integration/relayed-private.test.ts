// Private conversations between members who cannot connect to each other (neither takes incoming
// connections, as behind NATs), carried through a third member that relays: real daemons, a real
// tracker, loopback sockets.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

const texts = async (d: DaemonProcess, channelId: string): Promise<string[]> => (await d.call('messages.list', { channelId })).map(m => m.text)
const keyOf = async (d: DaemonProcess): Promise<string> => (await d.call('identity.get', {})).publicKey
const NO_LISTEN = ['--no-listen']

/** A relay and two members who take no connections, all in one group; Bob has written there, so Alice knows him. */
async function threeMembers (net: Testnet, relayArgs: string[] = []): Promise<{ relay: DaemonProcess; alice: DaemonProcess; bob: DaemonProcess; group: string }> {
  const relay = net.daemon('relay', { args: relayArgs })
  const alice = net.daemon('alice', { args: NO_LISTEN })
  const bob = net.daemon('bob', { args: NO_LISTEN })
  const { uri, channelId: group } = await relay.call('channels.create', { name: 'club', trackers: [net.trackerUrl] })
  await alice.call('channels.join', { uri })
  await bob.call('channels.join', { uri })
  await waitUntil(async () => (await relay.call('peers.list', { channelId: group })).length === 2, 20_000, 'the relay to meet alice and bob')
  await bob.call('messages.send', { channelId: group, text: 'hello club' })
  await waitUntil(async () => (await texts(alice, group)).includes('hello club'), 10_000, 'bob\'s message at alice')
  return { relay, alice, bob, group }
}

describe('private conversations through a relay', () => {
  it('two members who cannot connect talk privately through a third, end to end; what waits survives restarts of both', async () => {
    const net = await createTestnet()
    try {
      const members = await threeMembers(net)
      const { relay, alice, group } = members
      let { bob } = members
      const [relayKey, bobKey, aliceKey] = [await keyOf(relay), await keyOf(bob), await keyOf(alice)]
      // They never connected directly: neither takes connections.
      assert.ok(!(await alice.call('peers.list', { channelId: group })).some(p => p.publicKey === bobKey))

      const { channelId } = await alice.call('conversations.openPrivate', { publicKey: bobKey })
      await alice.call('messages.send', { channelId, text: 'just between us' })
      await waitUntil(async () => (await bob.call('channels.list', {})).some(c => c.channelId === channelId), 30_000, 'the conversation at bob')
      await waitUntil(async () => (await texts(bob, channelId)).includes('just between us'), 10_000, 'the message at bob')
      const [peer] = await alice.call('peers.list', { channelId })
      assert.equal(peer?.publicKey, bobKey)
      assert.equal(peer?.transport, 'relay')
      assert.equal(peer?.via, relayKey)
      const atBob = (await bob.call('peers.list', { channelId }))[0]
      assert.deepEqual([atBob?.publicKey, atBob?.transport, atBob?.via], [aliceKey, 'relay', relayKey])
      const seen = (await alice.call('network.status', {})).channels.find(c => c.channelId === channelId)?.addresses.filter(a => a.status === 'connected')
      assert.deepEqual(seen?.map(a => [a.publicKey, a.via]), [[bobKey, relayKey]], 'the network view shows bob connected through the relay')
      const status = await relay.call('network.status', {})
      assert.equal(status.relay?.enabled, true)
      assert.equal(status.relay?.circuits, 1)
      assert.ok((status.relay?.bytesRelayed ?? 0) > 0)
      // The relay carries the conversation without being in it.
      assert.ok(!(await relay.call('channels.list', {})).some(c => c.channelId === channelId))
      await bob.call('messages.send', { channelId, text: 'agreed' })
      await waitUntil(async () => (await texts(alice, channelId)).includes('agreed'), 10_000, 'the reply at alice')

      // Bob goes away; Alice writes; Alice goes away too; both come back, Bob first.
      const [aliceDir, bobDir] = [alice.dataDir, bob.dataDir]
      await bob.stop()
      await alice.call('messages.send', { channelId, text: 'while you were away' })
      await alice.stop()
      bob = net.daemon('bob', { dataDir: bobDir, args: NO_LISTEN })
      assert.deepEqual(await texts(bob, channelId), ['just between us', 'agreed'])
      const alice2 = net.daemon('alice', { dataDir: aliceDir, args: NO_LISTEN })
      await waitUntil(async () => (await texts(bob, channelId)).includes('while you were away'), 60_000, 'the queued message at bob')
      assert.deepEqual(await texts(bob, channelId), ['just between us', 'agreed', 'while you were away'])
      assert.equal((await alice2.call('peers.list', { channelId }))[0]?.transport, 'relay')
    } finally {
      await net.close()
    }
  })

  it('with relaying turned off nobody is carried, and the relay says so', async () => {
    const net = await createTestnet()
    try {
      const { relay, alice, bob } = await threeMembers(net, ['--no-relay'])
      assert.equal((await relay.call('settings.get', {})).relayForOthers, false)
      const { channelId } = await alice.call('conversations.openPrivate', { publicKey: await keyOf(bob) })
      await alice.call('messages.send', { channelId, text: 'anyone?' })
      // Alice asks the relay (her dial is refused), more than once by now.
      await waitUntil(() => alice.stderr.filter(l => l.includes('does not relay for others')).length >= 2, 30_000, 'alice to be refused twice')
      const status = await relay.call('network.status', {})
      assert.deepEqual([status.relay?.enabled, status.relay?.circuits, status.relay?.bytesRelayed], [false, 0, 0])
      assert.equal((await alice.call('peers.list', { channelId })).length, 0)
      assert.ok(!(await bob.call('channels.list', {})).some(c => c.channelId === channelId))
    } finally {
      await net.close()
    }
  })
})
