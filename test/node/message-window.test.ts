// messages.list opens history anywhere (a search result far back): `around` a message, then `after`
// and `before` from the window's ends, on a real node and its SQLite file.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BitChatError } from '../../core/api/errors.ts'
import { dispatch } from '../../core/api/service.ts'
import { startNode } from '../../core/node/node.ts'
import { silentLogger } from '../../core/log.ts'
import { tempDir } from '../helpers/testnet.ts'

const code = (expected: string) => (err: unknown) => err instanceof BitChatError && err.code === expected
const options = () => ({ dataDir: tempDir(), host: '127.0.0.1', dht: false as const, lan: false, portMapping: false, log: silentLogger, createIdentity: true, name: 'Ada' })

test('a window around a message far back, paged forward to the newest and back to the first, holds every message once', async () => {
  const node = await startNode(options())
  try {
    const { channelId } = await node.api['channels.create']({ name: 'long', trackers: [] })
    const sent: string[] = []
    for (let i = 0; i < 300; i++) sent.push((await node.api['messages.send']({ channelId, text: `note ${i}` })).messageId)
    const target = sent[40]!

    const window = await node.api['messages.list']({ channelId, around: target, limit: 21 })
    assert.deepEqual(window.map(m => m.text), Array.from({ length: 21 }, (_, i) => `note ${30 + i}`))

    const forward = [...window]
    for (;;) {
      const page = await node.api['messages.list']({ channelId, after: forward.at(-1)!.messageId, limit: 100 })
      if (page.length === 0) break
      forward.push(...page)
    }
    const back = await node.api['messages.list']({ channelId, before: window[0]!.messageId, limit: 100 })
    assert.deepEqual([...back, ...forward].map(m => m.messageId), sent)
  } finally {
    await node.close()
  }
})

test('around a message of another channel gives none; two cursors at once are refused', async () => {
  const node = await startNode(options())
  try {
    const { channelId } = await node.api['channels.create']({ name: 'one', trackers: [] })
    const other = await node.api['channels.create']({ name: 'two', trackers: [] })
    const { messageId } = await node.api['messages.send']({ channelId: other.channelId, text: 'elsewhere' })
    await node.api['messages.send']({ channelId, text: 'here' })
    assert.deepEqual(await node.api['messages.list']({ channelId, around: messageId }), [])
    await assert.rejects(dispatch(node, 'messages.list', { channelId, around: messageId, after: messageId }), code('INVALID_PARAMS'))
    await assert.rejects(dispatch(node, 'messages.list', { channelId, before: messageId, around: messageId }), code('INVALID_PARAMS'))
  } finally {
    await node.close()
  }
})
