// A and B talk while C is away: messages, replies, edits, reactions and a deletion, in a group
// channel and in their private conversation. C comes back when only B is online and ends up with
// exactly what A and B show, every entry once, and none of the deleted words.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'
import type { MessageInfo } from '../../core/api/contract.ts'

const view = (messages: MessageInfo[]): unknown[] => messages.map(m => [m.messageId, m.text, m.deleted ?? false, m.editedAt ?? null, m.replyTo?.messageId ?? null, (m.reactions ?? []).map(r => [r.emoji, r.count])])

describe('sync across conversations', () => {
  it('a member back while only one other is online gets every entry of the time it was away, once', async () => {
    const net = await createTestnet()
    try {
      const [alice, bob] = [net.daemon('alice'), net.daemon('bob')]
      let carol: DaemonProcess = net.daemon('carol')
      const { uri, channelId } = await alice.call('channels.create', { name: 'crew', trackers: [net.trackerUrl] })
      await bob.call('channels.join', { uri })
      await carol.call('channels.join', { uri })
      await waitUntil(async () => (await alice.call('peers.list', { channelId })).length === 2, 15_000, 'everyone connected')
      await alice.call('messages.send', { channelId, text: 'before carol left' })
      await waitUntil(async () => (await carol.call('messages.list', { channelId, limit: 1000 })).length === 1, 10_000, 'the first message at carol')
      const carolDir = carol.dataDir
      await carol.stop()

      const q = await alice.call('messages.send', { channelId, text: 'where do we meet?' })
      await waitUntil(async () => (await bob.call('messages.list', { channelId, limit: 1000 })).some(m => m.messageId === q.messageId), 10_000, 'the question at bob')
      const r = await bob.call('messages.send', { channelId, text: 'at the old mill', replyTo: q.messageId })
      await waitUntil(async () => (await alice.call('messages.list', { channelId, limit: 1000 })).some(m => m.messageId === r.messageId), 10_000, 'the reply at alice')
      await alice.call('messages.edit', { channelId, messageId: q.messageId, text: 'where do we meet tonight?' })
      await alice.call('messages.react', { channelId, messageId: r.messageId, emoji: '👍' })
      const oops = await bob.call('messages.send', { channelId, text: 'the alarm code is 4711' })
      await bob.call('messages.delete', { channelId, messageId: oops.messageId })
      for (let i = 0; i < 200; i++) await (i % 2 === 0 ? alice : bob).call('messages.send', { channelId, text: `chatter ${i}` })
      const bobKey = (await bob.call('identity.get', {})).publicKey
      const { channelId: dm } = await alice.call('conversations.openPrivate', { publicKey: bobKey })
      await alice.call('messages.send', { channelId: dm, text: 'just us' })
      await waitUntil(async () => (await alice.call('messages.list', { channelId, limit: 1000 })).length === 204 && (await bob.call('messages.list', { channelId, limit: 1000 })).length === 204, 20_000, 'alice and bob agreeing')
      const kept = (messages: MessageInfo[]): MessageInfo[] => messages.filter(m => m.deleted !== true)
      const expected = view(kept(await bob.call('messages.list', { channelId, limit: 1000 })))
      assert.deepEqual(view(kept(await alice.call('messages.list', { channelId, limit: 1000 }))), expected)
      await alice.stop()

      carol = net.daemon('carol', { dataDir: carolDir })
      // The deleted message shows as deleted where it had arrived; carol never had it, so it is not there at all.
      await waitUntil(async () => (await carol.call('messages.list', { channelId, limit: 1000 })).length === 203, 30_000, 'carol caught up from bob alone')
      // Reactions and edits are entries of their own: they may land a moment after the messages they change.
      await waitUntil(async () => JSON.stringify(view(await carol.call('messages.list', { channelId, limit: 1000 }))) === JSON.stringify(expected), 10_000, 'carol showing what bob shows')
      const got = await carol.call('messages.list', { channelId, limit: 1000 })
      assert.equal(new Set(got.map(m => m.messageId)).size, got.length, 'every message once')
      assert.ok(!got.some(m => m.text.includes('4711')), 'nothing of the deleted message')
      assert.equal(got.find(m => m.messageId === oops.messageId), undefined)
      assert.ok(!(await carol.call('channels.list', {})).some(c => c.channelId === dm), 'the private conversation stays between alice and bob')
    } finally {
      await net.close()
    }
  })
})
