// UDP streams between two endpoints on loopback (udx-native, real sockets): set up by OPEN and
// ACCEPT, carrying a Noise connection like any transport, sharing the socket with other datagrams.
import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { once } from 'node:events'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { Connection } from '../../core/connection/connection.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import type { Stream } from '../../core/connection/mux-stream.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { silentLogger } from '../../core/log.ts'
import type { RawStream } from '../../core/transport/raw-stream.ts'
import { decodeUdpControl, encodeUdpControl, OPEN, PROBE, REFUSE } from '../../core/transport/udp-control.ts'
import { UdpEndpoint } from '../../core/transport/udp-endpoint.ts'
import { MAX_HELD_BYTES, MAX_HELD_IN_ALL } from '../../core/transport/udx-stream.ts'
import { FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { nextEvent } from '../helpers/wait.ts'

function endpoint (t: TestContext, opts: { onDatagram?: (d: Uint8Array, from: { host: string; port: number }) => void; admits?: () => boolean } = {}): { endpoint: UdpEndpoint; inbound: RawStream[] } {
  const inbound: RawStream[] = []
  const e = UdpEndpoint.bind(0, '127.0.0.1', { onStream: s => { inbound.push(s) }, admits: opts.admits, log: silentLogger })
  const onDatagram = opts.onDatagram
  if (onDatagram !== undefined) e.datagrams.on('message', (d, from) => { onDatagram(d, { host: from.address, port: from.port }) })
  t.after(() => e.close())
  return { endpoint: e, inbound }
}

test('a dial gets a stream that carries bytes both ways, and the listener gets its other end', async t => {
  const a = endpoint(t)
  const b = endpoint(t)
  const stream = await a.endpoint.transport.dial({ kind: 'udp', host: '127.0.0.1', port: b.endpoint.port }, { timeoutMs: 5_000 })
  assert.equal(stream.kind, 'udp')
  assert.deepEqual(stream.remote, { host: '127.0.0.1', port: b.endpoint.port })
  const [other] = await waitUntil(() => b.inbound.length === 1 && b.inbound, 5_000, 'the inbound stream')
  assert.deepEqual(other!.remote, { host: '127.0.0.1', port: a.endpoint.port })

  const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251)
  const got: Uint8Array[] = []
  other!.on('data', chunk => { got.push(new Uint8Array(chunk)) })
  stream.write([big])
  await waitUntil(() => got.reduce((n, c) => n + c.length, 0) === big.length, 20_000, 'the 3 MiB')
  assert.deepEqual(Buffer.concat(got), Buffer.from(big))
  const back = nextEvent(stream, 'data')
  other!.write([Uint8Array.of(1, 2, 3)])
  assert.deepEqual([...(await back)[0]], [1, 2, 3])
  stream.destroy()
  await nextEvent(other!, 'close')
})

