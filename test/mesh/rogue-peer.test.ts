// A member holding the channel's PSK is still untrusted: everything it sends after the handshake
// is checked. These tests speak the wire protocol by hand to a real node over a real socket.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, waitUntil, type Testnet } from '../helpers/testnet.ts'
import type { BitChatNode } from '../../core/node/node.ts'
import type { BitChatEvents } from '../../core/api/contract.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { fromHex, toHex } from '../../core/codec/hex.ts'
import { encodeMessage, encodeRanges, encodeReceipt } from '../../core/wire/messages.ts'
import { HandDrivenPeer as RoguePeer } from '../helpers/hand-driven-peer.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import { createGroupEntry, createGroupMessage } from '../../core/wire/group-message.ts'
import { encodeEntryBody } from '../../core/wire/entry-kinds.ts'
import { emptySummary, fingerprintOf } from '../../core/history/fingerprint.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

describe('a node talking to a hostile member', () => {
  let testnet: Testnet
  let node: BitChatNode
  let channelId: string
  let psk: Uint8Array
  const got: BitChatEvents['message.received'][] = []

  before(async () => {
    testnet = await createTestnet()
    node = await testnet.node('honest', { timings: FAST_TIMINGS })
    const created = await node.api['channels.create']({ name: 'guarded', trackers: [] })
    channelId = created.channelId
    psk = channelPsk(created.uri)
    node.onEvent((event, payload) => { if (event === 'message.received') got.push(payload as BitChatEvents['message.received']) })
    await node.api['messages.send']({ channelId, text: 'history' })
  })
  after(async () => { await testnet.close() })

  async function connect (): Promise<RoguePeer> {
    const rogue = new RoguePeer(node.listenPort, psk)
    await rogue.established
    rogue.hello({ name: 'rogue', tcpPort: 0, observedAddress: '127.0.0.1:1' })
    await waitUntil(async () => (await node.api['peers.list']({ channelId })).some(p => p.name === 'rogue'), 5_000, 'the rogue to be listed')
    return rogue
  }

  it('accepts a well-signed message from another member, relayed by this one', async () => {
    const rogue = await connect()
    const author = generateIdentity()
    const message = createGroupMessage({ channelId: fromHex(channelId), author, seq: 1, timestamp: Date.now(), text: 'relayed' })
    rogue.send(encodeMessage({ raw: message.raw }))
    const event = await waitUntil(() => got.find(m => m.messageId === message.id), 5_000, 'the relayed message')
    assert.equal(event.text, 'relayed')
    rogue.destroy()
  })

  it('drops a message whose signature does not verify, and one signed for another channel', async () => {
    const rogue = await connect()
    const forged = createGroupMessage({ channelId: fromHex(channelId), author: rogue.identity, seq: 1, timestamp: Date.now(), text: 'forged' })
    const tampered = Uint8Array.from(forged.raw)
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
    rogue.send(encodeMessage({ raw: tampered }))
    const elsewhere = createGroupMessage({ channelId: new Uint8Array(32).fill(9), author: rogue.identity, seq: 2, timestamp: Date.now(), text: 'wrong channel' })
    rogue.send(encodeMessage({ raw: elsewhere.raw }))
    const probe = createGroupMessage({ channelId: fromHex(channelId), author: rogue.identity, seq: 3, timestamp: Date.now(), text: 'probe' })
    rogue.send(encodeMessage({ raw: probe.raw }))
    await waitUntil(() => got.some(m => m.messageId === probe.id), 5_000, 'the probe after the bad ones')
    assert.ok(!got.some(m => m.text === 'forged' || m.text === 'wrong channel'))
    const history = await node.api['messages.list']({ channelId })
    assert.ok(!history.some(m => m.text === 'forged' || m.text === 'wrong channel'))
    rogue.destroy()
  })

  it('answers RANGES with the history the member lacks', async () => {
    const rogue = await connect()
    rogue.send(encodeRanges({ ranges: [{ upper: null, mode: { kind: 'fingerprint', count: 0, fingerprint: fingerprintOf(emptySummary()) } }] }))
    await waitUntil(() => rogue.received.some(m => m.type === 'history'), 5_000, 'history in answer to RANGES')
    rogue.destroy()
  })

  it('takes receipts only as far as it has written, and a flood of them costs one write and one event a second', async () => {
    const rogue = await connect()
    const events: BitChatEvents['receipt'][] = []
    const off = node.onEvent((event, payload) => { if (event === 'receipt') events.push(payload as BitChatEvents['receipt']) })
    const written = (await node.api['messages.list']({ channelId })).filter(m => m.own).length
    for (let i = 1; i <= 5_000; i++) rogue.send(encodeReceipt({ delivered: i * 1_000_000, read: i }))
    rogue.send(encodeReceipt({ delivered: 2 ** 53 - 1, read: 2 ** 53 - 1 }))
    const mine = await waitUntil(async () => (await node.api['channels.receipts']({ channelId })).find(r => r.publicKey === toHex(rogue.identity.publicKey) && r.read > 0), 5_000, 'the rogue\'s receipt')
    assert.deepEqual([mine.delivered, mine.read], [written, written])
    assert.ok(events.filter(e => e.publicKey === toHex(rogue.identity.publicKey)).length <= 2, `${events.length} receipt events`)
    assert.equal(rogue.closed, false)
    off()
    rogue.destroy()
  })

  it('cannot edit, delete or erase another author\'s message, nor slip in an invitation outside a private conversation', async () => {
    const rogue = await connect()
    const { messageId, message } = await node.api['messages.send']({ channelId, text: 'mine to keep' })
    const entry = (seq: number, body: Parameters<typeof encodeEntryBody>[0]): Uint8Array =>
      createGroupEntry({ channelId: fromHex(channelId), author: rogue.identity, seq, timestamp: Date.now(), ...encodeEntryBody(body) }).raw
    rogue.send(encodeMessage({ raw: entry(10, { kind: 'edit', target: messageId, text: 'rewritten' }) }))
    rogue.send(encodeMessage({ raw: entry(11, { kind: 'delete', targets: [{ id: messageId, seq: message.seq }] }) }))
    rogue.send(encodeMessage({ raw: entry(12, { kind: 'invitation', link: 'bitchat:?v=2&n=trap' }) }))
    const invitations: unknown[] = []
    const off = node.onEvent((event, payload) => { if (event === 'invitation.received') invitations.push(payload) })
    // A message of its own after them: once it is shown, the three before it were taken in (or not).
    const probe = createGroupMessage({ channelId: fromHex(channelId), author: rogue.identity, seq: 13, timestamp: Date.now(), text: 'after the tricks' })
    rogue.send(encodeMessage({ raw: probe.raw }))
    await waitUntil(() => got.some(m => m.messageId === probe.id), 5_000, 'the probe')
    const shown = (await node.api['messages.list']({ channelId })).find(m => m.messageId === messageId)
    assert.deepEqual([shown?.text, shown?.editedAt, shown?.deleted], ['mine to keep', undefined, undefined])
    assert.deepEqual(invitations, [])
    assert.deepEqual(await node.api['invitations.list']({}), [])
    off()
    rogue.destroy()
  })

  it('passes over a message of a type it does not know (a newer peer\'s), and keeps the link', async () => {
    const rogue = await connect()
    rogue.sendOn('messages', Uint8Array.from([0x7f, 1, 2, 3]))
    rogue.send(encodeRanges({ ranges: [{ upper: null, mode: { kind: 'fingerprint', count: 0, fingerprint: fingerprintOf(emptySummary()) } }] }))
    await waitUntil(() => rogue.received.some(m => m.type === 'history'), 5_000, 'an answer after the unknown message')
    assert.equal(rogue.closed, false)
    rogue.destroy()
  })

  it('ends the channel\'s link on a message on the wrong stream, and keeps serving everyone else', async () => {
    for (const [kind, frame] of [['pex', encodeRanges({ ranges: [{ upper: null, mode: { kind: 'skip' } }] })], ['messages', encodeRanges({ ranges: [{ upper: null, mode: { kind: 'skip' } }] })]] as const) {
      const rogue = await connect()
      rogue.sendOn(kind, frame)
      await waitUntil(() => rogue.closed, 5_000, 'the node to close the link')
      assert.equal(rogue.closeInfo?.code, CloseCode.PROTOCOL_ERROR)
    }
    const { messageId } = await node.api['messages.send']({ channelId, text: 'still fine' })
    assert.ok((await node.api['messages.list']({ channelId })).some(m => m.messageId === messageId))
  })
})

