import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { createTestnet, FAST_TIMINGS, tempDir, waitUntil, type Testnet } from '../helpers/testnet.ts'
import type { BitChatNode } from '../../core/node/node.ts'
import type { BitChatEvents } from '../../core/api/contract.ts'
import { Store } from '../../core/store/store.ts'
import { startNode } from '../../core/node/node.ts'
import { silentLogger } from '../../core/log.ts'
import { SecureConnection } from '../../core/session/secure-connection.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { channelPsk } from '../helpers/channel-psk.ts'

/** Opens a raw TCP connection to `port`, writes `bytes`, and resolves with how long the node took to hang up. */
async function hangUpAfter (port: number, bytes: Uint8Array): Promise<number> {
  const socket = net.connect(port, '127.0.0.1')
  const start = Date.now()
  socket.on('error', () => {})
  // Reads (and drops) what the node answers: unread data would hold back the close.
  socket.resume()
  socket.on('connect', () => { if (bytes.length > 0) socket.write(bytes) })
  await new Promise(resolve => socket.once('close', resolve))
  return Date.now() - start
}

/** A first handshake message under `psk`, from an initiator that will never send the third. */
function handshakeMessage1 (psk: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = []
  new SecureConnection({ initiator: true, identity: generateIdentity(), psks: [psk], onSend: (c) => { chunks.push(...c) }, onEstablished: () => {}, onMessage: () => {} }).start()
  return Buffer.concat(chunks)
}

describe('a node facing hostile connections', () => {
  let testnet: Testnet
  let node: BitChatNode
  let channelId: string
  let psk: Uint8Array

  before(async () => {
    testnet = await createTestnet()
    node = await testnet.node('target', { timings: FAST_TIMINGS })
    const created = await node.api['channels.create']({ name: 'fortress', trackers: [] })
    channelId = created.channelId
    psk = channelPsk(created.uri)
  })
  after(async () => { await testnet.close() })

  it('drops a connection that sends nothing once the first-message deadline passes, well before the handshake timeout', async () => {
    const took = await hangUpAfter(node.listenPort, new Uint8Array())
    assert.ok(took >= FAST_TIMINGS.firstMessageMs - 100, `closed after ${took} ms`)
    assert.ok(took < FAST_TIMINGS.handshakeTimeoutMs, `closed after ${took} ms`)
  })

  it('drops at once a message 1 made with a PSK it does not hold', async () => {
    assert.ok(await hangUpAfter(node.listenPort, handshakeMessage1(randomBytes(32))) < 1_000)
  })

  it('gives a dialler whose message 1 proves the channel\'s PSK the whole handshake timeout to finish', async () => {
    const took = await hangUpAfter(node.listenPort, handshakeMessage1(psk))
    assert.ok(took >= FAST_TIMINGS.handshakeTimeoutMs - 100, `closed after ${took} ms`)
    assert.ok(took < FAST_TIMINGS.handshakeTimeoutMs + 2_000, `closed after ${took} ms`)
  })

  it('drops a handshake frame whose length prefix is above the handshake limit at once', async () => {
    assert.ok(await hangUpAfter(node.listenPort, Uint8Array.from([0xff, 0xff, 1, 2, 3])) < 1_000)
  })

  it('drops random bytes posing as a first handshake message', async () => {
    const garbage = Buffer.concat([Buffer.from([0, 32]), randomBytes(32), Buffer.from([0, 200]), randomBytes(200)])
    assert.ok(await hangUpAfter(node.listenPort, garbage) < 1_000)
  })

  it('keeps serving after all of that', async () => {
    const { messageId } = await node.api['messages.send']({ channelId, text: 'still here' })
    const list = await node.api['messages.list']({ channelId })
    assert.equal(list.at(-1)?.messageId, messageId)
  })
})

