// The node's DHT and LAN sleep while a proxy is set (no UDP may show where we are) and wake when it
// is cleared, keeping what the rooms watch.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DiscoveryHub } from '../../core/node/discovery-hub.ts'
import { createLogger } from '../../core/log.ts'
import { startLoopbackDht } from '../helpers/loopback-dht.ts'
import { Store } from '../../core/store/store.ts'
import { tempDbPath } from '../store/store-fixture.ts'
import { waitUntil } from '../helpers/wait.ts'
import { UdpEndpoint } from '../../core/transport/udp-endpoint.ts'

const log = createLogger({ level: 'error' })

test('a hub started asleep has no DHT until it wakes; it then finds peers of what was watched while asleep, and sleeps again', async t => {
  const dht = await startLoopbackDht(8)
  t.after(() => dht.close())
  const store = Store.open(tempDbPath(t))
  const udp = UdpEndpoint.bind(0, '127.0.0.1', { onStream: s => { s.destroy() }, log })
  t.after(() => udp.close())
  const hub = await DiscoveryHub.start({
    node: { dataDir: '', dht: { bootstrap: [dht.bootstrap] }, lan: false },
    tcpPort: udp.port,
    store,
    log,
    asleep: true,
    udp: () => udp.datagrams,
    onObserved: () => {}
  })
  t.after(async () => {
    await hub.close()
    store.close()
  })
  assert.equal(hub.status().dht.enabled, false)

  const infohash = new Uint8Array(20).fill(7)
  const found: Array<{ host: string; port: number }> = []
  hub.watch(infohash, peer => { found.push(peer) })
  // Someone else announces the infohash on the DHT.
  await new Promise<void>((resolve, reject) => { dht.nodes[3]!.announce(Buffer.from(infohash), 47999, err => { if (err) reject(err); else resolve() }) })

  await hub.setAsleep(false)
  assert.equal(hub.status().dht.enabled, true)
  await waitUntil(() => found.some(p => p.port === 47999), 10_000, 'the announced peer to be found after waking')

  await hub.setAsleep(true)
  assert.deepEqual(hub.status().dht, { enabled: false, nodes: 0, bootstrapped: false, lastError: null })

  found.length = 0
  await hub.setAsleep(false)
  await waitUntil(() => found.some(p => p.port === 47999), 10_000, 'the watch to carry over a sleep')
})
