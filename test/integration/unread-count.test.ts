// A channel's unread count is kept as messages arrive rather than counted for every summary: it
// must still say what the store says, across reads, restarts, our own messages, a catch-up and a
// member signing many versions of one message.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, tempDir, waitUntil } from '../helpers/testnet.ts'
import type { BitChatEvents } from '../../core/api/contract.ts'
import type { BitChatNode } from '../../core/node/node.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { fromHex } from '../../core/codec/hex.ts'
import { createGroupMessage } from '../../core/wire/group-message.ts'
import { encodeMessage } from '../../core/wire/messages.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

const unreadAt = async (node: BitChatNode): Promise<number | undefined> => (await node.api['channels.list']({}))[0]?.unread

test('unread counts what others wrote since the last read, through a catch-up, a read, our own messages and a restart', async () => {
  const net = await createTestnet()
  try {
    const holder = await net.node('holder', { timings: FAST_TIMINGS })
    const { channelId, uri } = await holder.api['channels.create']({ name: 'unread', trackers: [net.trackerUrl] })
    const backlog = 300
    for (let i = 0; i < backlog; i++) await holder.api['messages.send']({ channelId, text: `backlog ${i}` })

    const dir = tempDir()
    let reader = await net.node('reader', { dataDir: dir, timings: FAST_TIMINGS })
    const events: Array<BitChatEvents['message.received']> = []
    reader.onEvent((event, payload) => { if (event === 'message.received') events.push(payload as BitChatEvents['message.received']) })
    await reader.api['channels.join']({ uri })
    await waitUntil(async () => await unreadAt(reader) === backlog, 20_000, 'the backlog counted as unread')
    const delivered = events.flatMap(e => [e.messageId, ...(e.more ?? []).map(m => m.messageId)])
    assert.equal(new Set(delivered).size, backlog, 'every message of the catch-up reaches subscribers once')
    assert.equal(delivered.length, backlog)
    assert.ok(events.length < backlog / 4, `the catch-up came in groups (${events.length} notifications for ${backlog} messages)`)

    await reader.api['channels.markRead']({ channelId })
    assert.equal(await unreadAt(reader), 0)
    await reader.api['messages.send']({ channelId, text: 'mine' })
    await holder.api['messages.send']({ channelId, text: 'one' })
    await holder.api['messages.send']({ channelId, text: 'two' })
    await waitUntil(async () => await unreadAt(reader) === 2, 10_000, 'two new messages unread')
    // What the store counts after a restart is what the running node said.
    await reader.close()
    reader = await net.node('reader', { dataDir: dir, timings: FAST_TIMINGS })
    assert.equal(await unreadAt(reader), 2)
  } finally {
    await net.close()
  }
})

test('a member signing many versions of one message cannot raise the unread count past what is kept', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('holder', { timings: FAST_TIMINGS })
    const { channelId, uri } = await node.api['channels.create']({ name: 'versions', trackers: [net.trackerUrl] })
    const liar = new HandDrivenPeer(node.listenPort, channelPsk(uri))
    await liar.established
    liar.hello({ name: 'liar', tcpPort: 0, observedAddress: '127.0.0.1:1' })
    const versions = Array.from({ length: 5 }, (_, i) => createGroupMessage({ channelId: fromHex(channelId), author: liar.identity, seq: 1, timestamp: Date.now(), text: `version ${i}` }))
    // One at a time, so each is stored in a batch of its own and takes the place of one held.
    for (const v of versions) {
      liar.send(encodeMessage({ raw: v.raw }))
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    const kept = (await node.api['messages.list']({ channelId })).length
    assert.equal(kept, 2, 'two versions are kept as evidence')
    assert.equal(await unreadAt(node), kept)
    liar.destroy()
  } finally {
    await net.close()
  }
})
