import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestnet, waitUntil, type DaemonProcess, type Testnet } from '../helpers/testnet.ts'

describe('two daemons with no DHT and no reachable tracker', () => {
  let net: Testnet
  let a: DaemonProcess, b: DaemonProcess

  before(async () => {
    net = await createTestnet()
    const lanOnly = ['--no-dht', '--lan-interface', '127.0.0.1']
    a = net.daemon('alice', { discovery: lanOnly })
    b = net.daemon('bob', { discovery: lanOnly })
  })
  after(async () => { await net.close() })

  it('find each other by LAN discovery alone', async () => {
    // A tracker nobody answers at: discovery has to come from the LAN.
    const created = await a.call('channels.create', { name: 'office', trackers: ['udp://127.0.0.1:1/announce'] })
    await b.call('channels.join', { uri: created.uri ?? '' })
    const channelId = created.channelId
    await waitUntil(async () => (await b.call('peers.list', { channelId })).length === 1 && (await a.call('peers.list', { channelId })).length === 1, 20_000, 'a LAN mesh')
    const [peer] = await b.call('peers.list', { channelId })
    assert.equal(peer?.name, 'alice')
    assert.ok(peer?.sources.includes('lan') === true || peer?.direction === 'incoming', JSON.stringify(peer))
    const status = await a.call('network.status', {})
    assert.equal(status.lan.enabled, true)
    assert.equal(status.dht.enabled, false)
  })
})
