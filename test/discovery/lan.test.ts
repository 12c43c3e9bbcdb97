import { test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes, randomInt } from 'node:crypto'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { networkInterfaces } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { LanDiscovery, type LanDiscoveryOptions, type LanPeer } from '../../core/discovery/lan.ts'
import { encodeLsdAnnounce, LSD_IPV4_GROUP, MAX_LSD_DATAGRAM, parseLsdAnnounce } from '../../core/discovery/lan-message.ts'
import { createLogger, silentLogger } from '../../core/log.ts'
import { nextEvent, waitUntil } from '../helpers/wait.ts'

const GROUP = LSD_IPV4_GROUP
const LOOPBACK = '127.0.0.1'
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
// A port of its own for every test, so that parallel runs on one machine do not hear each other.
const multicastPort = (): number => randomInt(20_000, 60_000)
/** Past a new watch's announce, its follow-up 2 s later and the 2 s after that in which it does not answer. */
const pastFollowUp = (): Promise<void> => sleep(4_500)
const lsd = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n') + '\r\n\r\n\r\n', 'latin1')

/** A started LanDiscovery on loopback multicast, destroyed when the test ends. */
async function lan (t: TestContext, opts: Partial<LanDiscoveryOptions> & { multicastPort: number }): Promise<LanDiscovery> {
  const d = new LanDiscovery({ port: randomInt(1024, 65536), log: silentLogger, interfaceAddress: LOOPBACK, ...opts })
  t.after(() => d.destroy())
  await d.start()
  assert.equal(d.status().lastError, null)
  assert.equal(d.status().enabled, true)
  return d
}

function collect (d: LanDiscovery): LanPeer[] {
  const peers: LanPeer[] = []
  d.on('peer', (p) => { peers.push(p) })
  return peers
}

/** A plain socket in the loopback group, to hear every announce and to send hand-made datagrams. */
async function rawMember (t: TestContext, port: number): Promise<{ heard: Buffer[]; send: (datagram: Buffer) => Promise<void> }> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true })
  t.after(() => new Promise<void>(resolve => { socket.close(resolve) }))
  socket.bind(port)
  await once(socket, 'listening')
  socket.addMembership(GROUP, LOOPBACK)
  socket.setMulticastInterface(LOOPBACK)
  socket.setMulticastLoopback(true)
  const heard: Buffer[] = []
  socket.on('message', (msg) => { heard.push(msg) })
  return {
    heard,
    send: (datagram) => new Promise((resolve, reject) => {
      socket.send(datagram, port, GROUP, (err) => { if (err === null) resolve(); else reject(err) })
    })
  }
}

/** Announces in `heard` that carry `tcpPort`. */
const announcesWithPort = (heard: Buffer[], tcpPort: number): number =>
  heard.filter(msg => { try { return parseLsdAnnounce(msg).port === tcpPort } catch { return false } }).length

test('an announce survives encoding and parsing', () => {
  const infohash = hex(randomBytes(20))
  const datagram = encodeLsdAnnounce(`${GROUP}:6771`, { port: 51413, infohashes: [infohash], cookie: 'c0ffee' })
  assert.equal(datagram.toString('latin1'), `BT-SEARCH * HTTP/1.1\r\nHost: ${GROUP}:6771\r\nPort: 51413\r\nInfohash: ${infohash}\r\ncookie: c0ffee\r\n\r\n\r\n`)
  assert.deepEqual(parseLsdAnnounce(datagram), { port: 51413, infohashes: [infohash], cookie: 'c0ffee' })
})

test('parsing takes header names in any case, uppercase hex, several infohashes and no cookie', () => {
  const a = 'AB'.repeat(20)
  const b = '0123456789abcdef0123456789ABCDEF01234567'
  const parsed = parseLsdAnnounce(lsd(['BT-SEARCH * HTTP/1.1', 'HOST: 239.192.152.143:6771', 'port:6881', `INFOHASH: ${a}`, `infoHash: ${b}`, 'X-Other: ignored']))
  assert.deepEqual(parsed, { port: 6881, infohashes: [a.toLowerCase(), b.toLowerCase()], cookie: null })
})

