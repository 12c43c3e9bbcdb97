// A member driven by hand over a real socket that uses the history frames (RANGES, WANT, HISTORY)
// against a real node: what it can make the node send, store and do, and what it cannot.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { parseChannelUri } from '../../core/channel/uri.ts'
import { pskOf } from '../../core/channel/keys.ts'
import { fromHex } from '../../core/codec/hex.ts'
import { createGroupMessage } from '../../core/wire/group-message.ts'
import { encodeHello, encodeHistory } from '../../core/wire/messages.ts'

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
