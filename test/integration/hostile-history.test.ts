// A member driven by hand over a real socket that uses the history frames (RANGES, WANT, HISTORY)
// against a real node: what it can make the node send, store and do, and what it cannot.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { fromHex } from '../../core/codec/hex.ts'
import { createGroupMessage } from '../../core/wire/group-message.ts'
import { encodeHistory, encodeMessage, encodeRanges, encodeWant } from '../../core/wire/messages.ts'
import { emptySummary, fingerprintOf } from '../../core/history/fingerprint.ts'
import net_ from 'node:net'
import { once } from 'node:events'
import { Connection } from '../../core/connection/connection.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import { TcpStream } from '../../core/transport/tcp.ts'
import { attachProof } from '../../core/peers/attach-proof.ts'
import { CHANNEL_PROTOCOLS } from '../../core/peers/topic-link.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { silentLogger } from '../../core/log.ts'
import { channelPsk } from '../helpers/channel-psk.ts'


test('a burst of history is announced to the UI a few times a second, not once per stored batch', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'burst', trackers: [] })
    const updates: number[] = []
    node.onEvent((event, payload) => {
      if (event === 'channel.updated' && (payload as { channelId: string }).channelId === channelId) updates.push(Date.now())
    })
    const peer = new HandDrivenPeer(node.listenPort, channelPsk(uri))
    await peer.established
    peer.hello({ name: 'burst' })
    const count = 3_000
    const now = Date.now()
    for (let seq = 1; seq <= count; seq++) {
      peer.send(encodeHistory({ raw: createGroupMessage({ channelId: fromHex(channelId), author: peer.identity, seq, timestamp: now, text: `old ${seq}` }).raw }))
    }
    await waitUntil(async () => (await node.api['channels.list']({})).find(c => c.channelId === channelId)?.unread === count, 20_000, 'the burst stored')
    await new Promise(resolve => setTimeout(resolve, 600))
    const during = updates.filter(at => at > updates[0]!)
    const span = updates.at(-1)! - updates[0]!
    // Each one counts the unread messages: on a long backlog, once per batch of 128 made a catch-up quadratic.
    assert.ok(during.length <= Math.ceil(span / 250) + 2, `${updates.length} channel.updated in ${span} ms for ${count} messages`)
    peer.destroy()
  } finally {
    await net.close()
  }
})

test('history frames name only the channel they travel in: ids of another channel are never answered with its messages', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const open = await node.api['channels.create']({ name: 'open door', trackers: [] })
    const secret = await node.api['channels.create']({ name: 'private', trackers: [] })
    const hidden = await Promise.all([1, 2, 3].map(async i => (await node.api['messages.send']({ channelId: secret.channelId, text: `secret ${i}` })).messageId))
    const peer = new HandDrivenPeer(node.listenPort, channelPsk(open.uri))
    await peer.established
    peer.hello({ name: 'curious' })
    const ids = hidden.map(fromHex)
    peer.send(encodeWant({ ids }))
    peer.send(encodeRanges({ ranges: [{ upper: null, mode: { kind: 'ids', ids } }] }))
    peer.send(encodeRanges({ ranges: [{ upper: null, mode: { kind: 'fingerprint', count: 0, fingerprint: fingerprintOf(emptySummary()) } }] }))
    await waitUntil(() => peer.received.filter(m => m.type === 'ranges').length >= 2, 5_000, 'both RANGES answered')
    await new Promise(resolve => setTimeout(resolve, 300))
    assert.deepEqual(peer.received.filter(m => m.type === 'history'), [])
    peer.destroy()
  } finally {
    await net.close()
  }
})

test('messages on a channel stream before the channel is linked are refused, and nothing is taken', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'manners', trackers: [] })
    const psk = channelPsk(uri)
    const identity = generateIdentity()
    const socket = net_.connect(node.listenPort, '127.0.0.1')
    await once(socket, 'connect')
    const connection = new Connection({ stream: new TcpStream(socket), initiator: true, identity, psks: [psk], log: silentLogger })
    await once(connection, 'established')
    // Only the messages stream, then a message on it at once: the other two never come.
    const stream = connection.open(CHANNEL_PROTOCOLS.messages, attachProof(psk, connection.handshakeHash))
    await once(stream, 'open')
    const early = createGroupMessage({ channelId: fromHex(channelId), author: identity, seq: 1, timestamp: Date.now(), text: 'too early' })
    stream.send(encodeMessage({ raw: early.raw }))
    const [info] = await once(stream, 'close') as [{ code: number }]
    assert.equal(info.code, CloseCode.PROTOCOL_ERROR)
    assert.deepEqual(await node.api['messages.list']({ channelId }), [])
    connection.close(CloseCode.NORMAL)
  } finally {
    await net.close()
  }
})

test('a member that sends RANGES and never reads the answers loses the channel once 4 MiB wait for it; others still sync', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'deaf', trackers: [] })
    await node.api['messages.send']({ channelId, text: 'for the honest one' })
    const psk = channelPsk(uri)
    const reasons: string[] = []
    node.onEvent((event, payload) => { if (event === 'peer.disconnected') reasons.push((payload as { reason: string }).reason) })
    const deaf = new HandDrivenPeer(node.listenPort, psk)
    await deaf.established
    deaf.hello({ name: 'deaf' })
    await waitUntil(async () => (await node.api['peers.list']({ channelId })).some(p => p.name === 'deaf'), 5_000, 'the deaf member taken in')
    deaf.stopReading()
    // Each lists ids the node lacks: it answers with a WANT of 32 kB the deaf member never takes.
    const unknown = Array.from({ length: 1024 }, () => new Uint8Array(randomBytes(32)))
    const frame = encodeRanges({ ranges: [{ upper: null, mode: { kind: 'ids', ids: unknown } }] })
    const flood = setInterval(() => { for (let i = 0; i < 20; i++) if (deaf.unsentBytes < 4 * 1024 * 1024) deaf.send(frame) }, 20)
    try {
      await waitUntil(async () => (await node.api['peers.list']({ channelId })).every(p => p.name !== 'deaf'), 25_000, 'the deaf member to be dropped')
    } finally {
      clearInterval(flood)
    }
    assert.match(reasons.join(), /bytes queued/)
    const honest = new HandDrivenPeer(node.listenPort, psk)
    await honest.established
    honest.hello({ name: 'honest' })
    honest.send(encodeRanges({ ranges: [{ upper: null, mode: { kind: 'fingerprint', count: 0, fingerprint: fingerprintOf(emptySummary()) } }] }))
    await waitUntil(() => honest.received.some(m => m.type === 'history'), 5_000, 'history for the honest member')
    deaf.destroy()
    honest.destroy()
  } finally {
    await net.close()
  }
})
