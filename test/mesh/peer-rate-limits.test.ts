// A member holding the PSK may still send as fast as its link allows: the node slows it to its
// rates rather than dropping it, and processes its peer lists at most at PEX_RATE.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, type Testnet } from '../helpers/testnet.ts'
import type { BitChatNode } from '../../core/node/node.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'
import { encodePex, encodeRanges, encodeWant } from '../../core/wire/messages.ts'
import { FRAME_RATE } from '../../core/connection/connection.ts'
import { fromHex } from '../../core/codec/hex.ts'
import { PEX_RATE } from '../../core/mesh/swarm.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

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
    psk = channelPsk(created.uri)
  })
  after(async () => { await testnet.close() })

  async function member (name: string, tcpPort = 0): Promise<HandDrivenPeer> {
    const peer = new HandDrivenPeer(node.listenPort, psk)
    await peer.established
    peer.hello({ name, tcpPort, observedAddress: '127.0.0.1:1' })
    await waitUntil(async () => (await node.api['peers.list']({ channelId })).some(p => p.name === name), 5_000, `${name} to be listed`)
    return peer
  }

  it('is slowed to the frame rate, counted in mux frames, not dropped: what it asks after its burst is answered, just later', async () => {
    const peer = await member('chatty')
    const { messageId } = await node.api['messages.send']({ channelId, text: 'asked for last' })
    // Frames that cost the node nothing but their reading (all-skip RANGES end nothing and are not
    // answered), packed many to a transport frame by the mux: then one WANT that is answered.
    const nothing = encodeRanges({ ranges: [{ upper: null, mode: { kind: 'skip' } }] })
    const beyondBurst = 3 * FRAME_RATE.ratePerSecond
    const count = FRAME_RATE.burst + beyondBurst
    const started = Date.now()
    for (let i = 0; i < count; i++) peer.send(nothing)
    peer.send(encodeWant({ ids: [fromHex(messageId)] }))
    await waitUntil(() => peer.received.some(m => m.type === 'history'), 20_000, 'the answer to the last frame')
    // The node reads a socket a chunk (up to 64 KiB) at a time and counts a transport frame's mux frames
    // once it is whole, which may be a chunk later: the rate holds give or take two chunks of frames.
    const chunkOfFrames = Math.floor(65_536 / (nothing.length + 2))
    const atLeastMs = (beyondBurst - 2 * chunkOfFrames) / FRAME_RATE.ratePerSecond * 1_000
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
