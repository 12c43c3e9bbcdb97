// Mentions between real nodes on real SQLite files: who is named travels by key with the message and
// its edits, the one named sees `mentionsMe` and an unread mention until they read, a deleted message
// mentions no one any more; a muted conversation stays muted across a restart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, tempDir, waitUntil } from '../helpers/testnet.ts'
import type { BitChatEvents, ChannelSummary, MessageInfo } from '../../core/api/contract.ts'
import type { BitChatNode } from '../../core/node/node.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { checkParams } from '../../core/api/params.ts'

const summaryAt = async (node: BitChatNode, channelId: string): Promise<ChannelSummary | undefined> =>
  (await node.api['channels.list']({})).find(c => c.channelId === channelId)
const shownAt = async (node: BitChatNode, channelId: string, messageId: string): Promise<MessageInfo | undefined> =>
  (await node.api['messages.list']({ channelId })).find(m => m.messageId === messageId)
const keyOf = async (node: BitChatNode): Promise<string> => (await node.api['identity.get']({})).publicKey

test('a mention names a key: it reaches the one named, counts as an unread mention until read, and follows edits and deletion', async () => {
  const net = await createTestnet()
  try {
    const alice = await net.node('alice', { timings: FAST_TIMINGS })
    const bob = await net.node('bob', { timings: FAST_TIMINGS })
    const carol = '7'.repeat(64)
    const { channelId, uri } = await alice.api['channels.create']({ name: 'mentions', trackers: [net.trackerUrl] })
    await bob.api['channels.join']({ uri })
    const [aliceKey, bobKey] = [await keyOf(alice), await keyOf(bob)]
    const receivedAtAlice: MessageInfo[] = []
    alice.onEvent((event, payload) => {
      if (event !== 'message.received') return
      const { more, ...first } = payload as BitChatEvents['message.received']
      receivedAtAlice.push(first, ...(more ?? []))
    })

    const sent = await bob.api['messages.send']({ channelId, text: 'over to you @alice', mentions: [aliceKey, carol] })
    assert.deepEqual(new Set(sent.message.mentions), new Set([aliceKey, carol]))
    assert.equal(sent.message.mentionsMe, false, 'bob did not mention himself')
    await waitUntil(async () => await shownAt(alice, channelId, sent.messageId) !== undefined, 15_000, 'the mention at alice')
    const atAlice = await shownAt(alice, channelId, sent.messageId)
    assert.equal(atAlice?.mentionsMe, true)
    assert.equal(atAlice?.text, 'over to you @alice', 'the list is not part of the text')
    await waitUntil(async () => (await summaryAt(alice, channelId))?.unreadMentions === 1, 10_000, 'one unread mention')
    const event = receivedAtAlice.find(m => m.messageId === sent.messageId)
    assert.equal(event?.mentionsMe, true, 'the event that notifies says it mentions alice')

    const plain = await bob.api['messages.send']({ channelId, text: 'no one named' })
    await waitUntil(async () => (await summaryAt(alice, channelId))?.unread === 2, 10_000, 'two unread')
    assert.equal((await summaryAt(alice, channelId))?.unreadMentions, 1, 'a message naming no one is no mention')
    assert.equal((await shownAt(alice, channelId, plain.messageId))?.mentions, undefined)

    await alice.api['channels.markRead']({ channelId })
    assert.equal((await summaryAt(alice, channelId))?.unreadMentions, 0, 'reading clears it')

    // An edit carries its own list: what the message names is what its latest edit names.
    await bob.api['messages.edit']({ channelId, messageId: plain.messageId, text: 'now naming @alice', mentions: [aliceKey] })
    await waitUntil(async () => (await shownAt(alice, channelId, plain.messageId))?.mentionsMe === true, 10_000, 'the edit names alice')
    await waitUntil(async () => (await summaryAt(alice, channelId))?.unreadMentions === 1, 10_000, 'an edit that names alice is an unread mention')
    await bob.api['messages.edit']({ channelId, messageId: plain.messageId, text: 'named no one after all' })
    await waitUntil(async () => (await shownAt(alice, channelId, plain.messageId))?.text === 'named no one after all', 10_000, 'the second edit')
    assert.equal((await shownAt(alice, channelId, plain.messageId))?.mentions, undefined, 'the latest edit names no one')

    await bob.api['messages.delete']({ channelId, messageId: sent.messageId })
    await waitUntil(async () => (await shownAt(alice, channelId, sent.messageId))?.deleted === true, 10_000, 'the deletion at alice')
    assert.equal((await shownAt(alice, channelId, sent.messageId))?.mentions, undefined, 'a deleted message names no one')

    // Alice's own message naming herself is no mention of her to count.
    await alice.api['messages.send']({ channelId, text: 'me, @alice', mentions: [aliceKey] })
    await alice.api['messages.send']({ channelId, text: 'hi @bob', mentions: [bobKey] })
    await waitUntil(async () => (await summaryAt(bob, channelId))?.unreadMentions === 1, 10_000, 'bob\'s unread mention')
    assert.equal((await summaryAt(alice, channelId))?.unreadMentions, 1, 'only the edit that named alice, before she read it')
  } finally {
    await net.close()
  }
})