test('parsing rejects every malformed announce with a RangeError', () => {
  const ih = `Infohash: ${'a'.repeat(40)}`
  const cases: Record<string, Buffer> = {
    empty: Buffer.alloc(0),
    'not BT-SEARCH': lsd(['NOTIFY * HTTP/1.1', 'Port: 1', ih]),
    'request line with extra spaces': lsd(['BT-SEARCH  * HTTP/1.1', 'Port: 1', ih]),
    'no Port': lsd(['BT-SEARCH * HTTP/1.1', ih]),
    'Port 0': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 0', ih]),
    'Port 65536': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 65536', ih]),
    'Port with a leading zero': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 080', ih]),
    'Port with a sign': lsd(['BT-SEARCH * HTTP/1.1', 'Port: +80', ih]),
    'two Ports': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1', 'Port: 2', ih]),
    'no Infohash': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1']),
    'short Infohash': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1', `Infohash: ${'a'.repeat(39)}`]),
    'non-hex Infohash': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1', `Infohash: ${'g'.repeat(40)}`]),
    '17 infohashes': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1', ...Array.from({ length: 17 }, (_, i) => `Infohash: ${i.toString(16).padStart(40, '0')}`)]),
    'two cookies': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1', ih, 'cookie: a', 'cookie: b']),
    'cookie with a space': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1', ih, 'cookie: a b']),
    'header without a colon': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1', ih, 'garbage']),
    'LF line endings': Buffer.from(`BT-SEARCH * HTTP/1.1\nPort: 1\n${ih}\n\n\n`, 'latin1'),
    'bare CR inside a line': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1\r5', ih]),
    'no empty line': Buffer.from(`BT-SEARCH * HTTP/1.1\r\nPort: 1\r\n${ih}\r\n`, 'latin1'),
    'data after the headers': Buffer.concat([lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1', ih]), Buffer.from('body')]),
    'a NUL byte': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1\0', ih]),
    'non-ASCII': lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1', ih, 'X: \u00e9']),
    oversized: lsd(['BT-SEARCH * HTTP/1.1', 'Port: 1', ih, `X: ${'x'.repeat(MAX_LSD_DATAGRAM)}`])
  }
  for (const [name, datagram] of Object.entries(cases)) {
    assert.throws(() => parseLsdAnnounce(datagram), RangeError, name)
  }
})

test('encoding refuses what it could not send', () => {
  const ih = 'a'.repeat(40)
  assert.throws(() => encodeLsdAnnounce(`${GROUP}:6771`, { port: 0, infohashes: [ih], cookie: null }), RangeError)
  assert.throws(() => encodeLsdAnnounce(`${GROUP}:6771`, { port: 1, infohashes: [], cookie: null }), RangeError)
  assert.throws(() => encodeLsdAnnounce(`${GROUP}:6771`, { port: 1, infohashes: ['xyz'], cookie: null }), RangeError)
  assert.throws(() => encodeLsdAnnounce(`${GROUP}:6771`, { port: 1, infohashes: [ih], cookie: 'a\r\nPort: 2' }), RangeError)
  assert.throws(() => encodeLsdAnnounce('239.192.152.143:6771\r\nPort: 2', { port: 1, infohashes: [ih], cookie: null }), RangeError)
})

test('the constructor and watch() reject invalid arguments', () => {
  const base = { port: 4000, log: silentLogger }
  assert.throws(() => new LanDiscovery({ ...base, port: 0 }), RangeError)
  assert.throws(() => new LanDiscovery({ ...base, intervalMs: 0 }), RangeError)
  assert.throws(() => new LanDiscovery({ ...base, multicastPort: 70000 }), RangeError)
  assert.throws(() => new LanDiscovery({ ...base, multicastAddress: '192.168.1.1' }), RangeError)
  assert.throws(() => new LanDiscovery({ ...base, interfaceAddress: 'eth0' }), RangeError)
  const d = new LanDiscovery(base)
  assert.throws(() => { d.watch(new Uint8Array(32)) }, RangeError)
  assert.throws(() => { d.update({ port: 65536 }) }, RangeError)
})

test('two instances watching one infohash find each other on loopback multicast', async (t) => {
  const port = multicastPort()
  const infohash = randomBytes(20)
  const a = await lan(t, { multicastPort: port, port: 4001 })
  const b = await lan(t, { multicastPort: port, port: 4002 })
  const aFindsB = nextEvent(a, 'peer')
  const bFindsA = nextEvent(b, 'peer')
  a.watch(infohash)
  b.watch(infohash)
  assert.deepEqual(await aFindsB, [{ host: LOOPBACK, port: 4002, infohash: hex(infohash) }])
  assert.deepEqual(await bFindsA, [{ host: LOOPBACK, port: 4001, infohash: hex(infohash) }])
})

test('an infohash only one side watches yields no peer', async (t) => {
  const port = multicastPort()
  const shared = randomBytes(20)
  const onlyA = randomBytes(20)
  const a = await lan(t, { multicastPort: port })
  const b = await lan(t, { multicastPort: port })
  const aPeers = collect(a)
  const bPeers = collect(b)
  a.watch(onlyA)
  a.watch(shared)
  b.watch(shared)
  await nextEvent(b, 'peer')
  // Past the follow-up announces and any answers to them.
  await sleep(2_500)
  assert.ok(aPeers.length > 0)
  assert.ok(bPeers.length > 0)
  assert.ok([...aPeers, ...bPeers].every(p => p.infohash === hex(shared)))
})

test('an instance ignores its own announces', async (t) => {
  const port = multicastPort()
  const raw = await rawMember(t, port)
  const d = await lan(t, { multicastPort: port, port: 4010 })
  const peers = collect(d)
  d.watch(randomBytes(20))
  await sleep(2_500)
  // Both announces went out and looped back to it.
  assert.equal(announcesWithPort(raw.heard, 4010), 2)
  assert.deepEqual(peers, [])
})

test('malformed, oversized and hostile datagrams yield no peer and do not stop it', async (t) => {
  const port = multicastPort()
  const infohash = hex(randomBytes(20))
  const logged: string[] = []
  const d = await lan(t, { multicastPort: port, log: createLogger({ level: 'debug', write: (line) => { logged.push(line) } }) })
  const peers = collect(d)
  const warnings: Error[] = []
  d.on('warning', (err) => { warnings.push(err) })
  d.watch(Buffer.from(infohash, 'hex'))
  const raw = await rawMember(t, port)
  const hostile = [
    Buffer.alloc(0),
    randomBytes(1200),
    Buffer.alloc(60_000, 'A'),
    lsd(['BT-SEARCH * HTTP/1.1', 'Port: 0', `Infohash: ${infohash}`]),
    lsd(['BT-SEARCH * HTTP/1.1', 'Port: 99999', `Infohash: ${infohash}`]),
    lsd(['BT-SEARCH * HTTP/1.1', 'Port: 4242', `Infohash: ${infohash.slice(1)}`]),
    lsd(['BT-SEARCH * HTTP/1.1', 'Port: 4242', 'Port: 4243', `Infohash: ${infohash}`]),
    lsd(['BT-SEARCH * HTTP/1.1', 'Port: 4242', `Infohash: ${infohash}`, ...Array.from({ length: 16 }, (_, i) => `Infohash: ${i.toString(16).padStart(40, '0')}`)]),
    lsd(['BT-SEARCH * HTTP/1.1', 'Port: 4242', `Infohash: ${infohash}`, `X: ${'x'.repeat(MAX_LSD_DATAGRAM)}`]),
    Buffer.from(`BT-SEARCH * HTTP/1.1\r\nPort: 4242\r\nInfohash: ${infohash}\r\n`, 'latin1'),
    Buffer.from(`BT-SEARCH * HTTP/1.1\r\nPort: 4242\r\nInfohash: ${infohash}\r\n\r\n\0\0\0`, 'latin1')
  ]
  for (const datagram of hostile) await raw.send(datagram)
  // A well-formed one sent last arrives last: everything before it has been dealt with.
  await raw.send(lsd(['BT-SEARCH * HTTP/1.1', `Host: ${GROUP}:${port}`, 'Port: 4244', `Infohash: ${infohash}`, 'cookie: 1234']))
  assert.deepEqual(await nextEvent(d, 'peer'), [{ host: LOOPBACK, port: 4244, infohash }])
  await sleep(200)
  assert.equal(peers.length, 1)
  // Each was received and turned away, none just lost on the way.
  assert.equal(logged.filter(line => line.includes('ignored a malformed LAN announce')).length, hostile.length)
  assert.deepEqual(warnings, [])
  assert.equal(d.status().enabled, true)
})

test('a late joiner learns of an existing peer at once through its answer', async (t) => {
  const port = multicastPort()
  const infohash = randomBytes(20)
  const first = await lan(t, { multicastPort: port, port: 4020, intervalMs: 600_000 })
  first.watch(infohash)
  await pastFollowUp()
  const late = await lan(t, { multicastPort: port, port: 4021, intervalMs: 600_000 })
  // Sooner than the late joiner's own follow-up announce could bring an answer.
  const found = nextEvent(late, 'peer', () => true, 1_500)
  late.watch(infohash)
  assert.deepEqual(await found, [{ host: LOOPBACK, port: 4020, infohash: hex(infohash) }])
})

test('a burst of announces gets a single answer', async (t) => {
  const port = multicastPort()
  const infohash = hex(randomBytes(20))
  const raw = await rawMember(t, port)
  const d = await lan(t, { multicastPort: port, port: 4030, intervalMs: 600_000 })
  d.watch(Buffer.from(infohash, 'hex'))
  await pastFollowUp()
  const before = announcesWithPort(raw.heard, 4030)
  for (let i = 0; i < 10; i++) await raw.send(lsd(['BT-SEARCH * HTTP/1.1', `Port: ${5000 + i}`, `Infohash: ${infohash}`]))
  await sleep(1_000)
  assert.equal(announcesWithPort(raw.heard, 4030) - before, 1)
})

test('an unwatched infohash is no longer announced or answered', async (t) => {
  const port = multicastPort()
  const infohash = randomBytes(20)
  const raw = await rawMember(t, port)
  const d = await lan(t, { multicastPort: port, port: 4040 })
  const peers = collect(d)
  d.watch(infohash)
  assert.equal(d.status().watching, 1)
  d.unwatch(infohash)
  assert.equal(d.status().watching, 0)
  await sleep(100)
  const before = announcesWithPort(raw.heard, 4040)
  await raw.send(lsd(['BT-SEARCH * HTTP/1.1', 'Port: 5000', `Infohash: ${hex(infohash)}`]))
  await sleep(2_500)
  assert.equal(announcesWithPort(raw.heard, 4040), before)
  assert.deepEqual(peers, [])
})

test('update() announces the new port at once', async (t) => {
  const port = multicastPort()
  const infohash = randomBytes(20)
  const a = await lan(t, { multicastPort: port, port: 4050, intervalMs: 600_000 })
  const b = await lan(t, { multicastPort: port, port: 4051, intervalMs: 600_000 })
  a.watch(infohash)
  b.watch(infohash)
  await nextEvent(b, 'peer', p => p.port === 4050)
  const moved = nextEvent(b, 'peer', p => p.port === 4052, 5_000)
  a.update({ port: 4052 })
  assert.deepEqual(await moved, [{ host: LOOPBACK, port: 4052, infohash: hex(infohash) }])
})

test('destroy() closes the sockets and turns it off', async (t) => {
  const port = multicastPort()
  const d = await lan(t, { multicastPort: port })
  d.watch(randomBytes(20))
  assert.deepEqual(d.status(), { enabled: true, watching: 1, lastError: null })
  await d.destroy()
  assert.deepEqual(d.status(), { enabled: false, watching: 0, lastError: null })
  assert.throws(() => { d.watch(randomBytes(20)) })
  await d.destroy()
})

test('two OS processes find each other, and a destroyed one leaves nothing keeping it alive', async (t) => {
  const port = multicastPort()
  const infohash = randomBytes(20)
  const script = `
    const { LanDiscovery } = await import(process.env.LAN_MODULE)
    const { silentLogger } = await import(process.env.LOG_MODULE)
    const d = new LanDiscovery({ port: 4061, log: silentLogger, multicastPort: Number(process.env.MULTICAST_PORT), interfaceAddress: '127.0.0.1' })
    d.on('peer', (p) => { process.stdout.write(JSON.stringify(p) + '\\n') })
    await d.start()
    d.watch(Buffer.from(process.env.INFOHASH, 'hex'))
    process.stdin.on('end', () => { void d.destroy() })
    process.stdin.resume()
  `
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script], {
    env: {
      ...process.env,
      LAN_MODULE: new URL('../../core/discovery/lan.ts', import.meta.url).href,
      LOG_MODULE: new URL('../../core/log.ts', import.meta.url).href,
      MULTICAST_PORT: String(port),
      INFOHASH: hex(infohash)
    },
    stdio: ['pipe', 'pipe', 'inherit']
  })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill() })
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })

  const d = await lan(t, { multicastPort: port, port: 4060 })
  const found = nextEvent(d, 'peer', () => true, 15_000)
  d.watch(infohash)
  assert.deepEqual(await found, [{ host: LOOPBACK, port: 4061, infohash: hex(infohash) }])
  await waitUntil(() => output.includes('\n'), 15_000, 'the child to report us as a peer')
  assert.deepEqual(JSON.parse(output.split('\n')[0] ?? ''), { host: LOOPBACK, port: 4060, infohash: hex(infohash) })

  child.stdin.end()
  const killer = setTimeout(() => { child.kill() }, 10_000)
  const [code, signal] = await exited
  clearTimeout(killer)
  assert.equal(signal, null, 'the child had to be killed: something kept it alive after destroy()')
  assert.equal(code, 0)
})

