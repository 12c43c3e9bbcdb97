import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, tempDir } from '../helpers/testnet.ts'
import type { EventName } from '../../core/api/contract.ts'

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
