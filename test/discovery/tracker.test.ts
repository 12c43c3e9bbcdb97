import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { announceRetryDelay, TrackerAnnouncer, type TrackerAnnounced, type TrackerPeer } from '../../core/discovery/tracker.ts'
import { setTimeout as sleep } from 'node:timers/promises'
import type { AnnounceParams } from 'bittorrent-tracker/server'
import { startTrackerServer } from '../helpers/tracker-server.ts'
import { nextEvent } from '../helpers/wait.ts'

const infohash = (fill: number): Uint8Array => new Uint8Array(20).fill(fill)
const PEER_ID = /^-qB4650-[A-Za-z0-9]{12}$/

/** Resolves once two distinct trackers have answered. */
function bothAnnounced (a: TrackerAnnouncer): Promise<[TrackerAnnounced]> {
  const trackers = new Set<string>()
  return nextEvent(a, 'announced', x => trackers.add(x.tracker).size === 2)
}

const peerIdOf = (params: AnnounceParams): string => Buffer.from(params.peer_id, 'hex').toString('latin1')

/** A hand-written HTTP tracker, for answers a real one never gives. */
async function fakeHttpTracker (handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0
  const server = http.createServer((req, res) => { requests++; handler(req, res) })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/announce`,
    requests: () => requests,
    close: () => new Promise(resolve => { server.closeAllConnections(); server.close(() => { resolve() }) })
  }
}

const bstr = (s: string | Buffer): Buffer => {
  const b = Buffer.from(s)
  return Buffer.concat([Buffer.from(`${b.length}:`), b])
}

async function freePort (): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise(resolve => server.close(resolve))
  return port
}

for (const protocol of ['http', 'udp'] as const) {
  test(`two announcers of one infohash learn each other's port over ${protocol.toUpperCase()}`, async (t) => {
    const tracker = await startTrackerServer({ interval: 1_000 })
    const url = protocol === 'http' ? tracker.httpUrl : tracker.udpUrl
    const a = new TrackerAnnouncer({ infohash: infohash(1), trackers: [url], port: 41001 })
    const b = new TrackerAnnouncer({ infohash: infohash(1), trackers: [url], port: 41002 })
    t.after(async () => { await Promise.all([a.stop(), b.stop()]); await tracker.close() })
    a.start()
    await nextEvent(a, 'announced')
    const bLearnsA = nextEvent(b, 'peer', p => p.port === 41001)
    // a learns of b at its next regular announce, one tracker interval later.
    const aLearnsB = nextEvent(a, 'peer', p => p.port === 41002)
    b.start()
    assert.deepEqual(await bLearnsA, [{ host: '127.0.0.1', port: 41001, tracker: url }])
    assert.deepEqual(await aLearnsB, [{ host: '127.0.0.1', port: 41002, tracker: url }])
  })
}

test('the HTTP tracker sees the qBittorrent user agent, peer id and announce fields', async (t) => {
  const tracker = await startTrackerServer()
  const a = new TrackerAnnouncer({ infohash: infohash(2), trackers: [tracker.httpUrl], port: 41003 })
  t.after(async () => { await a.stop(); await tracker.close() })
  const started = nextEvent(tracker.server, 'start')
  a.start()
  const [, params] = await started
  assert.equal(params.headers?.['user-agent'], 'qBittorrent/4.6.5')
  assert.match(peerIdOf(params), PEER_ID)
  assert.equal(peerIdOf(params), a.peerId)
  assert.equal(params.info_hash, Buffer.from(infohash(2)).toString('hex'))
  assert.equal(params.port, 41003)
  assert.equal(params.left, 16384)
  assert.equal(params.numwant, 50)
})

test('the UDP tracker sees the qBittorrent peer id and announce fields', async (t) => {
  const tracker = await startTrackerServer()
  const a = new TrackerAnnouncer({ infohash: infohash(3), trackers: [tracker.udpUrl], port: 41004 })
  t.after(async () => { await a.stop(); await tracker.close() })
  const started = nextEvent(tracker.server, 'start')
  a.start()
  const [, params] = await started
  assert.equal(peerIdOf(params), a.peerId)
  assert.match(a.peerId, PEER_ID)
  assert.equal(params.port, 41004)
  assert.equal(params.left, 16384)
  assert.equal(params.numwant, 50)
})

