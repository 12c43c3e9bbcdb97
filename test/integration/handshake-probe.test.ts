// Trackers publish the addresses of a channel's members. Whoever connects to one without the
// channel's PSK — a scanner with a random key, or a member of another channel — must learn nothing:
// the node answers not one byte, so not its identity either, and hangs up.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { once } from 'node:events'
import { createTestnet } from '../helpers/testnet.ts'
import { SecureConnection } from '../../core/session/secure-connection.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { loadSodium } from '../../core/crypto/sodium.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

// libsodium's WebAssembly build: an independent reference for what core computes natively.
const sodium = await loadSodium()

/** Connects, sends a well-formed handshake message 1 under `psk`, and returns every byte the node sent before hanging up. */
async function probe (port: number, psk: Uint8Array): Promise<Buffer> {
  const socket = net.connect(port, '127.0.0.1')
  await once(socket, 'connect')
  const received: Buffer[] = []
  socket.on('data', (d: Buffer) => { received.push(d) })
  socket.on('error', () => {})
  const client = new SecureConnection({ initiator: true, identity: generateIdentity(), psks: [psk], onSend: (chunks) => { for (const c of chunks) socket.write(c) }, onEstablished: () => {}, onMessage: () => {} })
  client.start()
  await once(socket, 'close')
  return Buffer.concat(received)
}

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
