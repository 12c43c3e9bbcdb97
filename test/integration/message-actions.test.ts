// Replies, edits, reactions and deletions between real daemons: what each member shows, who may do
// what, and that a deleted message's words leave every store, including a member who comes later.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import path from 'node:path'
import { createTestnet, RpcError, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'
import type { MessageInfo } from '../../core/api/contract.ts'

/** Rows of a daemon's store whose shown text or signed bytes hold `words`. */
function rowsHolding (d: DaemonProcess, words: string): number {
  const db = new Database(path.join(d.dataDir, 'bitchat.db'), { timeout: 5000 })
  try {
    const needle = Buffer.from(words)
    return db.prepare<[string, Buffer], { n: number }>('SELECT count(*) AS n FROM messages WHERE instr(body, ?) > 0 OR instr(raw, ?) > 0').get(words, needle)?.n ?? 0
  } finally {
    db.close()
  }
}

describe('message actions', () => {
  it('replies, edits, reactions and deletions show at every member, and only authors edit or delete', async () => {
    const net = await createTestnet()
    try {
      const [alice, bob] = [net.daemon('alice'), net.daemon('bob')]
      const { uri, channelId } = await alice.call('channels.create', { name: 'actions', trackers: [net.trackerUrl] })
      await bob.call('channels.join', { uri })
      await bob.waitFor('peer.connected', p => p.channelId === channelId, 15_000)
      const shown = async (d: DaemonProcess, id: string): Promise<MessageInfo | undefined> => (await d.call('messages.list', { channelId })).find(m => m.messageId === id)

      const { messageId: question } = await alice.call('messages.send', { channelId, text: 'the secret word is swordfish' })
      await waitUntil(async () => await shown(bob, question), 10_000, 'the question at bob')
      const reply = await bob.call('messages.send', { channelId, text: 'got it', replyTo: question })
      assert.deepEqual(reply.message.replyTo, { messageId: question, author: (await alice.call('identity.get', {})).publicKey, authorName: 'alice', text: 'the secret word is swordfish' })
      await waitUntil(async () => (await shown(alice, reply.messageId))?.replyTo?.messageId === question, 10_000, 'the reply at alice')

      const edited = await alice.call('messages.edit', { channelId, messageId: question, text: 'the secret word is marlin' })
      assert.equal(edited.message.text, 'the secret word is marlin')
      assert.ok(edited.message.editedAt !== undefined)
      const update = await bob.waitFor('message.updated', m => m.messageId === question && m.text === 'the secret word is marlin', 10_000)
      assert.equal(update.editedAt, edited.message.editedAt)
      assert.equal((await shown(bob, reply.messageId))?.replyTo?.text, 'the secret word is marlin', 'a reply shows the answered message as edited')

      const reacted = await bob.call('messages.react', { channelId, messageId: question, emoji: '👍' })
      assert.deepEqual(reacted.message.reactions?.map(r => [r.emoji, r.count, r.mine]), [['👍', 1, true]])
      await alice.waitFor('message.updated', m => m.messageId === question && m.reactions?.[0]?.emoji === '👍', 10_000)
      assert.deepEqual((await shown(alice, question))?.reactions?.map(r => [r.emoji, r.count, r.mine]), [['👍', 1, false]])
      await bob.call('messages.react', { channelId, messageId: question, emoji: '🎉' })
      await alice.waitFor('message.updated', m => m.messageId === question && m.reactions?.[0]?.emoji === '🎉', 10_000)
      assert.equal((await shown(alice, question))?.reactions?.length, 1, 'a member\'s latest reaction replaces the one before')

      const refused = (code: string) => (err: unknown): boolean => err instanceof RpcError && err.code === code
      await assert.rejects(bob.call('messages.edit', { channelId, messageId: question, text: 'hijacked' }), refused('FORBIDDEN'))
      await assert.rejects(bob.call('messages.delete', { channelId, messageId: question }), refused('FORBIDDEN'))
      await assert.rejects(bob.call('messages.edit', { channelId, messageId: 'ab'.repeat(32), text: 'x' }), refused('MESSAGE_NOT_FOUND'))
      await assert.rejects(bob.call('messages.react', { channelId, messageId: question, emoji: 'lol' }), refused('INVALID_PARAMS'))

      const found = await bob.call('messages.search', { query: 'MARLIN' })
      assert.deepEqual(found.map(m => [m.messageId, m.channelId, m.text]), [[question, channelId, 'the secret word is marlin']])
      assert.deepEqual(await bob.call('messages.search', { query: 'swordfish', channelId }), [], 'an edit replaces what is found')
      await alice.call('messages.delete', { channelId, messageId: question })
      const gone = await bob.waitFor('message.updated', m => m.messageId === question && m.deleted === true, 10_000)
      assert.equal(gone.text, '')
      assert.equal((await shown(bob, reply.messageId))?.replyTo?.deleted, true)
      for (const d of [alice, bob]) {
        assert.equal(rowsHolding(d, 'swordfish'), 0, `${d.name} keeps nothing of the original`)
        assert.equal(rowsHolding(d, 'marlin'), 0, `${d.name} keeps nothing of the edit`)
      }
      await assert.rejects(alice.call('messages.edit', { channelId, messageId: question, text: 'back' }), refused('MESSAGE_NOT_FOUND'))
      assert.deepEqual(await bob.call('messages.search', { query: 'marlin' }), [], 'nothing deleted is found')
      await assert.rejects(bob.call('messages.search', { query: '?!' }), refused('INVALID_PARAMS'))

      // A member who joins afterwards catches up without ever seeing the words, and shows no hole.
      const carol = net.daemon('carol')
      await carol.call('channels.join', { uri })
      await waitUntil(async () => (await carol.call('messages.list', { channelId })).some(m => m.messageId === reply.messageId), 15_000, 'the history at carol')
      assert.equal(rowsHolding(carol, 'swordfish') + rowsHolding(carol, 'marlin'), 0)
      assert.equal((await carol.call('messages.list', { channelId })).find(m => m.messageId === reply.messageId)?.replyTo?.deleted, true)
    } finally {
      await net.close()
    }
  })
})