test('every announcer has its own random peer id, with the configured prefix', () => {
  const ids = Array.from({ length: 20 }, () => new TrackerAnnouncer({ infohash: infohash(4), trackers: [], port: 1 }).peerId)
  assert.equal(new Set(ids).size, ids.length)
  for (const id of ids) assert.match(id, PEER_ID)
  const custom = new TrackerAnnouncer({ infohash: infohash(4), trackers: [], port: 1, peerIdPrefix: '-TR4050-', userAgent: 'Transmission/4.0.5' })
  assert.match(custom.peerId, /^-TR4050-[A-Za-z0-9]{12}$/)
})

test('status reports the last announce, the next one and the peers returned', async (t) => {
  const tracker = await startTrackerServer({ interval: 60_000 })
  const a = new TrackerAnnouncer({ infohash: infohash(5), trackers: [tracker.httpUrl], port: 41005 })
  t.after(async () => { await a.stop(); await tracker.close() })
  assert.deepEqual(a.status(), [{ url: tracker.httpUrl, lastAnnounceAt: null, nextAnnounceAt: null, peersReturned: 0, lastError: null }])
  a.start()
  const [announced] = await nextEvent(a, 'announced')
  assert.equal(announced.interval, 60_000)
  const [status] = a.status()
  assert.ok(status?.lastAnnounceAt !== null && status?.nextAnnounceAt !== null)
  assert.ok(Math.abs((status?.nextAnnounceAt ?? 0) - (status?.lastAnnounceAt ?? 0) - 60_000) < 1_000)
  assert.equal(status?.peersReturned, announced.peers)
  assert.equal(status?.lastError, null)
})

test('update() announces the new port with the same peer id', async (t) => {
  const tracker = await startTrackerServer({ interval: 60_000 })
  const a = new TrackerAnnouncer({ infohash: infohash(6), trackers: [tracker.httpUrl, tracker.udpUrl], port: 41006 })
  t.after(async () => { await a.stop(); await tracker.close() })
  a.start()
  await bothAnnounced(a)
  const seen: AnnounceParams[] = []
  const collect = (_addr: string, p: AnnounceParams): void => { if (p.port === 41007) seen.push(p) }
  tracker.server.on('start', collect)
  tracker.server.on('update', collect)
  a.update({ port: 41007 })
  await nextEvent(a, 'announced', () => seen.length === 2)
  assert.deepEqual(seen.map(p => p.type).sort(), ['http', 'udp'])
  for (const p of seen) assert.equal(peerIdOf(p), a.peerId)
})

