// Two members who learn of each other at once both dial; a dial whose handshake is still on its way
// when the other member's connection lands would only finish to be closed as a duplicate. It is
// given up then, and the channel goes on the connection kept.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { once } from 'node:events'
import { createTestnet, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { DEFAULT_TIMINGS } from '../../core/connection/connection.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

/** A port that accepts a connection and never answers: a handshake dialled there stays on its way. */
async function holdingListener (): Promise<{ port: number; accepted: Promise<void>; heldOpen: () => boolean; close: () => void }> {
  let held: net.Socket | null = null
  let onAccepted: () => void = () => {}
  const accepted = new Promise<void>(resolve => { onAccepted = resolve })
  const server = net.createServer((socket) => {
    socket.on('error', () => {})
    socket.resume()
    held = socket
    onAccepted()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted,
    heldOpen: () => held !== null && !held.destroyed && !held.readableEnded,
    close: () => { held?.destroy(); server.close() }
  }
}

test('a dial still in its handshake when the member\'s own connection lands is given up, not finished as a duplicate', async (t) => {
  const testnet = await createTestnet()
  t.after(() => testnet.close())
  // Alice's handshakes wait long, so only the connection landing can end the held one in this test.
  const alice = await testnet.node('alice', { timings: { ...DEFAULT_TIMINGS, firstMessageMs: 60_000, handshakeTimeoutMs: 60_000 } })
  const bob = await testnet.node('bob')
  const { channelId, uri } = await alice.api['channels.create']({ name: 'crossing', trackers: [] })
  await bob.api['channels.join']({ uri })
  const psk = channelPsk(uri)
  const aliceKey = (await alice.api['identity.get']({})).publicKey
  const bobKey = (await bob.api['identity.get']({})).publicKey
  const holder = await holdingListener()
  t.after(() => { holder.close() })

  // Another member tells Alice that Bob listens at a port that never answers: her dial is held mid-handshake.
  const toAlice = new HandDrivenPeer(alice.listenPort, psk)
  t.after(() => { toAlice.destroy() })
  await toAlice.established
  toAlice.hello({ name: 'teller', tcpPort: 0, peers: [{ publicKey: bobKey, host: '127.0.0.1', port: holder.port }] })
  await holder.accepted
  // And tells Bob where Alice listens: his dial lands while hers is still on its way.
  const toBob = new HandDrivenPeer(bob.listenPort, psk)
  t.after(() => { toBob.destroy() })
  await toBob.established
  toBob.hello({ name: 'teller', tcpPort: 0, peers: [{ publicKey: aliceKey, host: '127.0.0.1', port: alice.listenPort }] })
  await waitUntil(async () => (await alice.api['peers.list']({ channelId })).some(p => p.publicKey === bobKey), 20_000, 'Alice and Bob linked')

  // Unanswered, her dial would wait a minute (her handshake deadline) before giving up.
  await waitUntil(() => !holder.heldOpen(), 10_000, 'Alice to give up her dial still in its handshake')
  assert.equal((await alice.api['network.status']({})).duplicates, 0)
  assert.equal((await alice.api['network.status']({})).connections, 2, 'Bob and the teller')
})
