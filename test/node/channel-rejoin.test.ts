import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, tempDir, waitUntil } from '../helpers/testnet.ts'
import type { BitChatEvents, EventName } from '../../core/api/contract.ts'

test('a channel joined again while its leave is still stopping stays joined, writable and stored', async () => {
  const net = await createTestnet()
  const dir = tempDir()
  try {
    let node = await net.node('ada', { dataDir: dir, timings: FAST_TIMINGS })
    const { uri, channelId } = await node.api['channels.create']({ name: 'revolving', trackers: [net.trackerUrl] })
    const events: EventName[] = []
    node.onEvent((event, payload) => {
      if ((payload as { channelId?: string }).channelId === channelId && event.startsWith('channel.')) events.push(event)
    })
    // The leave is still telling trackers `stopped` when the user joins again.
    await Promise.all([node.api['channels.leave']({ channelId }), node.api['channels.join']({ uri })])
    assert.equal(events.at(-1), 'channel.updated', `the last word on the channel says it is joined: ${events.join(', ')}`)
    await node.api['messages.send']({ channelId, text: 'still here' })
    await node.close()
    node = await net.node('ada', { dataDir: dir, timings: FAST_TIMINGS })
    assert.deepEqual((await node.api['channels.list']({})).map(c => c.channelId), [channelId])
    assert.deepEqual((await node.api['messages.list']({ channelId })).map(m => m.text), ['still here'])
  } finally {
    await net.close()
  }
})

test('after leaving and joining again, the history peers kept comes back as events, our own messages included', async () => {
  const net = await createTestnet()
  try {
    const ada = await net.node('ada', { timings: FAST_TIMINGS })
    const bob = await net.node('bob', { timings: FAST_TIMINGS })
    const { uri, channelId } = await ada.api['channels.create']({ name: 'kept', trackers: [net.trackerUrl] })
    await bob.api['channels.join']({ uri })
    await waitUntil(async () => (await ada.api['peers.list']({ channelId })).length === 1, 10_000, 'bob to connect')
    const sent: string[] = []
    for (let i = 0; i < 5; i++) {
      sent.push((await ada.api['messages.send']({ channelId, text: `ada ${i}` })).messageId)
      sent.push((await bob.api['messages.send']({ channelId, text: `bob ${i}` })).messageId)
    }
    await waitUntil(async () => (await bob.api['messages.list']({ channelId })).length === 10, 10_000, 'bob to hold everything')

    await ada.api['channels.leave']({ channelId })
    assert.deepEqual(await ada.api['channels.list']({}), [])
    const received = new Map<string, boolean>()
    ada.onEvent((event, payload) => {
      if (event !== 'message.received') return
      const { more, ...first } = payload as BitChatEvents['message.received']
      for (const m of [first, ...(more ?? [])]) received.set(m.messageId, m.own)
    })
    await ada.api['channels.join']({ uri })
    await waitUntil(() => received.size === 10, 10_000, 'the whole history as events')
    assert.deepEqual([...received.keys()].sort(), [...sent].sort())
    const listed = await ada.api['messages.list']({ channelId })
    for (const m of listed) assert.equal(received.get(m.messageId), m.own, m.text)
    assert.equal(listed.filter(m => m.own).length, 5)
  } finally {
    await net.close()
  }
})