test('a tracker that is down gives warnings and is retried with backoff until it answers', async (t) => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/announce`
  const a = new TrackerAnnouncer({ infohash: infohash(7), trackers: [url], port: 41008 })
  let tracker: Awaited<ReturnType<typeof startTrackerServer>> | undefined
  t.after(async () => { await a.stop(); await tracker?.close() })
  const warned = nextEvent(a, 'warning')
  const startedAt = Date.now()
  a.start()
  const [err, warnedTracker] = await warned
  assert.ok(err instanceof Error)
  assert.equal(warnedTracker, url)
  const [status] = a.status()
  assert.ok(status?.lastError)
  // First retry after 5 s ± 20%.
  const wait = (status?.nextAnnounceAt ?? 0) - startedAt
  assert.ok(wait >= 3_900 && wait <= 6_100, `retry in ${wait} ms`)
  tracker = await startTrackerServer({ httpPort: port })
  const [announced] = await nextEvent(a, 'announced', () => true, 8_000)
  assert.ok(Date.now() - startedAt >= 3_900)
  assert.equal(announced.tracker, url)
  assert.equal(a.status()[0]?.lastError, null)
})

test('retry delays double from 5 s to a 5 min cap, with ±20% jitter', () => {
  const mid = (): number => 0.5
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 100].map(n => announceRetryDelay(n, mid)), [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000])
  assert.equal(announceRetryDelay(1, () => 0), 4_000)
  assert.equal(announceRetryDelay(1, () => 0.999999), 6_000)
})

test('stop() sends stopped to every tracker', async (t) => {
  const tracker = await startTrackerServer()
  const a = new TrackerAnnouncer({ infohash: infohash(8), trackers: [tracker.httpUrl, tracker.udpUrl], port: 41009 })
  t.after(() => tracker.close())
  a.start()
  await bothAnnounced(a)
  const stops: AnnounceParams[] = []
  tracker.server.on('stop', (_addr, p) => { stops.push(p) })
  await a.stop()
  assert.deepEqual(stops.map(p => p.type).sort(), ['http', 'udp'])
  for (const p of stops) assert.equal(peerIdOf(p), a.peerId)
  assert.deepEqual(a.status().map(s => s.nextAnnounceAt), [null, null])
})

test('after stop() nothing keeps the process alive', async (t) => {
  const tracker = await startTrackerServer()
  t.after(() => tracker.close())
  const moduleUrl = new URL('../../core/discovery/tracker.ts', import.meta.url).href
  // A tracker that never answers too: its pending request must not hold the process either.
  // It reads (and ignores) requests, so that it sees the child's sockets close.
  const silent = net.createServer((socket) => { socket.resume() }).listen(0, '127.0.0.1')
  await once(silent, 'listening')
  t.after(() => new Promise(resolve => { silent.close(resolve) }))
  const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/announce`
  const script = `
    import { TrackerAnnouncer } from ${JSON.stringify(moduleUrl)}
    const a = new TrackerAnnouncer({ infohash: new Uint8Array(20).fill(9), trackers: JSON.parse(process.env.TRACKERS), port: 41010 })
    let announced = 0
    a.on('announced', async () => {
      if (++announced !== 2) return
      await a.stop()
      console.log('stopped')
    })
    a.start()
  `
  const stops: string[] = []
  tracker.server.on('stop', (_addr, p) => { stops.push(p.type) })
  // Without NODE_TEST_CONTEXT: inherited, it would make the child talk to a test runner that is not there.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script], {
    env: { ...env, TRACKERS: JSON.stringify([tracker.httpUrl, tracker.udpUrl, silentUrl]) },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const killer = setTimeout(() => { child.kill() }, 15_000)
  const [code, signal] = await once(child, 'exit') as [number | null, string | null]
  clearTimeout(killer)
  assert.equal(signal, null, 'the child had to be killed: something kept it alive after stop()')
  assert.equal(code, 0)
  assert.equal(output.trim(), 'stopped')
  assert.deepEqual(stops.sort(), ['http', 'udp'])
})

test('a tracker that drops the connection mid-response produces a warning, not a crash', async (t) => {
  const fake = await fakeHttpTracker((_req, res) => {
    res.writeHead(200, { 'content-length': '100' })
    res.write('d8:intervali1800e5:peers')
    setTimeout(() => { res.socket?.destroy() }, 20)
  })
  const a = new TrackerAnnouncer({ infohash: infohash(10), trackers: [fake.url], port: 41011 })
  t.after(async () => { await a.stop(); await fake.close() })
  const warned = nextEvent(a, 'warning')
  a.start()
  const [err] = await warned
  assert.ok(err instanceof Error)
  assert.ok(a.status()[0]?.lastError)
})

test('a tracker interval that is negative or huge is bounded, never a tight announce loop', async (t) => {
  for (const [interval, expected] of [[-1, 1_000], [2 ** 40, 3_600_000]] as const) {
    const fake = await fakeHttpTracker((_req, res) => { res.end(`d8:intervali${interval}e5:peers0:e`) })
    const a = new TrackerAnnouncer({ infohash: infohash(11), trackers: [fake.url], port: 41012 })
    t.after(async () => { await a.stop(); await fake.close() })
    a.start()
    const [announced] = await nextEvent(a, 'announced')
    assert.equal(announced.interval, expected)
    await sleep(300)
    assert.equal(fake.requests(), 1)
  }
})

