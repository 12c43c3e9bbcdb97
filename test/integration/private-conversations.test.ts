// Private conversations between real daemons: over a connection already shared for a group channel
// (the other side joins when it is offered), between contacts with no channel in common (both find
// the channel derived from their keys through the tracker), and across restarts of both sides.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, type DaemonProcess } from '../helpers/testnet.ts'

const texts = async (d: DaemonProcess, channelId: string): Promise<string[]> => (await d.call('messages.list', { channelId })).map(m => m.text)
const keyOf = async (d: DaemonProcess): Promise<string> => (await d.call('identity.get', {})).publicKey

describe('private conversations', () => {
  it('with a member of a shared channel: only the two of them hold it, and both see it as private', async () => {
    const net = await createTestnet()
    try {
      const [alice, bob, carol] = [net.daemon('alice'), net.daemon('bob'), net.daemon('carol')]
      const { uri, channelId: group } = await alice.call('channels.create', { name: 'club', trackers: [net.trackerUrl] })
      await bob.call('channels.join', { uri })
      await carol.call('channels.join', { uri })
      await waitUntil(async () => (await alice.call('peers.list', { channelId: group })).length === 2, 15_000, 'alice to meet bob and carol')
      const [aliceKey, bobKey] = [await keyOf(alice), await keyOf(bob)]

      const { channelId } = await alice.call('conversations.openPrivate', { publicKey: bobKey })
      assert.deepEqual(await alice.call('conversations.openPrivate', { publicKey: bobKey }), { channelId }, 'opening it again gives the same conversation')
      const atBob = await bob.waitFor('channel.updated', c => c.channelId === channelId, 10_000)
      assert.equal(atBob.kind, 'private')
      assert.equal(atBob.peer?.publicKey, aliceKey)
      await alice.call('messages.send', { channelId, text: 'just between us' })
      await waitUntil(async () => (await texts(bob, channelId)).includes('just between us'), 10_000, 'the message at bob')
      const reply = await bob.call('messages.send', { channelId, text: 'agreed' })
      await waitUntil(async () => (await texts(alice, channelId)).includes('agreed'), 10_000, 'the reply at alice')
      assert.equal(reply.message.channelId, channelId)

      const listed = (await alice.call('channels.list', {})).find(c => c.channelId === channelId)
      assert.equal(listed?.kind, 'private')
      assert.equal(listed?.peer?.publicKey, bobKey)
      assert.equal((await alice.call('channels.list', {})).find(c => c.channelId === group)?.kind, 'group')
      // Carol, connected to both, was never offered it.
      assert.ok(!(await carol.call('channels.list', {})).some(c => c.channelId === channelId))
      await assert.rejects(alice.call('channels.share', { channelId }), /cannot be shared/)
      const last = (await bob.call('channels.list', {})).find(c => c.channelId === channelId)?.last
      assert.deepEqual([last?.text, last?.own, last?.authorName], ['agreed', true, 'bob'])

      // Bob deletes the conversation on his side; when Alice writes again it comes back to him.
      await bob.call('channels.leave', { channelId })
      await alice.waitFor('peer.disconnected', p => p.channelId === channelId, 10_000)
      await alice.call('messages.send', { channelId, text: 'are you still there?' })
      await waitUntil(async () => (await bob.call('channels.list', {})).some(c => c.channelId === channelId), 10_000, 'the conversation back at bob')
      await waitUntil(async () => (await texts(bob, channelId)).includes('are you still there?'), 10_000, 'the new message at bob')
    } finally {
      await net.close()
    }
  })

  it('between contacts with no channel in common, and messages to someone offline wait for them across restarts', async () => {
    const net = await createTestnet()
    try {
      let alice = net.daemon('alice')
      let bob = net.daemon('bob')
      // Each is in a channel of their own on the same tracker: the private channel is announced there too.
      await alice.call('channels.create', { name: 'alice only', trackers: [net.trackerUrl] })
      await bob.call('channels.create', { name: 'bob only', trackers: [net.trackerUrl] })
      const [aliceKey, bobKey] = [await keyOf(alice), await keyOf(bob)]
      await alice.call('contacts.add', { link: (await bob.call('identity.contactLink', {})).link })
      await bob.call('contacts.add', { link: (await alice.call('identity.contactLink', {})).link })
      const { channelId } = await alice.call('conversations.openPrivate', { publicKey: bobKey })
      assert.equal((await bob.call('conversations.openPrivate', { publicKey: aliceKey })).channelId, channelId)
      await waitUntil(async () => (await alice.call('peers.list', { channelId })).length === 1, 20_000, 'alice and bob to meet in their private channel')
      await alice.call('messages.send', { channelId, text: 'found you' })
      await waitUntil(async () => (await texts(bob, channelId)).includes('found you'), 10_000, 'the first message at bob')

      // Bob goes away; alice writes; then alice goes away too, and bob comes back before her.
      const [aliceDir, bobDir] = [alice.dataDir, bob.dataDir]
      await bob.stop()
      await alice.call('messages.send', { channelId, text: 'while you were away' })
      await alice.stop()
      bob = net.daemon('bob', { dataDir: bobDir })
      assert.deepEqual(await texts(bob, channelId), ['found you'])
      alice = net.daemon('alice', { dataDir: aliceDir })
      await waitUntil(async () => (await texts(bob, channelId)).includes('while you were away'), 30_000, 'the queued message at bob')
      assert.deepEqual(await texts(bob, channelId), ['found you', 'while you were away'])
    } finally {
      await net.close()
    }
  })
})
