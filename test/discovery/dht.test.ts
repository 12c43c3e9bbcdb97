import { test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import DHT from 'bittorrent-dht'
import { DhtDiscovery, type DhtDiscoveryOptions, type DhtPeer } from '../../core/discovery/dht.ts'
import { decode, encode, type BDict, type BValue } from '../../core/codec/bencode.ts'
import { silentLogger } from '../../core/log.ts'
import { boundSocket, startLoopbackDht, type LoopbackDht } from '../helpers/loopback-dht.ts'
import { nextEvent, waitUntil } from '../helpers/wait.ts'
import { ManualClock } from '../helpers/manual-clock.ts'

const infohash = (fill: number): Uint8Array => new Uint8Array(20).fill(fill)
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const b = (s: string): Buffer => Buffer.from(s, 'latin1')
// Lookups and announces on the loopback DHT: generous, for a loaded machine.
const TIMEOUT_MS = 20_000

async function loopbackDht (t: TestContext): Promise<LoopbackDht> {
  const net = await startLoopbackDht(20)
  t.after(() => net.close())
  return net
}

/** A started DhtDiscovery on its own socket; both are released when the test ends. */
async function discovery (t: TestContext, opts: Partial<DhtDiscoveryOptions> & Pick<DhtDiscoveryOptions, 'bootstrap'>): Promise<{ dht: DhtDiscovery; socket: dgram.Socket; port: number }> {
  const socket = await boundSocket()
  const dht = new DhtDiscovery({ socket, log: silentLogger, announceIntervalMs: 1_000, ...opts })
  t.after(async () => { await dht.destroy(); socket.close() })
  await dht.start()
  return { dht, socket, port: socket.address().port }
}

/** Sends one KRPC query from a fresh socket and returns the decoded answer. */
async function query (port: number, q: string, a: BDict): Promise<BDict> {
  const socket = await boundSocket()
  try {
    socket.send(encode({ t: b('aa'), y: b('q'), q: b(q), a: { id: randomBytes(20), ...a } }), port, '127.0.0.1')
    const [reply] = await once(socket, 'message', { signal: AbortSignal.timeout(5_000) }) as [Buffer]
    return decode(reply) as BDict
  } finally {
    socket.close()
  }
}

const compact = (host: string, port: number): Buffer => {
  const out = Buffer.alloc(6)
  host.split('.').forEach((part, i) => { out[i] = Number(part) })
  out.writeUInt16BE(port, 4)
  return out
}

test('two watchers of one infohash learn each other\'s UDP port', async (t) => {
  const net = await loopbackDht(t)
  const a = await discovery(t, { bootstrap: [net.bootstrap] })
  const b = await discovery(t, { bootstrap: [net.bootstrap] })
  const ih = infohash(1)
  const aFindsB = nextEvent(a.dht, 'peer', p => p.port === b.port, TIMEOUT_MS)
  const bFindsA = nextEvent(b.dht, 'peer', p => p.port === a.port, TIMEOUT_MS)
  a.dht.watch(ih)
  b.dht.watch(ih)
  assert.deepEqual(await aFindsB, [{ host: '127.0.0.1', port: b.port, infohash: hex(ih) }])
  assert.deepEqual(await bFindsA, [{ host: '127.0.0.1', port: a.port, infohash: hex(ih) }])
})

test('a watcher is never told its own address', async (t) => {
  const net = await loopbackDht(t)
  const a = await discovery(t, { bootstrap: [net.bootstrap], announceIntervalMs: 300 })
  let stored = false
  for (const node of net.nodes) node.on('announce_peer', (_ih, from) => { if (from.port === a.port) stored = true })
  const reported: DhtPeer[] = []
  a.dht.on('peer', p => { reported.push(p) })
  a.dht.watch(infohash(2))
  await waitUntil(() => stored, TIMEOUT_MS, 'our announce to reach a node')
  await sleep(1_500) // several lookups after the DHT holds our announce
  assert.deepEqual(reported, [])
})

test('unwatch stops announcing', async (t) => {
  const net = await loopbackDht(t)
  const a = await discovery(t, { bootstrap: [net.bootstrap], announceIntervalMs: 200 })
  const ih = infohash(3)
  let announces = 0
  for (const node of net.nodes) {
    node.on('announce_peer', (got, from) => { if (from.port === a.port && got.equals(ih)) announces++ })
  }
  a.dht.watch(ih)
  await waitUntil(() => announces >= 2, TIMEOUT_MS, 'two announces')
  a.dht.unwatch(ih)
  assert.equal(a.dht.status().watching, 0)
  await sleep(500) // what was in flight lands
  const after = announces
  await sleep(1_500)
  assert.equal(announces, after)
})

test('a new instance started from nodes() and no bootstrap still finds peers', async (t) => {
  const net = await loopbackDht(t)
  const ih = infohash(4)
  const b = await discovery(t, { bootstrap: [net.bootstrap] })
  b.dht.watch(ih)
  const first = await discovery(t, { bootstrap: [net.bootstrap] })
  first.dht.watch(ih)
  await nextEvent(first.dht, 'peer', p => p.port === b.port, TIMEOUT_MS)
  const saved = first.dht.nodes()
  assert.ok(saved.length >= 10, `only ${saved.length} nodes to save`)
  assert.ok(saved.every(n => n.host === '127.0.0.1' && Number.isInteger(n.port)))
  await first.dht.destroy()

  const socket = await boundSocket()
  const again = new DhtDiscovery({ socket, bootstrap: [], nodes: saved, log: silentLogger, announceIntervalMs: 1_000 })
  t.after(async () => { await again.destroy(); socket.close() })
  again.watch(ih)
  await again.start()
  assert.ok(again.status().nodes >= 10, `only ${again.status().nodes} nodes after starting from saved ones`)
  await nextEvent(again, 'peer', p => p.port === b.port, TIMEOUT_MS)
})

test('start resolves at once when there is nothing to bootstrap from', async (t) => {
  const started = Date.now()
  const { dht } = await discovery(t, { bootstrap: [] })
  assert.ok(Date.now() - started < 1_000)
  assert.deepEqual(dht.status(), { nodes: 0, watching: 0, bootstrapped: true, lastError: null })
})

test('a watcher that found no node at start joins once a bootstrap node answers', async (t) => {
  const reserved = await boundSocket()
  const routerPort = reserved.address().port
  reserved.close()
  const { dht } = await discovery(t, { bootstrap: [`127.0.0.1:${routerPort}`], announceIntervalMs: 300 })
  assert.equal(dht.status().nodes, 0)
  assert.equal(dht.status().lastError, 'no DHT node answered the bootstrap')
  const router = new DHT({ bootstrap: false })
  router.listen(routerPort, '127.0.0.1')
  t.after(() => new Promise<void>(resolve => { router.destroy(resolve) }))
  await once(router, 'listening')
  dht.watch(infohash(7))
  await waitUntil(() => dht.status().nodes > 0 && dht.status().lastError === null, TIMEOUT_MS, 'joining through the router')
})

test('destroy during start ends start', async (t) => {
  const silent = await boundSocket() // a bootstrap node that never answers
  const socket = await boundSocket()
  t.after(() => { silent.close(); socket.close() })
  const dht = new DhtDiscovery({ socket, bootstrap: [`127.0.0.1:${silent.address().port}`], log: silentLogger })
  const starting = dht.start()
  await once(silent, 'message')
  await dht.destroy()
  await starting
  assert.equal(dht.status().bootstrapped, false)
})

test('the constructor and watch refuse malformed input', () => {
  const socket = {} as dgram.Socket
  for (const entry of ['router.bittorrent.com', 'host:0', 'host:65536', 'host:-1', 'a b:1', '[::1]:6881', '']) {
    assert.throws(() => new DhtDiscovery({ socket, bootstrap: [entry], log: silentLogger }), RangeError, entry)
  }
  assert.throws(() => new DhtDiscovery({ socket, bootstrap: [], log: silentLogger, maxPeersPerLookup: 0 }), RangeError)
  assert.throws(() => new DhtDiscovery({ socket, bootstrap: [], log: silentLogger, announceIntervalMs: 2 ** 31 }), RangeError)
  const dht = new DhtDiscovery({ socket, bootstrap: [], log: silentLogger })
  assert.throws(() => { dht.watch(new Uint8Array(19)) }, RangeError)
})

test('nodes() before start returns the usable saved nodes, deduplicated', () => {
  const dht = new DhtDiscovery({
    socket: {} as dgram.Socket,
    bootstrap: [],
    log: silentLogger,
    nodes: [
      { host: '10.0.0.1', port: 6881 }, { host: '10.0.0.1', port: 6881 }, { host: '0.0.0.0', port: 6881 },
      { host: '224.0.0.1', port: 6881 }, { host: 'example.com', port: 6881 }, { host: '::1', port: 6881 },
      { host: '10.0.0.2', port: 0 }, { host: '10.0.0.3', port: 65535 }
    ]
  })
  assert.deepEqual(dht.nodes(), [{ host: '10.0.0.1', port: 6881 }, { host: '10.0.0.3', port: 65535 }])
})

test('datagrams that are not DHT messages still reach the socket\'s owner, without a warning', async (t) => {
  const { dht, socket, port } = await discovery(t, { bootstrap: [] })
  const warnings: Error[] = []
  dht.on('warning', (err) => { warnings.push(err) })
  const received: string[] = []
  socket.on('message', (buf) => { received.push(buf.toString('latin1')) })
  const sender = await boundSocket()
  t.after(() => { sender.close() })
  for (const datagram of ['\x41\x00utp syn', 'hello', '\xffudx']) sender.send(b(datagram), port, '127.0.0.1')
  await waitUntil(() => received.length === 3, TIMEOUT_MS, 'the three datagrams')
  assert.deepEqual(received.sort(), ['\x41\x00utp syn', 'hello', '\xffudx'].sort())
  assert.deepEqual(warnings, [])
})

test('hostile datagrams are dropped with a warning and the DHT keeps answering', async (t) => {
  const { dht, port } = await discovery(t, { bootstrap: [] })
  const warnings: Error[] = []
  dht.on('warning', (err) => { warnings.push(err) })
  const sender = await boundSocket()
  t.after(() => { sender.close() })
  const q = (name: string, a: BDict): Buffer => Buffer.from(encode({ t: b('zz'), y: b('q'), q: b(name), a }))
  const hostile: Buffer[] = [
    Buffer.concat([b('d'), randomBytes(200)]),
    b('d' + 'l'.repeat(60_000)), // nesting that overflows a recursive decoder's stack
    b('d1:ali' + 'i1e'.repeat(20_000) + 'ee'), // ~60 KB of items
    q('ping', { id: 5 }),
    q('find_node', { id: randomBytes(20), target: 7 }),
    q('get_peers', { id: randomBytes(20), info_hash: [b('x')] }),
    q('announce_peer', { id: randomBytes(20), info_hash: randomBytes(60_000), token: b('t'), port: 1 }),
    Buffer.from(encode({ t: b('zz'), y: b('r'), r: { id: [5], values: 3 } })),
    Buffer.from(encode({ t: b('zz'), y: b('x') }))
  ]
  // One at a time: three 60 KB datagrams at once could overflow the socket's receive buffer.
  for (const [i, datagram] of hostile.entries()) {
    sender.send(datagram, port, '127.0.0.1')
    await waitUntil(() => warnings.length > i, TIMEOUT_MS, `a warning for hostile datagram ${i}`)
  }
  const pong = await query(port, 'ping', {})
  assert.ok(pong.r !== undefined && (pong.r as BDict).id instanceof Uint8Array)
  assert.equal(warnings.length, hostile.length)
})

test('a hostile node\'s peer lists are validated, deduplicated and bounded per lookup', async (t) => {
  const evil = await boundSocket()
  t.after(() => { evil.close() })
  const evilId = randomBytes(20)
  // Twice 60 addresses and some junk: the most a reply that fits a DHT datagram holds.
  const valid = Array.from({ length: 60 }, (_, i) => compact(`10.1.${i >> 8}.${i & 255}`, 1000 + i))
  const values: Buffer[] = [
    compact('0.0.0.0', 80), compact('224.0.0.1', 80), compact('255.255.255.255', 80), compact('240.0.0.1', 80), compact('10.0.0.1', 0),
    ...valid.flatMap(v => [v, v]),
    b('short'), Buffer.concat([compact('10.9.9.9', 9), randomBytes(12)])
  ]
  let lookups = 0
  evil.on('message', (buf, rinfo) => {
    const msg = decode(buf) as BDict
    const reply = (r: BValue): void => { evil.send(encode({ t: msg.t!, y: b('r'), r }), rinfo.port, rinfo.address) }
    if (Buffer.from(msg.q as Uint8Array).toString() === 'get_peers') {
      lookups++
      reply({ id: 5 }) // a node id that is not a string: k-rpc-socket would throw on it
      reply({ id: evilId, token: b('token'), values, nodes: b('garbage') })
    } else {
      reply({ id: evilId, nodes: b('garbage') })
    }
  })
  const { dht } = await discovery(t, { bootstrap: [`127.0.0.1:${evil.address().port}`], maxPeersPerLookup: 50, announceIntervalMs: 60_000 })
  const warnings: Error[] = []
  dht.on('warning', (err) => { warnings.push(err) })
  const peers: DhtPeer[] = []
  dht.on('peer', (p) => { peers.push(p) })
  dht.watch(infohash(5))
  await waitUntil(() => lookups > 0, TIMEOUT_MS, 'a lookup')
  await sleep(1_000)
  assert.equal(lookups, 1)
  assert.equal(peers.length, 50)
  assert.equal(new Set(peers.map(p => `${p.host}:${p.port}`)).size, 50)
  const expected = new Set(valid.slice(0, 50).map((_, i) => `10.1.${i >> 8}.${i & 255}:${1000 + i}`))
  assert.ok(peers.every(p => expected.has(`${p.host}:${p.port}`)), JSON.stringify(peers))
  assert.ok(warnings.some(w => /20-byte node id/.test(w.message)))
})

test('the DHT answers find_node with at most 8 nodes, whatever its routing table holds', async (t) => {
  const net = await loopbackDht(t)
  const { dht, port } = await discovery(t, { bootstrap: [net.bootstrap] })
  assert.ok(dht.status().nodes > 8)
  const answer = await query(port, 'find_node', { target: randomBytes(20) })
  const nodes = (answer.r as BDict).nodes as Uint8Array
  assert.equal(nodes.length, 8 * 26)
})

test('destroy leaves the socket with its owner, detached from the DHT', async (t) => {
  const { dht, socket, port } = await discovery(t, { bootstrap: [] })
  await dht.destroy()
  const received = once(socket, 'message')
  const sender = await boundSocket()
  t.after(() => { sender.close() })
  sender.send(encode({ t: b('aa'), y: b('q'), q: b('ping'), a: { id: randomBytes(20) } }), port, '127.0.0.1')
  await received
  const answered = await Promise.race([once(sender, 'message').then(() => true), sleep(500).then(() => false)])
  assert.equal(answered, false)
})

test('destroy leaves no handle behind: a process that destroys it and closes its socket exits', async (t) => {
  const net = await loopbackDht(t)
  const url = (path: string): string => new URL(path, import.meta.url).href
  const script = `
    import dgram from 'node:dgram'
    import { once } from 'node:events'
import DHT from 'bittorrent-dht'
    import { DhtDiscovery } from '${url('../../core/discovery/dht.ts')}'
    import { silentLogger } from '${url('../../core/log.ts')}'
    const socket = dgram.createSocket('udp4')
    socket.bind(0, '127.0.0.1')
    await once(socket, 'listening')
    const dht = new DhtDiscovery({ socket, bootstrap: [process.env.BOOTSTRAP], log: silentLogger, announceIntervalMs: 100 })
    await dht.start()
    dht.watch(new Uint8Array(20).fill(6))
    await new Promise(resolve => setTimeout(resolve, 500))
    if (dht.status().nodes === 0) throw new Error('never joined the DHT')
    await dht.destroy()
    socket.close()
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, BOOTSTRAP: net.bootstrap }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const timer = setTimeout(() => { child.kill() }, 15_000)
  const [code, signal] = await once(child, 'exit') as [number | null, NodeJS.Signals | null]
  clearTimeout(timer)
  assert.equal(signal, null, 'the process had to be killed: something kept it alive')
  assert.equal(code, 0, stderr)
})

/** Sends `count` ping queries from one socket at once and counts the answers that come back within `windowMs`. */
async function pingBurst (port: number, count: number, windowMs = 1_500): Promise<number> {
  // Another address than the one query() asks from.
  const socket = dgram.createSocket('udp4')
  socket.bind(0, '127.0.0.2')
  await once(socket, 'listening')
  try {
    let answers = 0
    socket.on('message', () => { answers++ })
    for (let i = 0; i < count; i++) socket.send(encode({ t: Buffer.from([i >> 8, i & 255]), y: b('q'), q: b('ping'), a: { id: randomBytes(20) } }), port, '127.0.0.1')
    await sleep(windowMs)
    return answers
  } finally {
    socket.close()
  }
}

test('an address flooding the DHT with queries is answered only at its rate, and others still are', async (t) => {
  const { port } = await discovery(t, { bootstrap: [] })
  const answered = await pingBurst(port, 300)
  assert.ok(answered <= 100, `${answered} of 300 queries from one address were answered`)
  assert.ok(answered >= 20, `only ${answered} answers: the first of a burst must get through`)
  const pong = await query(port, 'ping', {})
  assert.ok(pong.r !== undefined)
})

test('a datagram bigger than any DHT message is dropped unread, however well-formed', async (t) => {
  const { dht, port } = await discovery(t, { bootstrap: [] })
  const warnings: Error[] = []
  dht.on('warning', (err) => { warnings.push(err) })
  const socket = await boundSocket()
  t.after(() => { socket.close() })
  const answers: Buffer[] = []
  socket.on('message', (m) => { answers.push(m) })
  socket.send(encode({ t: b('aa'), y: b('q'), q: b('get_peers'), a: { id: randomBytes(20), info_hash: randomBytes(20), padding: randomBytes(10_000) } }), port, '127.0.0.1')
  await waitUntil(() => warnings.length > 0, TIMEOUT_MS, 'a warning')
  assert.match(warnings[0]!.message, /more than a DHT message needs/)
  await sleep(300)
  assert.deepEqual(answers, [])
})

test('a member announcing to us is reported at once, without waiting for a lookup', async (t) => {
  const { dht, port } = await discovery(t, { bootstrap: [], announceIntervalMs: 60_000 })
  const ih = infohash(8)
  dht.watch(ih)
  const member = await boundSocket()
  t.after(() => { member.close() })
  const ask = async (q: string, a: BDict): Promise<BDict> => {
    member.send(encode({ t: b('mm'), y: b('q'), q: b(q), a: { id: randomBytes(20), ...a } }), port, '127.0.0.1')
    const [reply] = await once(member, 'message', { signal: AbortSignal.timeout(5_000) }) as [Buffer]
    return decode(reply) as BDict
  }
  const { token } = (await ask('get_peers', { info_hash: Buffer.from(ih) })).r as BDict
  const found = nextEvent(dht, 'peer', () => true, TIMEOUT_MS)
  await ask('announce_peer', { info_hash: Buffer.from(ih), token: token!, port: 1, implied_port: 1 })
  assert.deepEqual(await found, [{ host: '127.0.0.1', port: member.address().port, infohash: hex(ih) }])
})

test('a node watching many infohashes walks at most 4 lookups at once; the next starts as one settles', async (t) => {
  // A router that answers everything at once but get_peers, which it holds until told.
  const router = await boundSocket()
  t.after(() => { router.close() })
  const routerId = randomBytes(20)
  const held: Array<{ t: Uint8Array; infohash: string; port: number }> = []
  router.on('message', (buf, rinfo) => {
    const msg = decode(buf) as BDict
    const a = msg.a as BDict
    if (Buffer.from(msg.q as Uint8Array).toString() === 'get_peers') held.push({ t: msg.t as Uint8Array, infohash: Buffer.from(a.info_hash as Uint8Array).toString('hex'), port: rinfo.port })
    else router.send(encode({ t: msg.t!, y: b('r'), r: { id: routerId } }), rinfo.port, rinfo.address)
  })
  const clock = new ManualClock()
  const { dht } = await discovery(t, { bootstrap: [`127.0.0.1:${router.address().port}`], clock })
  for (let i = 0; i < 10; i++) dht.watch(infohash(100 + i))
  await waitUntil(() => held.length >= 4, TIMEOUT_MS, 'the first lookups')
  await sleep(300)
  assert.equal(new Set(held.map(h => h.infohash)).size, 4)
  const first = held[0]!
  router.send(encode({ t: first.t, y: b('r'), r: { id: routerId, token: b('tk') } }), first.port, '127.0.0.1')
  await waitUntil(() => new Set(held.map(h => h.infohash)).size === 5, TIMEOUT_MS, 'the fifth lookup once the first settled')
})
