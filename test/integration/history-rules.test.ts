// The log's rules against a member that breaks them, on real nodes and sockets: two different
// messages under one sequence number are both kept and their author flagged, at every member,
// without blocking sync; timestamps from before the channel or far in the future are not shown.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { fromHex, toHex } from '../../core/codec/hex.ts'
import { createGroupMessage } from '../../core/wire/group-message.ts'
import { encodeHistory, encodeMessage } from '../../core/wire/messages.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

test('an author who signs two messages under one number is flagged everywhere, both kept, sync unblocked', async () => {
  const net = await createTestnet()
  try {
    const first = await net.node('first', { timings: FAST_TIMINGS })
    const { channelId, uri } = await first.api['channels.create']({ name: 'evidence', trackers: [net.trackerUrl] })
    const liar = new HandDrivenPeer(first.listenPort, channelPsk(uri))
    await liar.established
    liar.hello({ name: 'liar', tcpPort: 0, observedAddress: '127.0.0.1:1' })
    const version = (text: string) => createGroupMessage({ channelId: fromHex(channelId), author: liar.identity, seq: 1, timestamp: Date.now(), text })
    const [a, b] = [version('the meeting is at noon'), version('the meeting is cancelled')]
    liar.send(encodeMessage({ raw: a.raw }))
    liar.send(encodeMessage({ raw: b.raw }))
    const liarKey = toHex(liar.identity.publicKey)
    await waitUntil(async () => (await first.api['messages.list']({ channelId })).length === 2, 5_000, 'both versions')
    const listed = await first.api['messages.list']({ channelId })
    assert.deepEqual(listed.map(m => [m.author, m.seq, m.authorFlagged]), [[liarKey, 1, true], [liarKey, 1, true]])
    assert.deepEqual((await first.api['peers.list']({ channelId })).map(p => [p.name, p.flagged]), [['liar', true]])
    liar.destroy()

    // A member who arrives later gets both versions, the flag, and what the honest author said after.
    await first.api['messages.send']({ channelId, text: 'honest words' })
    const later = await net.node('later', { timings: FAST_TIMINGS })
    await later.api['channels.join']({ uri })
    await waitUntil(async () => (await later.api['messages.list']({ channelId })).length === 3, 15_000, 'the history at the later member')
    const seen = await later.api['messages.list']({ channelId })
    assert.deepEqual(seen.filter(m => m.author === liarKey).map(m => m.authorFlagged), [true, true])
    assert.ok(seen.some(m => m.text === 'honest words' && m.authorFlagged === undefined))
  } finally {
    await net.close()
  }
})

test('messages stamped before the channel began or far in the future are not shown; ordinary ones are', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('node', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'clocks', trackers: [] })
    const peer = new HandDrivenPeer(node.listenPort, channelPsk(uri))
    await peer.established
    peer.hello({ name: 'skewed', tcpPort: 0, observedAddress: '127.0.0.1:1' })
    const at = (seq: number, timestamp: number, text: string) => createGroupMessage({ channelId: fromHex(channelId), author: peer.identity, seq, timestamp, text })
    peer.send(encodeMessage({ raw: at(1, 0, 'from 1970').raw }))
    peer.send(encodeMessage({ raw: at(2, Date.UTC(2100, 0, 1), 'from 2100').raw }))
    peer.send(encodeMessage({ raw: at(3, Date.now() + 60 * 60_000, 'an hour ahead').raw }))
    peer.send(encodeMessage({ raw: at(4, Date.now(), 'on time').raw }))
    await waitUntil(async () => (await node.api['messages.list']({ channelId })).length > 0, 5_000, 'the ordinary message')
    await new Promise(resolve => setTimeout(resolve, 200))
    assert.deepEqual((await node.api['messages.list']({ channelId })).map(m => m.text), ['on time'])
    peer.destroy()
  } finally {
    await net.close()
  }
})

test('an invite-only channel takes no message written by a key it does not list, even when a member passes it on', async () => {
  const net = await createTestnet()
  try {
    const owner = await net.node('owner', { timings: FAST_TIMINGS })
    const guest = generateIdentity()
    const { channelId, uri } = await owner.api['channels.create']({ name: 'inner circle', trackers: [], inviteOnly: true, members: [toHex(guest.publicKey)] })
    const peer = new HandDrivenPeer(owner.listenPort, channelPsk(uri), guest)
    await peer.established
    peer.hello({ name: 'guest', tcpPort: 0, observedAddress: '127.0.0.1:1' })
    const outsider = generateIdentity()
    const write = (author: typeof guest, text: string) => createGroupMessage({ channelId: fromHex(channelId), author, seq: 1, timestamp: Date.now(), text })
    peer.send(encodeMessage({ raw: write(outsider, 'from outside').raw }))
    peer.send(encodeHistory({ raw: write(outsider, 'from outside, as history').raw }))
    peer.send(encodeMessage({ raw: write(guest, 'from the guest').raw }))
    await waitUntil(async () => (await owner.api['messages.list']({ channelId })).length > 0, 5_000, 'the guest\'s message')
    await new Promise(resolve => setTimeout(resolve, 300))
    assert.deepEqual((await owner.api['messages.list']({ channelId })).map(m => m.text), ['from the guest'])
    peer.destroy()
  } finally {
    await net.close()
  }
})
