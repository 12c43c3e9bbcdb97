import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { createTestnet, FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
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