test('peer addresses with port 0 are dropped', async (t) => {
  const v4 = (ip: number[], port: number): Buffer => Buffer.concat([Buffer.from(ip), Buffer.from([port >> 8, port & 0xff])])
  const v6 = Buffer.concat([Buffer.from('20010db8000000000000000000000001', 'hex'), Buffer.from([0x1a, 0xe2])])
  const body = Buffer.concat([
    Buffer.from('d'), bstr('interval'), Buffer.from('i1800e'),
    bstr('peers'), bstr(Buffer.concat([v4([10, 0, 0, 1], 0), v4([10, 0, 0, 3], 6881)])),
    bstr('peers6'), bstr(v6),
    Buffer.from('e')
  ])
  const fake = await fakeHttpTracker((_req, res) => { res.end(body) })
  const a = new TrackerAnnouncer({ infohash: infohash(12), trackers: [fake.url], port: 41013 })
  t.after(async () => { await a.stop(); await fake.close() })
  const peers: TrackerPeer[] = []
  a.on('peer', (p) => { peers.push(p) })
  a.start()
  const [announced] = await nextEvent(a, 'announced')
  assert.deepEqual(peers.map(p => `${p.host} ${p.port}`), ['10.0.0.3 6881', '2001:db8::1 6882'])
  assert.equal(announced.peers, 2)
})

test('at most 200 peers are taken from one response', async (t) => {
  const compact = Buffer.alloc(300 * 6)
  for (let i = 0; i < 300; i++) {
    compact.set([10, 1, i >> 8, i & 0xff], i * 6)
    compact.writeUInt16BE(1000 + i, i * 6 + 4)
  }
  const fake = await fakeHttpTracker((_req, res) => {
    res.end(Buffer.concat([Buffer.from('d'), bstr('interval'), Buffer.from('i1800e'), bstr('peers'), bstr(compact), Buffer.from('e')]))
  })
  const a = new TrackerAnnouncer({ infohash: infohash(13), trackers: [fake.url], port: 41014 })
  t.after(async () => { await a.stop(); await fake.close() })
  let peers = 0
  a.on('peer', () => { peers++ })
  a.start()
  const [announced] = await nextEvent(a, 'announced')
  assert.equal(announced.peers, 200)
  assert.equal(peers, 200)
})

test('unsupported or invalid tracker URLs give a warning and are skipped', () => {
  const a = new TrackerAnnouncer({ infohash: infohash(14), trackers: ['wss://tracker.example/announce', 'not a url'], port: 41015 })
  const warnings: string[] = []
  a.on('warning', (err, tracker) => { warnings.push(`${tracker}: ${err.message}`) })
  a.start()
  assert.deepEqual(warnings, [
    'wss://tracker.example/announce: unsupported tracker protocol: wss://tracker.example/announce',
    'not a url: tracker "not a url" is empty or has spaces or characters other than printable ASCII'
  ])
  assert.deepEqual(a.status().map(s => s.nextAnnounceAt), [null, null])
  return a.stop()
})

test('a udp tracker with port 0 or a malformed host is skipped with a warning; the valid one announces and stop() resolves', async (t) => {
  const tracker = await startTrackerServer({ interval: 1_000 })
  const a = new TrackerAnnouncer({ infohash: infohash(15), trackers: ['udp://127.0.0.1:0', 'udp://627.0.0.1:9', tracker.udpUrl], port: 41016 })
  t.after(async () => { await tracker.close() })
  const warnings: string[] = []
  a.on('warning', (err, url) => { warnings.push(`${url}: ${err.message}`) })
  a.start()
  assert.deepEqual(warnings, [
    'udp://127.0.0.1:0: tracker "udp://127.0.0.1:0" has port "0": a port is 1 to 65535',
    'udp://627.0.0.1:9: tracker "udp://627.0.0.1:9" has an invalid host "627.0.0.1": not a host name or an IP address'
  ])
  await nextEvent(a, 'announced', x => x.tracker === tracker.udpUrl)
  a.update({ port: 41017 })
  await a.stop()
})

test('invalid options are refused', () => {
  assert.throws(() => new TrackerAnnouncer({ infohash: new Uint8Array(19), trackers: [], port: 1 }), /20 bytes/)
  assert.throws(() => new TrackerAnnouncer({ infohash: infohash(1), trackers: [], port: 0 }), /port/)
  assert.throws(() => new TrackerAnnouncer({ infohash: infohash(1), trackers: [], port: 1, peerIdPrefix: '-qB46-' }), /prefix/)
  assert.throws(() => new TrackerAnnouncer({ infohash: infohash(1), trackers: [], port: 1, userAgent: 'a\r\nX-Evil: 1' }), /user agent/)
  assert.throws(() => new TrackerAnnouncer({ infohash: infohash(1), trackers: Array.from({ length: 65 }, (_, i) => `udp://10.0.0.1:${i + 1}`), port: 1 }), /at most 64/)
})
