// A member holding the PSK may still send as fast as its link allows: the node slows it to its
// rates rather than dropping it, and processes its peer lists at most at PEX_RATE.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, type Testnet } from '../helpers/testnet.ts'
import type { BitChatNode } from '../../core/node/node.ts'
import { parseChannelUri } from '../../core/channel/uri.ts'
import { pskOf } from '../../core/channel/keys.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'
import { encodeHello, encodePex, encodePing } from '../../core/wire/messages.ts'
import { FRAME_RATE } from '../../core/mesh/peer-session.ts'
import { PEX_RATE } from '../../core/mesh/swarm.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'

// On the wire: length prefix, type, varint nonce, Poly1305 tag.
const encodedPingLength = 2 + encodePing({ nonce: 1 }).length + 16

describe('a member sending faster than its rates', () => {
  let testnet: Testnet
  let node: BitChatNode
  let channelId: string
  let psk: Uint8Array

  before(async () => {
    testnet = await createTestnet()
    node = await testnet.node('steady')
    const created = await node.api['channels.create']({ name: 'rated', trackers: [] })
    channelId = created.channelId
    psk = pskOf(parseChannelUri(created.uri).secret)
  })
  after(async () => { await testnet.close() })

  async function member (name: string, tcpPort = 0): Promise<HandDrivenPeer> {
    const peer = new HandDrivenPeer(node.listenPort, psk)
    await peer.established
    peer.send(encodeHello({ version: 1, name, tcpPort, udpPort: 0, observedAddress: '127.0.0.1:1', peers: [] }))
    await waitUntil(async () => (await node.api['peers.list']({ channelId })).some(p => p.name === name), 5_000, `${name} to be listed`)
    return peer
  }

  it('is slowed to the frame rate, not dropped: every frame is answered, just later', async () => {
    const peer = await member('chatty')
    const pongs = (): number => peer.received.filter(m => m.type === 'pong').length
    const already = pongs()
    const beyondBurst = 6 * FRAME_RATE.ratePerSecond
    const count = FRAME_RATE.burst + beyondBurst
    const started = Date.now()
    for (let i = 1; i <= count; i++) peer.send(encodePing({ nonce: i }))
    await waitUntil(() => pongs() - already >= count, 20_000, 'every ping to be answered')
    // The node reads a socket a chunk (up to 64 KiB) at a time, so the rate holds give or take one chunk of the smallest frames.
    const chunkOfPings = Math.floor(65_536 / encodedPingLength)
    const atLeastMs = (beyondBurst - chunkOfPings) / FRAME_RATE.ratePerSecond * 1_000
    assert.ok(Date.now() - started >= atLeastMs, `${count} frames (a burst of ${FRAME_RATE.burst}) took ${Date.now() - started} ms`)
    assert.equal(peer.closed, false)
    peer.destroy()
  })

  it('has its peer lists processed at most at the PEX rate, the latest one kept for later', async () => {
    const peer = await member('gossip')
    const listed = async (): Promise<string[]> => (await node.api['network.status']({})).channels[0]!.addresses.filter(a => a.sources.includes('pex')).map(a => a.address)
    const lists = 20
    // Addresses nobody listens at; the HELLO above spent one token already.
    for (let i = 0; i < lists; i++) peer.send(encodePex({ peers: [{ publicKey: toHex(generateIdentity().publicKey), host: '127.0.0.3', port: 1_000 + i }] }))
    const last = `127.0.0.3:${1_000 + lists - 1}`
    await waitUntil(async () => (await listed()).includes(last), 1_000 / PEX_RATE.ratePerSecond + 3_000, 'the latest list to be processed once the rate allows')
    const processed = await listed()
    assert.deepEqual(processed.sort(), ['127.0.0.3:1000', '127.0.0.3:1001', last].sort())
    assert.equal(peer.closed, false)
    peer.destroy()
  })

  it('tells members that join together about each other in one PEX round, not one per join', async () => {
    const observer = await member('observer')
    const pexCount = (): number => observer.received.filter(m => m.type === 'pex').length
    const before = pexCount()
    const joiners = await Promise.all(Array.from({ length: 20 }, (_, i) => member(`joiner${i}`, 40_000 + i)))
    await waitUntil(() => observer.received.some(m => m.type === 'pex' && m.peers.length >= 20), 10_000, 'a PEX listing the joiners')
    assert.ok(pexCount() - before <= 3, `${pexCount() - before} PEX lists for 20 joins`)
    for (const peer of [observer, ...joiners]) peer.destroy()
  })
})