test('without interfaceAddress, instances meet through the host\'s own interfaces', async (t) => {
  const port = multicastPort()
  const infohash = randomBytes(20)
  const a = await lan(t, { multicastPort: port, port: 4070, interfaceAddress: undefined })
  const b = await lan(t, { multicastPort: port, port: 4071, interfaceAddress: undefined })
  const found = nextEvent(b, 'peer', p => p.port === 4070)
  a.watch(infohash)
  b.watch(infohash)
  assert.equal((await found)[0].infohash, hex(infohash))
})

const ipv6Address = Object.values(networkInterfaces()).flat()
  .find(i => i !== undefined && i.family === 'IPv6' && !i.internal && !/^fe[89ab]/i.test(i.address))?.address

test('two instances find each other over IPv6 multicast', { skip: ipv6Address === undefined && 'no interface with a routable IPv6 address' }, async (t) => {
  const address = ipv6Address ?? ''
  const port = multicastPort()
  const infohash = randomBytes(20)
  const a = await lan(t, { multicastPort: port, port: 4080, interfaceAddress: address })
  const b = await lan(t, { multicastPort: port, port: 4081, interfaceAddress: address })
  const found = nextEvent(b, 'peer')
  a.watch(infohash)
  b.watch(infohash)
  assert.deepEqual(await found, [{ host: address, port: 4080, infohash: hex(infohash) }])
})

