// Trackers publish the addresses of a channel's members. Whoever connects to one without the
// channel's PSK — a scanner with a random key, or a member of another channel — must learn nothing:
// the node answers not one byte, so not its identity either, and hangs up.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet } from '../helpers/testnet.ts'
import { loadSodium } from '../../core/crypto/sodium.ts'
import { channelPsk } from '../helpers/channel-psk.ts'
import { probe } from '../helpers/psk-probe.ts'

// libsodium's WebAssembly build: an independent reference for what core computes natively.
const sodium = await loadSodium()

test('a prober with a random PSK or another channel\'s PSK gets no byte back, and no identity', async () => {
  const net_ = await createTestnet()
  try {
    const node = await net_.node('member')
    await node.api['channels.create']({ name: 'ours', trackers: [] })
    await node.api['channels.create']({ name: 'also ours', trackers: [] })
    const elsewhere = await (await net_.node('elsewhere')).api['channels.create']({ name: 'theirs', trackers: [] })
    const identity = Buffer.from((await node.api['identity.get']({})).publicKey, 'hex')
    for (const psk of [sodium.randombytes_buf(32), channelPsk(elsewhere.uri)]) {
      const answer = await probe(node.listenPort, psk)
      assert.equal(answer.length, 0, `the node sent ${answer.length} bytes to a prober without its PSK`)
      assert.equal(answer.includes(identity), false)
    }
  } finally {
    await net_.close()
  }
})
