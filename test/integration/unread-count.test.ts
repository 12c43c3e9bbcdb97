// A channel's unread count is kept as messages arrive rather than counted for every summary: it
// must still say what the store says, across reads, restarts, our own messages and a catch-up.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, tempDir, waitUntil } from '../helpers/testnet.ts'
import type { BitChatEvents } from '../../core/api/contract.ts'
import type { BitChatNode } from '../../core/node/node.ts'

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