/** A socket bound to `address`, sending to the loopback group as a LAN host at that address would. */
async function hostAt (t: TestContext, address: string, port: number): Promise<(datagram: Buffer) => Promise<void>> {
  const socket = dgram.createSocket('udp4')
  t.after(() => new Promise<void>(resolve => { socket.close(resolve) }))
  socket.bind(0, address)
  await once(socket, 'listening')
  socket.setMulticastInterface(LOOPBACK)
  socket.setMulticastLoopback(true)
  return (datagram) => new Promise((resolve, reject) => {
    socket.send(datagram, port, GROUP, (err) => { if (err === null) resolve(); else reject(err) })
  })
}

test('a host announcing many ports is reported for only a few of them, and another host still is', async (t) => {
  const port = multicastPort()
  const infohash = hex(randomBytes(20))
  const d = await lan(t, { multicastPort: port })
  const peers = collect(d)
  d.watch(Buffer.from(infohash, 'hex'))
  const flooder = await hostAt(t, '127.0.0.2', port)
  for (let tcpPort = 2_000; tcpPort < 2_150; tcpPort++) await flooder(lsd(['BT-SEARCH * HTTP/1.1', `Port: ${tcpPort}`, `Infohash: ${infohash}`]))
  const member = await hostAt(t, '127.0.0.3', port)
  await member(lsd(['BT-SEARCH * HTTP/1.1', 'Port: 3000', `Infohash: ${infohash}`]))
  await waitUntil(() => peers.some(p => p.host === '127.0.0.3'), 5_000, 'the other host to be reported')
  assert.deepEqual(peers.filter(p => p.host === '127.0.0.2').map(p => p.port), [2_000, 2_001, 2_002, 2_003])
})