describe('flooding through a node', () => {
  let testnet: Testnet
  let relay: BitChatNode, author: BitChatNode
  let channelId: string
  let psk: Uint8Array
  let authorKey: string

  before(async () => {
    testnet = await createTestnet()
    relay = await testnet.node('relay', { timings: FAST_TIMINGS })
    author = await testnet.node('author', { timings: FAST_TIMINGS })
    const created = await relay.api['channels.create']({ name: 'line', trackers: [testnet.trackerUrl] })
    channelId = created.channelId
    psk = channelPsk(created.uri)
    await author.api['channels.join']({ uri: created.uri })
    authorKey = (await author.api['identity.get']({})).publicKey
    await waitUntil(async () => (await relay.api['peers.list']({ channelId })).length === 1, 10_000, 'relay and author to meet')
  })
  after(async () => { await testnet.close() })

  /** A member that does not listen (no TCP port), so only the relay can reach it. */
  async function member (neighbours: string[]): Promise<RoguePeer> {
    const peer = new RoguePeer(relay.listenPort, psk)
    await peer.established
    peer.hello({ name: 'far', tcpPort: 0, observedAddress: '127.0.0.1:1', peers: neighbours.map(publicKey => ({ publicKey, host: '127.0.0.1', port: 9 })) })
    await waitUntil(async () => (await relay.api['peers.list']({ channelId })).some(p => p.name === 'far'), 5_000, 'the member to be listed')
    return peer
  }

  const carried = (peer: RoguePeer, text: string): boolean => peer.received.some(m => m.type === 'message' && Buffer.from(m.raw).includes(Buffer.from(text)))

  it('forwards a message to a member that has no link to its author', async () => {
    const far = await member([])
    await author.api['messages.send']({ channelId, text: 'pass it on' })
    await waitUntil(() => carried(far, 'pass it on'), 5_000, 'the relayed message')
    far.destroy()
  })

  it('does not forward what a member hears from the author directly', async () => {
    const near = await member([authorKey])
    const heard = await author.api['messages.send']({ channelId, text: 'you heard me' })
    // Once the relay has stored it, it has already decided whether to forward it; its own message after that marks the point.
    await waitUntil(async () => (await relay.api['messages.list']({ channelId })).some(m => m.messageId === heard.messageId), 5_000, 'the relay to get it')
    await relay.api['messages.send']({ channelId, text: 'marker from the relay' })
    await waitUntil(() => carried(near, 'marker from the relay'), 5_000, 'the relay\'s own message')
    assert.ok(!carried(near, 'you heard me'), 'the relay forwarded a message the member hears from its author')
    near.destroy()
  })
})
