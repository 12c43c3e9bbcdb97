// Channels attach to a connection by proof of their PSK; names come from profiles signed by the key
// they name. Hand-driven members try both with what they should not have.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { createProfile } from '../../core/wire/profile.ts'
import { toHex } from '../../core/codec/hex.ts'
import { encodePex } from '../../core/wire/messages.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

test('a channel attaches to a connection with the proof of its own PSK; a proof for a channel not joined is refused', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const first = await node.api['channels.create']({ name: 'first', trackers: [] })
    const second = await node.api['channels.create']({ name: 'second', trackers: [] })
    const elsewhere = await (await net.node('elsewhere')).api['channels.create']({ name: 'elsewhere', trackers: [] })
    const psk = (uri: string): Uint8Array => channelPsk(uri)
    const identity = generateIdentity()

    // The handshake proves the first channel's PSK; the streams name the second one: it attaches too.
    const both = new HandDrivenPeer(node.listenPort, psk(first.uri), identity, '127.0.0.1', psk(second.uri))
    await both.established
    both.hello({ name: 'member of both' })
    await waitUntil(async () => (await node.api['peers.list']({ channelId: second.channelId })).length === 1, 5_000, 'the second channel attached')
    assert.equal((await node.api['peers.list']({ channelId: first.channelId })).length, 0, 'only the channel its streams named')

    const stranger = new HandDrivenPeer(node.listenPort, psk(first.uri), generateIdentity(), '127.0.0.2', psk(elsewhere.uri))
    await stranger.established
    stranger.send(encodePex({ peers: [] }))
    await waitUntil(() => stranger.closed, 5_000, 'the streams to be refused')
    assert.equal(stranger.closeInfo?.code, CloseCode.NOT_JOINED)
    both.destroy()
    stranger.destroy()
  } finally {
    await net.close()
  }
})

test('a member cannot change how another member is shown: a profile of another key, replayed or forged, is ignored', async () => {
  const net = await createTestnet()
  try {
    const bob = await net.node('bob', { timings: FAST_TIMINGS })
    const { channelId, uri } = await bob.api['channels.create']({ name: 'names', trackers: [] })
    const psk = channelPsk(uri)
    const alice = new HandDrivenPeer(bob.listenPort, psk, generateIdentity(), '127.0.0.3')
    await alice.established
    alice.hello({ name: 'alice' })
    const mallory = new HandDrivenPeer(bob.listenPort, psk, generateIdentity(), '127.0.0.4')
    await mallory.established
    mallory.hello({ name: 'mallory' })
    await waitUntil(async () => (await bob.api['peers.list']({ channelId })).length === 2, 5_000, 'both members')

    const aliceKey = toHex(alice.identity.publicKey)
    // Alice's own record, signed by her, passed on by Mallory; and one for Alice's key that Mallory signed.
    const aliceRecord = createProfile({ identity: alice.identity, seq: 99, timestamp: Date.now(), name: 'alice was here', tcpPort: 0, udpPort: 0 }).raw
    const forged = Uint8Array.from(createProfile({ identity: mallory.identity, seq: 100, timestamp: Date.now(), name: 'evil alice', tcpPort: 0, udpPort: 0 }).raw)
    forged.set(alice.identity.publicKey, 1)
    mallory.sendProfileRecord(aliceRecord)
    mallory.sendProfileRecord(forged)
    await new Promise(resolve => setTimeout(resolve, 300))
    const names = Object.fromEntries((await bob.api['peers.list']({ channelId })).map(p => [p.publicKey, p.name]))
    assert.equal(names[aliceKey], 'alice')
    assert.equal(names[toHex(mallory.identity.publicKey)], 'mallory')

    // Alice herself renames: that counts.
    alice.sendProfile('alice, renamed')
    await waitUntil(async () => (await bob.api['peers.list']({ channelId })).some(p => p.name === 'alice, renamed'), 5_000, 'her own new name')
    alice.destroy()
    mallory.destroy()
  } finally {
    await net.close()
  }
})

test('a member whose profile stops saying where it listens (it hides its address now) is no longer passed on in peer lists', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'lists', trackers: [] })
    const psk = channelPsk(uri)
    const hider = new HandDrivenPeer(node.listenPort, psk)
    await hider.established
    hider.hello({ name: 'hider', tcpPort: 4567 })
    await waitUntil(async () => (await node.api['peers.list']({ channelId })).length === 1, 5_000, 'the hider linked')
    const listed = async (from: string): Promise<number[]> => {
      const newcomer = new HandDrivenPeer(node.listenPort, psk, generateIdentity(), from)
      await newcomer.established
      newcomer.hello({ name: 'newcomer' })
      await waitUntil(() => newcomer.received.some(m => m.type === 'pex'), 5_000, 'the node\'s peer list')
      newcomer.destroy()
      return newcomer.received.flatMap(m => m.type === 'pex' ? m.peers.map(p => p.port) : [])
    }
    assert.deepEqual(await listed('127.0.0.2'), [4567])
    hider.sendProfile('hidden', 0)
    await waitUntil(async () => (await node.api['peers.list']({ channelId }))[0]?.name === 'hidden', 5_000, 'the new profile taken')
    assert.deepEqual(await listed('127.0.0.3'), [], 'its old address is not passed on')
    hider.destroy()
  } finally {
    await net.close()
  }
})
