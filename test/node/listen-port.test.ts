import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { BitChatError } from '../../core/api/errors.ts'
import { dispatch } from '../../core/api/service.ts'
import { silentLogger } from '../../core/log.ts'
import { startNode, type BitChatNode } from '../../core/node/node.ts'
import { createTestnet, FAST_TIMINGS, tempDir, waitUntil } from '../helpers/testnet.ts'
import { startLoopbackDht } from '../helpers/loopback-dht.ts'
import { infohashesToAnnounce } from '../../core/channel/keys.ts'
import { parseChannelUri } from '../../core/channel/uri.ts'

async function freePort (): Promise<number> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise(resolve => server.close(resolve))
  return port
}

test('a new listen port takes effect at once, with peers that dialled the old one still connected', async () => {
  const testnet = await createTestnet()
  try {
    const a = await testnet.node('alice', { timings: FAST_TIMINGS })
    const b = await testnet.node('bob', { timings: FAST_TIMINGS })
    const { uri, channelId } = await a.api['channels.create']({ name: 'moving', trackers: [testnet.trackerUrl] })
    await b.api['channels.join']({ uri })
    await waitUntil(async () => (await a.api['peers.list']({ channelId })).some(p => p.direction === 'incoming'), 10_000, 'bob to dial alice')
    const port = await freePort()
    const timeout = new Promise<'timed out'>(resolve => setTimeout(() => resolve('timed out'), 3_000).unref())
    const settings = await Promise.race([a.api['settings.set']({ listenPort: port }), timeout])
    assert.notEqual(settings, 'timed out', 'settings.set returns without waiting for connected peers to leave')
    assert.equal(a.listenPort, port)
    const socket = net.connect(port, '127.0.0.1')
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve).once('error', reject) })
    socket.destroy()
    assert.equal((await a.api['peers.list']({ channelId })).length, 1)
  } finally {
    await testnet.close()
  }
})

test('after a listen port change the DHT announces the new port, which is the one peers must dial', async () => {
  const testnet = await createTestnet()
  const dht = await startLoopbackDht(12)
  try {
    const a = await testnet.node('alice', { timings: FAST_TIMINGS, dht: { bootstrap: [dht.bootstrap] } })
    const port = await freePort()
    await a.api['settings.set']({ listenPort: port })
    const { uri } = await a.api['channels.create']({ name: 'dht moved', trackers: [] })
    const infohash = infohashesToAnnounce(parseChannelUri(uri).secret, Date.now())[0]!.infohash
    const searcher = dht.nodes.at(-1)!
    const found = new Set<number>()
    searcher.on('peer', (peer: { host: string; port: number }) => { found.add(peer.port) })
    await waitUntil(async () => {
      await new Promise(resolve => searcher.lookup(Buffer.from(infohash), resolve))
      return found.has(port)
    }, 15_000, 'the DHT to hold the new port')
  } finally {
    await testnet.close()
    await dht.close()
  }
})

async function occupiedPort (): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return { port, close: async () => { if (server.listening) await new Promise(resolve => server.close(resolve)) } }
}

test('a listen port already in use is refused with PORT_IN_USE, and the node keeps listening where it was', async () => {
  const testnet = await createTestnet()
  const taken = await occupiedPort()
  try {
    const a = await testnet.node('alice', { timings: FAST_TIMINGS })
    const before = a.listenPort
    await assert.rejects(dispatch(a, 'settings.set', { listenPort: taken.port, trackerUserAgent: 'Transmission/4.0.6' }), (err: unknown) =>
      err instanceof BitChatError && err.code === 'PORT_IN_USE' && err.message.includes(String(taken.port)) && err.message.includes('another program'))
    assert.equal(a.listenPort, before)
    const settings = await a.api['settings.get']({})
    assert.equal(settings.listenPort, before)
    assert.equal(settings.trackerUserAgent, 'qBittorrent/4.6.5', 'a refused change applies nothing')
    assert.equal(settings.unavailablePort, undefined)
    const socket = net.connect(before, '127.0.0.1')
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve).once('error', reject) })
    socket.destroy()
  } finally {
    await taken.close()
    await testnet.close()
  }
})

test('a stored listen port taken at start is reported, used elsewhere meanwhile, and tried again at the next start', async () => {
  const taken = await occupiedPort()
  const dataDir = tempDir()
  const nodes: BitChatNode[] = []
  const start = async (port?: number) => {
    const node = await startNode({ dataDir, host: '127.0.0.1', createIdentity: true, name: 'alice', dht: false, lan: false, portMapping: false, log: silentLogger, port })
    nodes.push(node)
    return node
  }
  try {
    // The data folder's chosen port is held by another program when the node starts.
    const node = await start(taken.port)
    const settings = await node.api['settings.get']({})
    assert.notEqual(node.listenPort, taken.port)
    assert.ok(node.listenPort > 0)
    assert.equal(settings.listenPort, node.listenPort)
    assert.equal(settings.unavailablePort, taken.port)
    // Another taken port refused meanwhile leaves the choice of the data folder as it was.
    const other = await occupiedPort()
    await assert.rejects(node.api['settings.set']({ listenPort: other.port }), (err: unknown) => err instanceof BitChatError && err.code === 'PORT_IN_USE')
    await other.close()
    assert.equal((await node.api['settings.get']({})).unavailablePort, taken.port)
    await node.close()
    await taken.close()
    const again = await start()
    assert.equal(again.listenPort, taken.port)
    assert.equal((await again.api['settings.get']({})).unavailablePort, undefined)
  } finally {
    await Promise.allSettled(nodes.map(n => n.close()))
    await taken.close()
  }
})
