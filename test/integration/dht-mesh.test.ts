import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, tempDir, waitUntil, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'
import { startLoopbackDht, type LoopbackDht } from '../helpers/loopback-dht.ts'

const fullMesh = async (daemons: DaemonProcess[], channelId: string, timeoutMs = 30_000): Promise<void> => {
  await waitUntil(async () => {
    const counts = await Promise.all(daemons.map(async d => (await d.call('peers.list', { channelId })).length))
    return counts.every(c => c === daemons.length - 1)
  }, timeoutMs, 'a full mesh through the DHT')
}

describe('three daemons on a loopback DHT and no tracker', () => {
  let net: Testnet
  let dht: LoopbackDht
  let daemons: DaemonProcess[]
  let channelId: string
  const carolDir = tempDir()
  let dhtFlags: string[]

  before(async () => {
    net = await createTestnet()
    dht = await startLoopbackDht(20)
    dhtFlags = ['--no-lan', '--dht-bootstrap', dht.bootstrap]
    daemons = [net.daemon('alice', { discovery: dhtFlags }), net.daemon('bob', { discovery: dhtFlags }), net.daemon('carol', { dataDir: carolDir, discovery: dhtFlags })]
    const [a, b, c] = daemons as [DaemonProcess, DaemonProcess, DaemonProcess]
    const created = await a.call('channels.create', { name: 'dht only', trackers: [] })
    channelId = created.channelId
    await b.call('channels.join', { uri: created.uri ?? '' })
    await c.call('channels.join', { uri: created.uri ?? '' })
  })

  after(async () => {
    await net.close()
    await dht.close()
  })

  it('reach a full mesh through the DHT alone', async () => {
    await fullMesh(daemons, channelId)
    const status = await daemons[0]!.call('network.status', {})
    assert.equal(status.dht.enabled, true)
    assert.ok(status.dht.nodes > 0)
    assert.equal(status.lan.enabled, false)
    assert.deepEqual(status.channels[0]?.trackers, [])
    // With no tracker, no LAN and nothing stored, the first session of all was dialled to a DHT find.
    const sources = (await Promise.all(daemons.map(async d => await d.call('peers.list', { channelId })))).flat().map(p => p.sources)
    assert.ok(sources.some(s => s.includes('dht')), JSON.stringify(sources))
  })

  it('reach it again after one daemon restarts', async () => {
    await fullMesh(daemons, channelId)
    const carol = daemons[2]!
    assert.equal(await carol.stop(), 0)
    const again = net.daemon('carol', { dataDir: carolDir, discovery: dhtFlags })
    daemons[2] = again
    await fullMesh(daemons, channelId)
  })
})
