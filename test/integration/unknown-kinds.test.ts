// Mixed versions in one channel must never split its history: an entry of a kind this version does
// not know is verified, stored, flooded on and reconciled like any other — only not shown.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createTestnet, FAST_TIMINGS, tempDir, waitUntil } from '../helpers/testnet.ts'
import { HandDrivenPeer } from '../helpers/hand-driven-peer.ts'
import { fromHex } from '../../core/codec/hex.ts'
import { createGroupEntry, createGroupMessage } from '../../core/wire/group-message.ts'
import { encodeMessage } from '../../core/wire/messages.ts'
import { Store } from '../../core/store/store.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

test('an entry of an unknown kind reaches every member, by flooding and by reconciliation, and is not shown', async () => {
  const net = await createTestnet()
  try {
    const dirs = { first: tempDir(), second: tempDir(), later: tempDir() }
    const first = await net.node('first', { dataDir: dirs.first, timings: FAST_TIMINGS })
    const { channelId, uri } = await first.api['channels.create']({ name: 'mixed', trackers: [net.trackerUrl] })
    const second = await net.node('second', { dataDir: dirs.second, timings: FAST_TIMINGS })
    await second.api['channels.join']({ uri })
    await waitUntil(async () => (await first.api['peers.list']({ channelId })).length === 1, 10_000, 'first and second to meet')

    const newer = new HandDrivenPeer(first.listenPort, channelPsk(uri))
    await newer.established
    newer.hello({ name: 'newer version', tcpPort: 0, observedAddress: '127.0.0.1:1' })
    const unknown = createGroupEntry({ channelId: fromHex(channelId), author: newer.identity, seq: 1, timestamp: Date.now(), kind: 42, body: Uint8Array.from([1, 2, 3, 0xff]) })
    const text = createGroupMessage({ channelId: fromHex(channelId), author: newer.identity, seq: 2, timestamp: Date.now(), text: 'and some text' })
    newer.send(encodeMessage({ raw: unknown.raw }))
    newer.send(encodeMessage({ raw: text.raw }))
    await waitUntil(async () => (await second.api['messages.list']({ channelId })).some(m => m.messageId === text.id), 10_000, 'the text at the second member')
    newer.destroy()

    const later = await net.node('later', { dataDir: dirs.later, timings: FAST_TIMINGS })
    await later.api['channels.join']({ uri })
    await waitUntil(async () => (await later.api['messages.list']({ channelId })).some(m => m.messageId === text.id), 15_000, 'the history at the later member')

    for (const node of [first, second, later]) {
      const shown = await node.api['messages.list']({ channelId })
      assert.deepEqual(shown.map(m => m.text), ['and some text'])
      assert.equal((await node.api['channels.list']({}))[0]?.unread, 1, 'only the text counts as unread')
    }
    await Promise.all([first.close(), second.close(), later.close()])
    for (const dir of Object.values(dirs)) {
      const store = Store.open(path.join(dir, 'bitchat.db'))
      try {
        assert.equal(store.hasMessage(unknown.id), true, `the unknown entry is stored in ${dir}`)
      } finally {
        store.close()
      }
    }
  } finally {
    await net.close()
  }
})