describe('two nodes that dial each other at the same moment', () => {
  it('settle on exactly one session, the one dialled by the lower key', async () => {
    const testnet = await createTestnet()
    try {
      const dirA = tempDir()
      const dirB = tempDir()
      let a = await testnet.node('a', { dataDir: dirA, timings: FAST_TIMINGS })
      let b = await testnet.node('b', { dataDir: dirB, timings: FAST_TIMINGS })
      const { uri, channelId } = await a.api['channels.create']({ name: 'race', trackers: [] })
      await b.api['channels.join']({ uri: uri ?? '' })
      const portA = a.listenPort
      const portB = b.listenPort
      await a.close()
      await b.close()
      // Each knows the other's address from a past session: both dial as soon as they start.
      for (const [dir, port] of [[dirA, portB], [dirB, portA]] as const) {
        const store = Store.open(path.join(dir, 'bitchat.db'))
        store.upsertPeerAddress({ channelId, host: '127.0.0.1', port, publicKey: null, source: 'tracker', lastSeenAt: Date.now() })
        store.close()
      }
      const events: Array<keyof BitChatEvents> = []
      ;[a, b] = await Promise.all([
        testnet.node('a', { dataDir: dirA, timings: FAST_TIMINGS }),
        testnet.node('b', { dataDir: dirB, timings: FAST_TIMINGS })
      ])
      for (const n of [a, b]) n.onEvent((event) => { if (event.startsWith('peer.')) events.push(event) })
      await waitUntil(async () => (await a.api['peers.list']({ channelId })).length === 1 && (await b.api['peers.list']({ channelId })).length === 1, 10_000, 'one session')
      await new Promise(resolve => setTimeout(resolve, 1_500))
      const [peerOfA] = await a.api['peers.list']({ channelId })
      const [peerOfB] = await b.api['peers.list']({ channelId })
      assert.ok(peerOfA !== undefined && peerOfB !== undefined)
      assert.notEqual(peerOfA.direction, peerOfB.direction, 'both ends agree on which session survived')
      const keyA = (await a.api['identity.get']({})).publicKey
      const keyB = (await b.api['identity.get']({})).publicKey
      const aDialled = peerOfA.direction === 'outgoing'
      assert.equal(aDialled, keyA < keyB, 'the survivor was dialled by the lower key')
      assert.ok(!events.includes('peer.disconnected'), `no flapping: ${events.join(', ')}`)
    } finally {
      await testnet.close()
    }
  })
})

describe('a node that learns one of its own addresses', () => {
  it('dials it once, recognises its own key, and never dials it again', async () => {
    const dir = tempDir()
    const options = { dataDir: dir, createIdentity: true, name: 'narcissus', dht: false as const, lan: false, portMapping: false, log: silentLogger, timings: FAST_TIMINGS }
    let node = await startNode(options)
    const { channelId } = await node.api['channels.create']({ name: 'mirror', trackers: [] })
    const port = node.listenPort
    await node.close()
    // 127.0.0.2 reaches our all-interfaces listener but is not an address the node knows as its own.
    const store = Store.open(path.join(dir, 'bitchat.db'))
    store.upsertPeerAddress({ channelId, host: '127.0.0.2', port, publicKey: null, source: 'pex', lastSeenAt: Date.now() })
    store.close()
    node = await startNode({ ...options, port })
    try {
      const self = await waitUntil(async () => (await node.api['network.status']({})).channels[0]?.addresses.find(a => a.address === `127.0.0.2:${port}` && a.status === 'self'), 5_000, 'the address to be marked as ourselves')
      assert.equal(self.failures, 0)
      assert.deepEqual(await node.api['peers.list']({ channelId }), [])
    } finally {
      await node.close()
    }
  })
})

describe('a node that finds the same peer at two addresses', () => {
  it('dials both at once and both ends keep the same one session', async () => {
    const testnet = await createTestnet()
    const base = { dht: false as const, lan: false, portMapping: false, log: silentLogger, timings: FAST_TIMINGS, createIdentity: true }
    const dirA = tempDir()
    const dirB = tempDir()
    try {
      let a = await startNode({ ...base, dataDir: dirA, name: 'a', host: '127.0.0.1' })
      // B listens on every interface, so 127.0.0.1 and 127.0.0.2 both reach it.
      let b = await startNode({ ...base, dataDir: dirB, name: 'b' })
      const { uri, channelId } = await a.api['channels.create']({ name: 'twice', trackers: [] })
      await b.api['channels.join']({ uri })
      const portB = b.listenPort
      await a.close()
      await b.close()
      const store = Store.open(path.join(dirA, 'bitchat.db'))
      for (const host of ['127.0.0.1', '127.0.0.2']) store.upsertPeerAddress({ channelId, host, port: portB, publicKey: null, source: 'tracker', lastSeenAt: Date.now() })
      store.close()
      b = await startNode({ ...base, dataDir: dirB, name: 'b', port: portB })
      const events: string[] = []
      b.onEvent((event) => { if (event.startsWith('peer.')) events.push(`b:${event}`) })
      a = await startNode({ ...base, dataDir: dirA, name: 'a', host: '127.0.0.1' })
      a.onEvent((event) => { if (event.startsWith('peer.')) events.push(`a:${event}`) })
      try {
        await waitUntil(async () => (await a.api['peers.list']({ channelId })).length === 1 && (await b.api['peers.list']({ channelId })).length === 1, 10_000, 'one session')
        await new Promise(resolve => setTimeout(resolve, 1_500))
        const [fromA] = await a.api['peers.list']({ channelId })
        const [fromB] = await b.api['peers.list']({ channelId })
        assert.equal(fromA?.direction, 'outgoing')
        assert.equal(fromB?.direction, 'incoming')
        assert.deepEqual(events.filter(e => e.endsWith('disconnected')), [], `no flapping: ${events.join(', ')}`)
      } finally {
        await a.close()
        await b.close()
      }
    } finally {
      await testnet.close()
    }
  })
})
