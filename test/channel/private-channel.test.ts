import assert from 'node:assert/strict'
import { test } from 'node:test'
import { privateChannelDescriptor } from '../../core/channel/private-channel.ts'
import { channelIdOf } from '../../core/channel/keys.ts'
import { encodeChatFile, parseChatFile } from '../../core/channel/chat-file.ts'
import { generateIdentity } from '../../core/identity/identity.ts'

test('both people derive the same private channel from their two keys, whatever trackers each uses', () => {
  const alice = generateIdentity()
  const bob = generateIdentity()
  const fromAlice = privateChannelDescriptor(alice, bob.publicKey, ['udp://127.0.0.1:6969'])
  const fromBob = privateChannelDescriptor(bob, alice.publicKey, [])
  assert.deepEqual(fromAlice.secret, fromBob.secret)
  assert.equal(channelIdOf(fromAlice.secret), channelIdOf(fromBob.secret))
  assert.deepEqual({ ...fromAlice, trackers: [] }, fromBob)
  assert.equal(fromAlice.mode, 'invite')
  const members = [fromAlice.creator, ...fromAlice.members].map(k => Buffer.from(k).toString('hex')).sort()
  assert.deepEqual(members, [alice.publicKey, bob.publicKey].map(k => Buffer.from(k).toString('hex')).sort())
  // It is a valid channel, stored as a .chat file like any other, but without a creator's signature:
  // no one made it, and only the node's own store reads such a file back.
  assert.equal(fromAlice.signature, null)
  assert.deepEqual(parseChatFile(encodeChatFile(fromAlice), { stored: true }), fromAlice)
  assert.throws(() => parseChatFile(encodeChatFile(fromAlice)), /missing sig/)
})

test('each pair of people has its own private channel', () => {
  const [a, b, c] = [generateIdentity(), generateIdentity(), generateIdentity()]
  const secrets = new Set([
    privateChannelDescriptor(a, b.publicKey, []),
    privateChannelDescriptor(a, c.publicKey, []),
    privateChannelDescriptor(b, c.publicKey, [])
  ].map(d => Buffer.from(d.secret).toString('hex')))
  assert.equal(secrets.size, 3)
})

test('no private channel with oneself or with a key that is not a curve point', () => {
  const a = generateIdentity()
  assert.throws(() => privateChannelDescriptor(a, a.publicKey, []), /two different keys/)
  assert.throws(() => privateChannelDescriptor(a, new Uint8Array(32).fill(0xff), []), RangeError)
})