test('a Noise connection runs over a UDP stream as over TCP', async t => {
  const a = endpoint(t)
  const b = endpoint(t)
  const psk = new Uint8Array(32).fill(4)
  const stream = await a.endpoint.transport.dial({ kind: 'udp', host: '127.0.0.1', port: b.endpoint.port }, { timeoutMs: 5_000 })
  const [inbound] = await waitUntil(() => b.inbound.length === 1 && b.inbound, 5_000, 'the inbound stream')
  const ca = new Connection({ stream, initiator: true, identity: generateIdentity(), psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
  const cb = new Connection({ stream: inbound!, initiator: false, identity: generateIdentity(), psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
  t.after(() => { ca.close(CloseCode.NORMAL); cb.close(CloseCode.NORMAL) })
  await Promise.all([nextEvent(ca, 'established'), nextEvent(cb, 'established')])
  const received: Uint8Array[] = []
  cb.on('stream', (s: Stream) => {
    s.on('message', (m: Uint8Array) => { received.push(new Uint8Array(m)) })
    cb.accept(s)
  })
  const s = ca.open('test/udp/1', new Uint8Array(0))
  await once(s, 'open')
  for (let i = 0; i < 100; i++) s.send(Uint8Array.of(0x10, i))
  await waitUntil(() => received.length === 100, 10_000, 'every message')
  assert.deepEqual(received.map(m => m[1]), Array.from({ length: 100 }, (_, i) => i))
})

test('an OPEN sent again (its ACCEPT lost) gets the same answer, not a second stream', async t => {
  const b = endpoint(t)
  const raw = dgram.createSocket('udp4')
  t.after(() => { raw.close() })
  raw.bind(0, '127.0.0.1')
  await once(raw, 'listening')
  const nonce = new Uint8Array(16).fill(3)
  const open = encodeUdpControl({ type: OPEN, streamId: 42, nonce })
  const answers: Uint8Array[] = []
  raw.on('message', m => { answers.push(new Uint8Array(m)) })
  raw.send(open, b.endpoint.port, '127.0.0.1')
  await waitUntil(() => answers.length === 1, 5_000, 'the ACCEPT')
  raw.send(open, b.endpoint.port, '127.0.0.1')
  await waitUntil(() => answers.length === 2, 5_000, 'the ACCEPT again')
  assert.deepEqual(answers[0], answers[1])
  assert.equal(b.inbound.length, 1)
  assert.equal(decodeUdpControl(answers[0]!)?.type, 2)
})

test('a flood of OPENs from one source is refused BUSY after a few, without a stream each', async t => {
  const b = endpoint(t)
  const raw = dgram.createSocket('udp4')
  t.after(() => { raw.close() })
  raw.bind(0, '127.0.0.1')
  await once(raw, 'listening')
  const answers: Uint8Array[] = []
  raw.on('message', m => { answers.push(new Uint8Array(m)) })
  for (let i = 0; i < 50; i++) raw.send(encodeUdpControl({ type: OPEN, streamId: i + 1, nonce: new Uint8Array(16).fill(i) }), b.endpoint.port, '127.0.0.1')
  await waitUntil(() => answers.length === 50, 5_000, 'an answer to each')
  const refused = answers.filter(a => decodeUdpControl(a)?.type === REFUSE).length
  assert.ok(refused >= 35, `${refused} of 50 refused`)
  assert.equal(b.inbound.length, 50 - refused)
})

test('other datagrams on the socket are handed on, copied; a dial to nobody fails at its timeout', async t => {
  const seen: Array<{ text: string; port: number }> = []
  const b = endpoint(t, { onDatagram: (d, from) => { seen.push({ text: new TextDecoder().decode(d), port: from.port }) } })
  const a = endpoint(t)
  a.endpoint.send(new TextEncoder().encode('d1:y1:qe'), b.endpoint.port, '127.0.0.1')
  a.endpoint.send(new TextEncoder().encode('d1:y1:re'), b.endpoint.port, '127.0.0.1')
  await waitUntil(() => seen.length === 2, 5_000, 'both datagrams')
  assert.deepEqual(seen, [{ text: 'd1:y1:qe', port: a.endpoint.port }, { text: 'd1:y1:re', port: a.endpoint.port }])

  const silent = dgram.createSocket('udp4')
  t.after(() => { silent.close() })
  silent.bind(0, '127.0.0.1')
  await once(silent, 'listening')
  await assert.rejects(a.endpoint.transport.dial({ kind: 'udp', host: '127.0.0.1', port: silent.address().port }, { timeoutMs: 600 }), /no answer over UDP after 600 ms/)
})

test('probes of a punch are answered and reported both ways; probes with a token nobody expects get nothing back', async t => {
  const a = endpoint(t)
  const b = endpoint(t)
  const token = new Uint8Array(16).fill(7)
  const atA: Array<{ host: string; port: number }> = []
  const atB: Array<{ host: string; port: number }> = []
  a.endpoint.expectProbes(token, from => { atA.push(from) })
  const stopB = b.endpoint.expectProbes(token, from => { atB.push(from) })
  a.endpoint.probe(token, { host: '127.0.0.1', port: b.endpoint.port })
  await waitUntil(() => atA.length === 1 && atB.length === 1, 5_000, 'the probe and its answer')
  assert.deepEqual(atB, [{ host: '127.0.0.1', port: a.endpoint.port }])
  assert.deepEqual(atA, [{ host: '127.0.0.1', port: b.endpoint.port }])

  const raw = dgram.createSocket('udp4')
  t.after(() => { raw.close() })
  raw.bind(0, '127.0.0.1')
  await once(raw, 'listening')
  const answers: Buffer[] = []
  raw.on('message', m => { answers.push(m) })
  raw.send(encodeUdpControl({ type: PROBE, nonce: new Uint8Array(16).fill(8), reply: false }), b.endpoint.port, '127.0.0.1')
  stopB()
  raw.send(encodeUdpControl({ type: PROBE, nonce: token, reply: false }), b.endpoint.port, '127.0.0.1')
  // A probe that is answered comes back within a millisecond on loopback; a round trip to A proves B has read both.
  a.endpoint.probe(token, { host: '127.0.0.1', port: b.endpoint.port })
  await new Promise(resolve => setTimeout(resolve, 200))
  assert.equal(answers.length, 0, 'an unknown token, and one no longer expected, are not answered')
  assert.equal(atB.length, 1)
})

test('a retired endpoint keeps its streams, refuses new ones, and closes after the last', async t => {
  const a = endpoint(t)
  const b = endpoint(t)
  const stream = await a.endpoint.transport.dial({ kind: 'udp', host: '127.0.0.1', port: b.endpoint.port }, { timeoutMs: 5_000 })
  const [other] = await waitUntil(() => b.inbound.length === 1 && b.inbound, 5_000, 'the inbound stream')
  const retired = b.endpoint.retire()
  await assert.rejects(a.endpoint.transport.dial({ kind: 'udp', host: '127.0.0.1', port: b.endpoint.port }, { timeoutMs: 3_000 }), /refused a UDP stream \(code 2\)/)
  const got = nextEvent(other!, 'data')
  stream.write([Uint8Array.of(9, 9)])
  assert.deepEqual([...(await got)[0]], [9, 9])
  let done = false
  void retired.then(() => { done = true })
  await new Promise(resolve => setTimeout(resolve, 50))
  assert.equal(done, false, 'still open while a stream lives')
  stream.destroy()
  await retired
})

test('a paused UDP stream holds what arrives and hands it on in order when resumed; a sender past the bound is dropped', async t => {
  const a = endpoint(t)
  const b = endpoint(t)
  const stream = await a.endpoint.transport.dial({ kind: 'udp', host: '127.0.0.1', port: b.endpoint.port }, { timeoutMs: 5_000 })
  const [other] = await waitUntil(() => b.inbound.length === 1 && b.inbound, 5_000, 'the inbound stream')
  const got: Uint8Array[] = []
  other!.on('data', chunk => { got.push(new Uint8Array(chunk)) })
  other!.pause()
  const first = new Uint8Array(1024 * 1024).map((_, i) => i % 253)
  stream.write([first])
  await new Promise(resolve => setTimeout(resolve, 300))
  assert.equal(got.length, 0, 'nothing while paused')
  other!.resume()
  assert.deepEqual(Buffer.concat(got), Buffer.from(first), 'all of it, in order, on resume')

  other!.pause()
  const closed = nextEvent(other!, 'close')
  const chunk = new Uint8Array(1024 * 1024)
  for (let i = 0; i <= MAX_HELD_BYTES / chunk.length; i++) stream.write([chunk])
  const [error] = await closed
  assert.match(String(error), /while asked to wait/)
})

test('an endpoint that admits nobody from there refuses the OPEN before making a stream', async t => {
  const a = endpoint(t)
  const b = endpoint(t, { admits: () => false })
  await assert.rejects(a.endpoint.transport.dial({ kind: 'udp', host: '127.0.0.1', port: b.endpoint.port }, { timeoutMs: 3_000 }), /refused a UDP stream \(code 2\)/)
  assert.equal(b.inbound.length, 0)
  assert.equal(b.endpoint.streams, 0)
})

test('paused UDP streams together hold no more than the bound for all: the stream past it is dropped', async t => {
  const a = endpoint(t)
  const b = endpoint(t)
  const perStream = MAX_HELD_BYTES - 1024 * 1024
  const streams = Math.ceil(MAX_HELD_IN_ALL / perStream) + 1
  const chunk = new Uint8Array(1024 * 1024)
  const closed: Array<Error | null> = []
  for (let i = 0; i < streams; i++) {
    const stream = await a.endpoint.transport.dial({ kind: 'udp', host: '127.0.0.1', port: b.endpoint.port }, { timeoutMs: 5_000 })
    const [other] = await waitUntil(() => b.inbound.length === i + 1 && b.inbound.slice(i), 5_000, 'the inbound stream')
    other!.pause()
    other!.on('close', (err) => { closed.push(err) })
    const held = new Promise<void>(resolve => { const timer = setInterval(() => { if (other!.destroyed || (other as unknown as { bufferedBytes: number }) !== null) { clearInterval(timer); resolve() } }, 10) })
    for (let j = 0; j < perStream / chunk.length; j++) stream.write([chunk])
    await held
    await new Promise(resolve => setTimeout(resolve, 300))
  }
  await waitUntil(() => closed.length >= 1, 10_000, 'a stream past the bound for all to be dropped')
  assert.match(String(closed[0]), /while asked to wait/)
})

test('a UDP dial called off stops sending OPENs and fails at once', async t => {
  const a = endpoint(t)
  const silent = dgram.createSocket('udp4')
  t.after(() => { silent.close() })
  silent.bind(0, '127.0.0.1')
  await once(silent, 'listening')
  let opens = 0
  silent.on('message', () => { opens++ })
  const wanted = new AbortController()
  const dialling = a.endpoint.transport.dial({ kind: 'udp', host: '127.0.0.1', port: silent.address().port }, { timeoutMs: 5_000, signal: wanted.signal })
  await new Promise(resolve => setTimeout(resolve, 100))
  wanted.abort()
  await assert.rejects(dialling, /called off/)
  const sent = opens
  await new Promise(resolve => setTimeout(resolve, 600))
  assert.equal(opens, sent, 'no OPEN after the dial was called off')
})