test('mentions are checked: at most 32, each a key, none twice, and they take room from the text', async () => {
  const net = await createTestnet()
  try {
    const node = await net.node('solo', { timings: FAST_TIMINGS })
    const { channelId } = await node.api['channels.create']({ name: 'bounds', trackers: [net.trackerUrl] })
    const code = (c: string) => (err: unknown): boolean => err instanceof BitChatError && err.code === c
    const key = (n: number): string => n.toString(16).padStart(64, '0')
    assert.throws(() => checkParams('messages.send', { channelId, text: 'x', mentions: Array.from({ length: 33 }, (_, i) => key(i + 1)) }), code('INVALID_PARAMS'))
    assert.throws(() => checkParams('messages.send', { channelId, text: 'x', mentions: [key(1), key(1)] }), code('INVALID_PARAMS'))
    assert.throws(() => checkParams('messages.edit', { channelId, messageId: key(2), text: 'x', mentions: ['bob'] }), code('INVALID_PARAMS'))
    await assert.rejects(node.api['messages.send']({ channelId, text: 'x'.repeat(16384), mentions: [key(1)] }), code('MESSAGE_TOO_LARGE'))
    await assert.rejects(node.api['messages.send']({ channelId, text: '\u0000 looks like a list' }), code('INVALID_PARAMS'))
    const full = await node.api['messages.send']({ channelId, text: 'x'.repeat(16384 - 2 - 32), mentions: [key(1)] })
    assert.deepEqual(full.message.mentions, [key(1)])
  } finally {
    await net.close()
  }
})

test('muting a conversation is kept across a restart and said in its summary', async () => {
  const net = await createTestnet()
  try {
    const dir = tempDir()
    let node = await net.node('muter', { dataDir: dir, timings: FAST_TIMINGS })
    const { channelId } = await node.api['channels.create']({ name: 'quiet', trackers: [net.trackerUrl] })
    assert.equal((await summaryAt(node, channelId))?.muted, false)
    const updates: ChannelSummary[] = []
    node.onEvent((event, payload) => { if (event === 'channel.updated') updates.push(payload as ChannelSummary) })
    const muted = await node.api['channels.setMuted']({ channelId, muted: true })
    assert.equal(muted.muted, true)
    assert.deepEqual(updates.map(u => u.muted), [true], 'other clients learn of it')
    await node.close()
    node = await net.node('muter', { dataDir: dir, timings: FAST_TIMINGS })
    assert.equal((await summaryAt(node, channelId))?.muted, true)
    await node.api['channels.setMuted']({ channelId, muted: false })
    assert.equal((await summaryAt(node, channelId))?.muted, false)
    await assert.rejects(node.api['channels.setMuted']({ channelId: 'f'.repeat(64), muted: true }), (err: unknown) => err instanceof BitChatError && err.code === 'CHANNEL_NOT_FOUND')
  } finally {
    await net.close()
  }
})
