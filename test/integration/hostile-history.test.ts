// A member driven by hand over a real socket that uses the history frames (RANGES, WANT, HISTORY)
// against a real node: what it can make the node send, store and do, and what it cannot.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { parseChannelUri } from '../../core/channel/uri.ts'
import { pskOf } from '../../core/channel/keys.ts'
import { fromHex } from '../../core/codec/hex.ts'
import { createGroupMessage } from '../../core/wire/group-message.ts'
import { encodeHello, encodeHistory, encodeRanges, encodeWant } from '../../core/wire/messages.ts'
import { emptySummary, fingerprintOf } from '../../core/history/fingerprint.ts'

const hello = (name: string) => encodeHello({ version: 1, name, tcpPort: 0, udpPort: 0, observedAddress: '127.0.0.1:1', peers: [] })

test('a burst of history is announced to the UI a few times a second, not once per stored batch', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'burst', trackers: [] })
    const updates: number[] = []
    node.onEvent((event, payload) => {
      if (event === 'channel.updated' && (payload as { channelId: string }).channelId === channelId) updates.push(Date.now())
    })
    const peer = new HandDrivenPeer(node.listenPort, pskOf(parseChannelUri(uri).secret))
    await peer.established
    peer.send(hello('burst'))
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
    const peer = new HandDrivenPeer(node.listenPort, pskOf(parseChannelUri(open.uri).secret))
    await peer.established
    peer.send(hello('curious'))
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

test('history frames sent before HELLO are ignored; the same frames after it are taken', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'manners', trackers: [] })
    const held = await node.api['messages.send']({ channelId, text: 'held here' })
    const peer = new HandDrivenPeer(node.listenPort, pskOf(parseChannelUri(uri).secret))
    await peer.established
    const early = createGroupMessage({ channelId: fromHex(channelId), author: peer.identity, seq: 1, timestamp: Date.now(), text: 'too early' })
    const frames = [
      encodeHistory({ raw: early.raw }),
      encodeWant({ ids: [fromHex(held.messageId)] }),
      encodeRanges({ ranges: [{ upper: null, mode: { kind: 'fingerprint', count: 0, fingerprint: fingerprintOf(emptySummary()) } }] })
    ]
    for (const frame of frames) peer.send(frame)
    await new Promise(resolve => setTimeout(resolve, 500))
    assert.deepEqual(peer.received.filter(m => m.type === 'history' || m.type === 'ranges'), [])
    assert.deepEqual((await node.api['messages.list']({ channelId })).map(m => m.text), ['held here'])
    peer.send(hello('polite'))
    for (const frame of frames) peer.send(frame)
    await waitUntil(async () => (await node.api['messages.list']({ channelId })).length === 2, 5_000, 'the message after HELLO')
    await waitUntil(() => peer.received.some(m => m.type === 'history'), 5_000, 'the wanted message after HELLO')
    peer.destroy()
  } finally {
    await net.close()
  }
})

test('a member that sends RANGES and never reads the answers is disconnected once 16 MiB wait for it; others still sync', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'deaf', trackers: [] })
    await node.api['messages.send']({ channelId, text: 'for the honest one' })
    const psk = pskOf(parseChannelUri(uri).secret)
    const reasons: string[] = []
    node.onEvent((event, payload) => { if (event === 'peer.disconnected') reasons.push((payload as { reason: string }).reason) })
    const deaf = new HandDrivenPeer(node.listenPort, psk)
    await deaf.established
    deaf.send(hello('deaf'))
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
    assert.match(reasons.join(), /peer stopped reading/)
    const honest = new HandDrivenPeer(node.listenPort, psk)
    await honest.established
    honest.send(hello('honest'))
    honest.send(encodeRanges({ ranges: [{ upper: null, mode: { kind: 'fingerprint', count: 0, fingerprint: fingerprintOf(emptySummary()) } }] }))
    await waitUntil(() => honest.received.some(m => m.type === 'history'), 5_000, 'history for the honest member')
    deaf.destroy()
    honest.destroy()
  } finally {
    await net.close()
  }
})
