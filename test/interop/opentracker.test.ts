// Interoperability with independent tracker software: Debian's opentracker (whitelist-only), over
// HTTP and UDP, first with bare TrackerAnnouncers, then with two daemons whose channel lists it as
// their only tracker.
import { after, before, test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { TrackerAnnouncer } from '../../core/discovery/tracker.ts'
import { infohashesToAnnounce } from '../../core/channel/keys.ts'
import { parseChannelUri } from '../../core/channel/uri.ts'
import { toHex } from '../../core/codec/hex.ts'
import { startOpentracker, type Opentracker } from '../helpers/opentracker.ts'
import { DaemonProcess, tempDir } from '../helpers/testnet.ts'
import { nextEvent, waitUntil } from '../helpers/wait.ts'

const PROTOCOLS = ['http', 'udp'] as const
// Alice's retry after her refused first announce comes 5 s ± 20% later.
const MESH_TIMEOUT_MS = 15_000

let tracker: Opentracker

before(async () => { tracker = await startOpentracker() })
after(async () => { await tracker.close() })

const urlFor = (protocol: typeof PROTOCOLS[number]): string => protocol === 'http' ? tracker.httpUrl : tracker.udpUrl

for (const [i, protocol] of PROTOCOLS.entries()) {
  test(`two TrackerAnnouncers of one infohash find each other through opentracker over ${protocol.toUpperCase()}`, async (t) => {
    const infohash = new Uint8Array(20).fill(0xc1 + i)
    await tracker.allow(toHex(infohash))
    const url = urlFor(protocol)
    const a = new TrackerAnnouncer({ infohash, trackers: [url], port: 41101 })
    const b = new TrackerAnnouncer({ infohash, trackers: [url], port: 41102 })
    t.after(() => Promise.all([a.stop(), b.stop()]))
    const warnings: string[] = []
    for (const x of [a, b]) x.on('warning', (err) => { warnings.push(err.message) })
    const aAnnounced = nextEvent(a, 'announced')
    a.start()
    await aAnnounced
    const bLearnsA = nextEvent(b, 'peer', p => p.port === 41101)
    b.start()
    assert.deepEqual(await bLearnsA, [{ host: '127.0.0.1', port: 41101, tracker: url }])
    // opentracker asks for an announce every ~30 min: re-announce now rather than wait for it.
    const aLearnsB = nextEvent(a, 'peer', p => p.port === 41102)
    a.update({ port: 41101 })
    assert.deepEqual(await aLearnsB, [{ host: '127.0.0.1', port: 41102, tracker: url }])
    assert.deepEqual(warnings, [])
  })
}

/** Two daemons that can only find each other through `trackerUrl`: no DHT, no LAN discovery. */
function daemonPair (t: TestContext): [DaemonProcess, DaemonProcess] {
  const args = ['--host', '127.0.0.1', '--no-dht', '--no-lan']
  const a = new DaemonProcess({ dataDir: tempDir(), name: 'alice', args })
  const b = new DaemonProcess({ dataDir: tempDir(), name: 'bob', args })
  t.after(() => Promise.allSettled([a.stop(), b.stop()]))
  return [a, b]
}

for (const protocol of PROTOCOLS) {
  test(`two daemons meet through opentracker as their channel's only ${protocol.toUpperCase()} tracker`, async (t) => {
    const [a, b] = daemonPair(t)
    const url = urlFor(protocol)
    const { channelId, uri } = await a.call('channels.create', { name: `interop-${protocol}`, trackers: [url] })
    // A random secret cannot be whitelisted in advance: alice's first announce is refused, and only
    // once it has been is the channel whitelisted, so that it is her retry that gets through.
    const refusal = await waitUntil(async () => {
      const status = await a.call('network.status', {})
      return status.channels.find(c => c.channelId === channelId)?.trackers[0]?.lastError ?? undefined
    }, 5_000, `opentracker to refuse alice's first announce to ${url}`)
    // Over UDP opentracker refuses with a bare 8-byte announce header, which has no room for a reason.
    if (protocol === 'http') assert.match(refusal, /not authorized/)
    const { secret } = parseChannelUri(uri)
    for (const { infohash } of infohashesToAnnounce(secret, Date.now())) await tracker.allow(toHex(infohash))
    await b.call('channels.join', { uri })
    const [peersA, peersB] = await waitUntil(async () => {
      const lists = await Promise.all([a.call('peers.list', { channelId }), b.call('peers.list', { channelId })])
      return lists.every(list => list.length === 1) && lists
    }, MESH_TIMEOUT_MS, `alice and bob to meet through ${url}`)
    assert.equal(peersA[0]?.name, 'bob')
    assert.equal(peersB[0]?.name, 'alice')
    const dialled = [...peersA, ...peersB].filter(p => p.direction === 'outgoing')
    assert.ok(dialled.some(p => p.sources.includes('tracker')), `the dialled address came from the tracker: ${JSON.stringify(dialled)}`)
    // Near midnight UTC a channel announces two days' infohashes, each with its own status; the
    // second day's first announce may have been refused too, and its retry comes a few seconds later.
    for (const d of [a, b]) {
      await waitUntil(async () => {
        const status = await d.call('network.status', {})
        const trackers = status.channels.find(c => c.channelId === channelId)?.trackers ?? []
        return trackers.length > 0 && trackers.every(s => s.url === url && s.lastError === null && s.lastAnnounceAt !== null)
      }, MESH_TIMEOUT_MS, `${d.name}'s announces to ${url} to succeed`)
    }
  })
}
