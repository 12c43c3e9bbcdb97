import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, FAST_TIMINGS, type Testnet } from '../helpers/testnet.ts'
import type { BitChatNode } from '../../core/node/node.ts'
import type { BitChatEvents } from '../../core/api/contract.ts'

describe('nodes in one process', () => {
  let net: Testnet
  let a: BitChatNode, b: BitChatNode
  const got: BitChatEvents['message.received'][] = []

  before(async () => {
    net = await createTestnet()
    a = await net.node('alice', { timings: FAST_TIMINGS })
    b = await net.node('bob', { timings: FAST_TIMINGS })
    b.onEvent((event, payload) => { if (event === 'message.received') got.push(payload as BitChatEvents['message.received']) })
  })
  after(async () => { await net.close() })

  it('connect over the tracker and exchange a message', async () => {
    const { uri, channelId } = await a.api['channels.create']({ name: 'pair', trackers: [net.udpTrackerUrl] })
    await b.api['channels.join']({ uri })
    await waitUntil(async () => (await b.api['peers.list']({ channelId })).length === 1, 10_000, 'bob to see alice')
    const [peer] = await b.api['peers.list']({ channelId })
    assert.equal(peer?.name, 'alice')
    const { messageId } = await a.api['messages.send']({ channelId, text: 'hi bob' })
    const m = await waitUntil(() => got.find(x => x.messageId === messageId), 5_000, 'the message')
    assert.equal(m.text, 'hi bob')
    assert.equal(m.authorName, 'alice')
    assert.equal(m.own, false)
    await waitUntil(async () => (await b.api['peers.list']({ channelId }))[0]?.rttMs !== null, 5_000, 'an rtt')
  })

  it('catch a newcomer up on a history longer than one SYNC batch', async () => {
    const { uri, channelId } = await a.api['channels.create']({ name: 'archive', trackers: [net.trackerUrl] })
    const total = 1_234
    for (let i = 0; i < total; i++) await a.api['messages.send']({ channelId, text: `entry ${i}` })
    await b.api['channels.join']({ uri })
    await waitUntil(async () => (await b.api['messages.list']({ channelId, limit: 10_000 })).length === total, 20_000, 'the whole history')
    const history = await b.api['messages.list']({ channelId, limit: 10_000 })
    assert.deepEqual(new Set(history.map(m => m.text)).size, total)
  })
})
