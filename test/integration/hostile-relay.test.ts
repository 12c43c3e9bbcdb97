// A relay that reads and alters what it carries, built from the node's own pieces: three real nodes
// on loopback (two that take no connections, one relaying between them), the relay's splice watched
// and then made to flip bits. It never sees the plaintext; what it alters is never delivered, the
// connection fails instead, and once it stops, the message arrives intact (reconciliation).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import type { BitChatNode } from '../../core/node/node.ts'

const texts = async (node: BitChatNode, channelId: string): Promise<string[]> => (await node.api['messages.list']({ channelId })).map(m => m.text)
const keyOf = async (node: BitChatNode): Promise<string> => (await node.api['identity.get']({})).publicKey

describe('a hostile relay', () => {
  it('never sees the plaintext, and what it alters is never delivered', async () => {
    const net = await createTestnet()
    try {
      const relay = await net.node('relay', { timings: FAST_TIMINGS })
      const alice = await net.node('alice', { timings: FAST_TIMINGS, acceptIncoming: false })
      const bob = await net.node('bob', { timings: FAST_TIMINGS, acceptIncoming: false })
      const { uri, channelId: group } = await relay.api['channels.create']({ name: 'club', trackers: [net.trackerUrl] })
      await alice.api['channels.join']({ uri })
      await bob.api['channels.join']({ uri })
      await waitUntil(async () => (await relay.api['peers.list']({ channelId: group })).length === 2, 20_000, 'the relay to meet both')
      await bob.api['messages.send']({ channelId: group, text: 'hello club' })
      await waitUntil(async () => (await texts(alice, group)).includes('hello club'), 10_000, 'bob\'s message at alice')

      const service = relay.relayService!
      const carried: Uint8Array[] = []
      let tamper = false
      service.inspect = (message) => {
        carried.push(message.slice())
        // The last byte is part of the sealed frame's tag or ciphertext whatever the framing.
        if (tamper) message[message.length - 1]! ^= 0x20
        return message
      }
      const SECRET = 'the key is under the third flowerpot'
      const { channelId } = await alice.api['conversations.openPrivate']({ publicKey: await keyOf(bob) })
      await alice.api['messages.send']({ channelId, text: SECRET })
      await waitUntil(async () => (await bob.api['channels.list']({})).some(c => c.channelId === channelId) && (await texts(bob, channelId)).includes(SECRET), 30_000, 'the message at bob')
      const all = Buffer.concat(carried)
      assert.ok(all.length > 1_000, `the relay carried the conversation (${all.length} bytes)`)
      assert.equal(all.length, service.bytesRelayed)
      for (const needle of [SECRET, 'flowerpot', 'alice', 'Private chat']) assert.equal(all.indexOf(Buffer.from(needle)), -1, `"${needle}" never passed the relay in the clear`)

      tamper = true
      const ALTERED = 'meet at the north gate'
      const before = (await bob.api['peers.list']({ channelId })).length
      assert.equal(before, 1)
      await alice.api['messages.send']({ channelId, text: ALTERED })
      // The first altered frame ends the connection at whichever end opens it.
      await waitUntil(async () => (await bob.api['peers.list']({ channelId })).length === 0, 15_000, 'the tampered connection to fail')
      assert.ok(!(await texts(bob, channelId)).includes(ALTERED), 'not delivered while altered')
      for (const text of await texts(bob, channelId)) assert.ok(text === SECRET, `only what was sent intact is shown: ${text}`)

      tamper = false
      await waitUntil(async () => (await texts(bob, channelId)).includes(ALTERED), 60_000, 'the message once the relay stops tampering')
      assert.deepEqual(await texts(bob, channelId), [SECRET, ALTERED])
    } finally {
      await net.close()
    }
  })
})
