import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CloseCode } from '../../core/connection/close-codes.ts'
import { Mux } from '../../core/connection/mux.ts'
import { MuxError, Priority, type CloseInfo, type Stream } from '../../core/connection/mux-stream.ts'
import { ACCEPT, CLOSE, CREDIT, encodeData, MIN_WINDOW_BYTES, OBSERVED, OPEN, PING, PROFILE, RESET, type MuxFrame } from '../../core/connection/mux-messages.ts'
import { asyncPair, decodeBody, feed, message, settle, syncPair } from './mux-pair.ts'
import { WireError } from '../../core/wire/codec.ts'

const topic = new Uint8Array(32).fill(3)
const otherTopic = new Uint8Array(32).fill(4)

/** Accepts every incoming stream with `opts`, collecting the streams and what arrives on them. */
function acceptAll (mux: Mux, received: Uint8Array[] = []): Stream[] {
  const streams: Stream[] = []
  mux.on('stream', (stream) => {
    streams.push(stream)
    stream.on('message', (m) => { received.push(Uint8Array.from(m)) })
    mux.accept(stream, { priority: Priority.CHAT })
  })
  return streams
}

/** A mux facing a hand-driven peer: frames we feed it with receive(), frames it sends collected decoded. */
function facingRawPeer (initiator = false): { mux: Mux; sent: MuxFrame[]; closes: CloseInfo[] } {
  const sent: MuxFrame[] = []
  const closes: CloseInfo[] = []
  const mux = new Mux({ initiator, send: (body) => { sent.push(...decodeBody(body)) }, writable: () => true })
  mux.on('close', (info) => { closes.push(info) })
  return { mux, sent, closes }
}

const controls = (frames: MuxFrame[]): string[] => frames.flatMap(f => f.kind === 'control' ? [f.frame.type] : [])

test('an opened stream is raised at the peer with its protocol and topic, and carries messages both ways once accepted', () => {
  const { a, b } = syncPair()
  const atB: Uint8Array[] = []
  const incoming = acceptAll(b, atB)
  const stream = a.open('bitchat/messages/1', topic, { priority: Priority.CHAT })
  assert.equal(stream.status, 'open', 'accepted within open() on a synchronous pair')
  assert.equal(incoming.length, 1)
  const theirs = incoming[0]!
  assert.equal(theirs.protocol, 'bitchat/messages/1')
  assert.deepEqual(theirs.topic, topic)
  assert.equal(theirs.id, stream.id)
  assert.equal(theirs.outgoing, false)
  const atA: Uint8Array[] = []
  stream.on('message', (m) => { atA.push(Uint8Array.from(m)) })
  assert.equal(stream.send(message(10, 0x10, 1)), true)
  assert.equal(theirs.send(message(20, 0x11, 2)), true)
  assert.deepEqual(atB, [message(10, 0x10, 1)])
  assert.deepEqual(atA, [message(20, 0x11, 2)])
})

test('stream ids are odd from the initiator, even from the responder, rising and never reused', () => {
  const { a, b } = syncPair()
  acceptAll(a)
  acceptAll(b)
  const ids: number[] = []
  for (let i = 0; i < 3; i++) {
    const fromA = a.open('p', topic)
    const fromB = b.open('p', otherTopic)
    ids.push(fromA.id, fromB.id)
    fromA.reset(CloseCode.NORMAL)
    fromB.close()
  }
  assert.deepEqual(ids, [1, 2, 3, 4, 5, 6])
  assert.equal(a.streamCount, 0)
  assert.equal(b.streamCount, 0)
})

test('messages queued before the peer accepts go out in order once it does', async () => {
  const pair = asyncPair()
  const atB: Uint8Array[] = []
  let pending: Stream | null = null
  pair.b.on('stream', (stream) => {
    stream.on('message', (m) => { atB.push(Uint8Array.from(m)) })
    pending = stream
  })
  const stream = pair.a.open('p', topic)
  for (let i = 0; i < 5; i++) stream.send(message(100, 0x10, i))
  await settle(pair)
  assert.equal(stream.status, 'opening')
  assert.deepEqual(atB, [])
  pair.b.accept(pending!)
  await settle(pair)
  assert.deepEqual(atB.map(m => m[1]), [0, 1, 2, 3, 4])
  assert.equal(stream.status, 'open')
})

test('a stream closed before the peer accepts it still delivers what was queued', async () => {
  const pair = asyncPair()
  const atB: Uint8Array[] = []
  const incoming = acceptAll(pair.b, atB)
  const stream = pair.a.open('p', topic)
  stream.send(message(100, 0x10, 1))
  stream.close(CloseCode.NORMAL, 'done')
  assert.equal(stream.status, 'closing')
  await settle(pair)
  assert.deepEqual(atB.map(m => m[1]), [1])
  assert.equal(stream.status, 'closed')
  assert.equal(incoming[0]!.closeInfo?.text, 'done')
})

test('the owner resets an OPEN it does not want, and the opener learns the code and text', () => {
  const { a, b } = syncPair()
  b.on('stream', (stream) => { b.reset(stream, CloseCode.NOT_JOINED, 'no such channel here') })
  const stream = a.open('bitchat/pex/1', topic)
  let closed: CloseInfo | null = null
  stream.on('close', (info) => { closed = info })
  assert.equal(stream.status, 'closed')
  assert.deepEqual(stream.closeInfo, { code: CloseCode.NOT_JOINED, wireCode: CloseCode.NOT_JOINED, text: 'no such channel here', remote: true })
  assert.equal(closed, null, 'closed before a listener could be added: the status and closeInfo tell')
  assert.throws(() => stream.send(message(5)), (err: unknown) => err instanceof MuxError && err.code === 'STREAM_CLOSED')
})

test('close() sends what is queued, then ends the stream with its code at both ends', async () => {
  const pair = asyncPair({ capacity: 1 })
  const atB: Uint8Array[] = []
  const incoming = acceptAll(pair.b, atB)
  const stream = pair.a.open('p', topic)
  for (let i = 0; i < 4; i++) stream.send(message(1000, 0x10, i))
  stream.close(CloseCode.LEFT_CHANNEL, 'left')
  assert.equal(stream.status, 'closing')
  assert.throws(() => stream.send(message(5)), (err: unknown) => err instanceof MuxError && err.code === 'STREAM_CLOSED')
  await settle(pair)
  assert.deepEqual(atB.map(m => m[1]), [0, 1, 2, 3])
  assert.equal(stream.status, 'closed')
  assert.deepEqual(incoming[0]!.closeInfo, { code: CloseCode.LEFT_CHANNEL, wireCode: 4, text: 'left', remote: true })
  assert.equal(pair.a.streamCount + pair.b.streamCount, 0)
})

for (const order of ['initiator first', 'responder first'] as const) {
  test(`crossing OPENs for one protocol and topic keep the initiator's stream at both ends (${order} in the pipe)`, async () => {
    const pair = asyncPair()
    const raisedAtA: Stream[] = []
    const raisedAtB: Stream[] = []
    pair.a.on('stream', (s) => { raisedAtA.push(s); pair.a.accept(s) })
    pair.b.on('stream', (s) => { raisedAtB.push(s); pair.b.accept(s) })
    let fromA: Stream
    let fromB: Stream
    if (order === 'initiator first') {
      fromA = pair.a.open('bitchat/messages/1', topic)
      fromB = pair.b.open('bitchat/messages/1', topic)
    } else {
      fromB = pair.b.open('bitchat/messages/1', topic)
      fromA = pair.a.open('bitchat/messages/1', topic)
    }
    await settle(pair)
    assert.equal(fromA.status, 'open')
    assert.equal(fromB.status, 'closed')
    assert.equal(fromB.closeInfo?.code, CloseCode.DUPLICATE)
    assert.deepEqual(raisedAtA, [], 'the initiator never raises the responder\'s crossing stream')
    assert.deepEqual(raisedAtB.map(s => [s.id, s.status]), [[fromA.id, 'open']])
    assert.equal(pair.a.streamCount, 1)
    assert.equal(pair.b.streamCount, 1)
    const atB: Uint8Array[] = []
    raisedAtB[0]!.on('message', (m) => { atB.push(Uint8Array.from(m)) })
    fromA.send(message(8))
    await settle(pair)
    assert.equal(atB.length, 1)
    assert.equal(pair.a.closed || pair.b.closed, false)
  })
}

test('OPENs crossing with different topics both stay', async () => {
  const pair = asyncPair()
  acceptAll(pair.a)
  acceptAll(pair.b)
  const fromA = pair.a.open('bitchat/messages/1', topic)
  const fromB = pair.b.open('bitchat/messages/1', otherTopic)
  await settle(pair)
  assert.deepEqual([fromA.status, fromB.status], ['open', 'open'])
  assert.equal(pair.a.streamCount, 2)
})

test('an OPEN beyond the incoming stream limit is reset as OVERLOADED, and a closed stream frees its place', () => {
  const { a, b } = syncPair({ limits: { maxIncomingStreams: 3 } })
  const incoming = acceptAll(b)
  const streams = Array.from({ length: 4 }, (_, i) => a.open(`p${i}`, topic))
  assert.deepEqual(streams.map(s => s.status), ['open', 'open', 'open', 'closed'])
  assert.equal(streams[3]!.closeInfo?.code, CloseCode.OVERLOADED)
  assert.equal(incoming.length, 3)
  streams[0]!.close()
  assert.equal(a.open('p4', topic).status, 'open')
  assert.equal(a.closed || b.closed, false)
})

test('open() beyond the outgoing limit throws, and bad names, topics and windows are refused', () => {
  const { a } = syncPair({ limits: { maxOutgoingStreams: 2 } })
  a.open('p', topic)
  a.open('p', topic)
  assert.throws(() => a.open('p', topic), (err: unknown) => err instanceof MuxError && err.code === 'TOO_MANY_STREAMS')
  const { a: fresh } = syncPair()
  assert.throws(() => fresh.open('', topic), RangeError)
  assert.throws(() => fresh.open('x'.repeat(65), topic), RangeError)
  assert.throws(() => fresh.open('p', new Uint8Array(16)), RangeError)
  assert.throws(() => fresh.open('p', topic, { window: MIN_WINDOW_BYTES - 1 }), RangeError)
  assert.throws(() => fresh.open('p', topic, { window: 17 * 1024 * 1024 }), RangeError)
  assert.throws(() => fresh.open('p', topic, { priority: Priority.CONTROL as never }), RangeError)
})

test('every close code and its text round-trip through CLOSE, and every stream ends with the connection', () => {
  for (const code of Object.values(CloseCode)) {
    const { a, b } = syncPair()
    const incoming = acceptAll(b)
    const stream = a.open('p', topic)
    const atB: CloseInfo[] = []
    b.on('close', (info) => { atB.push(info) })
    a.close(code, `code ${code} ✓`)
    assert.deepEqual(atB, [{ code, wireCode: code, text: `code ${code} ✓`, remote: true }])
    assert.deepEqual(a.closeInfo, { code, wireCode: code, text: `code ${code} ✓`, remote: false })
    assert.equal(stream.closeInfo?.code, code)
    assert.equal(incoming[0]!.closeInfo?.code, code)
    assert.throws(() => a.open('p', topic), (err: unknown) => err instanceof MuxError && err.code === 'MUX_CLOSED')
  }
})

test('every close code round-trips through RESET', () => {
  for (const code of Object.values(CloseCode)) {
    const { a, b } = syncPair()
    const incoming = acceptAll(b)
    const stream = a.open('p', topic)
    stream.reset(code, 'why')
    assert.deepEqual(incoming[0]!.closeInfo, { code, wireCode: code, text: 'why', remote: true })
  }
})

test('a close code this version does not know arrives as NORMAL with the number kept', () => {
  const { mux, closes } = facingRawPeer()
  feed(mux, CLOSE.encode({ code: 77, text: 'from the future' }))
  assert.deepEqual(closes, [{ code: CloseCode.NORMAL, wireCode: 77, text: 'from the future', remote: true }])
})

test('text longer than 256 bytes is cut at a character boundary', () => {
  const { a, b } = syncPair()
  const atB: CloseInfo[] = []
  b.on('close', (info) => { atB.push(info) })
  a.close(CloseCode.NORMAL, 'é'.repeat(200))
  assert.equal(atB[0]!.text, 'é'.repeat(128))
})

test('PING is answered with PONG and raises the round-trip time on the injected clock', () => {
  let now = 1000
  const pair = asyncPair({ now: () => now })
  const rtts: number[] = []
  pair.a.on('rtt', (ms) => { rtts.push(ms) })
  pair.a.ping()
  now += 42
  return settle(pair).then(() => { assert.deepEqual(rtts, [42]) })
})

test('PINGs that pile up while we cannot write are answered once, with the latest nonce', () => {
  let writable = false
  const sent: MuxFrame[] = []
  const mux = new Mux({ initiator: false, send: (body) => { sent.push(...decodeBody(body)) }, writable: () => writable })
  for (let nonce = 1; nonce <= 10_000; nonce++) feed(mux, PING.encode({ nonce }))
  writable = true
  mux.drained()
  assert.deepEqual(sent, [{ kind: 'control', frame: { type: 'pong', nonce: 10_000 } }])
  assert.equal(mux.closed, false)
})

test('PROFILE and OBSERVED are raised with what they carry', () => {
  const { a, b } = syncPair()
  const profiles: Uint8Array[] = []
  const observed: string[] = []
  b.on('profile', (record) => { profiles.push(record) })
  b.on('observed', (address) => { observed.push(address) })
  a.sendProfile(Uint8Array.of(1, 2, 3))
  a.sendObserved('198.51.100.7:40000')
  assert.deepEqual(profiles, [Uint8Array.of(1, 2, 3)])
  assert.deepEqual(observed, ['198.51.100.7:40000'])
})

test('a peer that keeps us queueing control frames while it does not read is closed as OVERLOADED', () => {
  const sent: MuxFrame[] = []
  let writable = false
  const mux = new Mux({ initiator: false, send: (body) => { sent.push(...decodeBody(body)) }, writable: () => writable, limits: { maxIncomingStreams: 0, maxControlQueueBytes: 4096 } })
  for (let id = 1; id < 2000 && !mux.closed; id += 2) feed(mux, OPEN.encode({ id, protocol: 'p', topic, credit: MIN_WINDOW_BYTES }))
  assert.equal(mux.closeInfo?.code, CloseCode.OVERLOADED)
  writable = true
  assert.deepEqual(controls(sent), ['close'])
})

test('destroy() ends every stream and sends nothing', () => {
  const { mux, sent } = facingRawPeer(true)
  const stream = mux.open('p', topic)
  sent.length = 0
  mux.destroy(CloseCode.TIMED_OUT, 'no answer')
  assert.deepEqual(sent, [])
  assert.equal(stream.closeInfo?.code, CloseCode.TIMED_OUT)
})

test('frames for a stream that already ended are dropped, not errors: they were in flight', () => {
  const { mux, sent, closes } = facingRawPeer()
  mux.on('stream', (s) => { mux.accept(s) })
  feed(mux, OPEN.encode({ id: 1, protocol: 'p', topic, credit: MIN_WINDOW_BYTES }))
  feed(mux, encodeData(1, message(10)))
  feed(mux, RESET.encode({ id: 1, code: 0, text: '' }))
  const ours = mux.open('p', topic)
  ours.reset(CloseCode.NORMAL)
  for (const frame of [encodeData(1, message(10)), RESET.encode({ id: 1, code: 0, text: '' }), CREDIT.encode({ id: 1, bytes: 9 }), ACCEPT.encode({ id: ours.id, credit: MIN_WINDOW_BYTES }), encodeData(ours.id, message(3))]) feed(mux, frame)
  assert.deepEqual(closes, [])
  assert.ok(sent.length > 0)
})

const protocolErrors: Array<[string, (mux: Mux) => void]> = [
  ['a malformed frame', (mux) => { feed(mux, Uint8Array.of(0x00, 0x04, 0x01)) }],
  ['an unknown control type', (mux) => { feed(mux, Uint8Array.of(0x00, 0x42)) }],
  ['data on a stream never opened', (mux) => { feed(mux, encodeData(9, message(4))) }],
  ['RESET of a stream never opened', (mux) => { feed(mux, RESET.encode({ id: 9, code: 0, text: '' })) }],
  ['an OPEN with an id of the receiver\'s parity', (mux) => { feed(mux, OPEN.encode({ id: 2, protocol: 'p', topic, credit: MIN_WINDOW_BYTES })) }],
  ['an OPEN whose id is not above the last one', (mux) => {
    feed(mux, OPEN.encode({ id: 5, protocol: 'p', topic, credit: MIN_WINDOW_BYTES }))
    feed(mux, OPEN.encode({ id: 3, protocol: 'p', topic, credit: MIN_WINDOW_BYTES }))
  }],
  ['an ACCEPT of a stream the peer opened', (mux) => {
    feed(mux, OPEN.encode({ id: 1, protocol: 'p', topic, credit: MIN_WINDOW_BYTES }))
    feed(mux, ACCEPT.encode({ id: 1, credit: MIN_WINDOW_BYTES }))
  }],
  ['data before the receiver accepted the stream', (mux) => {
    feed(mux, OPEN.encode({ id: 1, protocol: 'p', topic, credit: MIN_WINDOW_BYTES }))
    feed(mux, encodeData(1, message(1)))
  }],
  ['data on our stream before the peer accepted it', (mux) => {
    const stream = mux.open('p', topic)
    feed(mux, encodeData(stream.id, message(1)))
  }],
  ['a second ACCEPT', (mux) => {
    const stream = mux.open('p', topic)
    feed(mux, ACCEPT.encode({ id: stream.id, credit: MIN_WINDOW_BYTES }))
    feed(mux, ACCEPT.encode({ id: stream.id, credit: MIN_WINDOW_BYTES }))
  }],
  ['an ACCEPT offering less than one largest message', (mux) => {
    const stream = mux.open('p', topic)
    feed(mux, Uint8Array.of(0x00, 0x05, stream.id, 0x01))
  }],
  ['credit beyond 2^53', (mux) => {
    const stream = mux.open('p', topic)
    feed(mux, ACCEPT.encode({ id: stream.id, credit: Number.MAX_SAFE_INTEGER }))
    feed(mux, CREDIT.encode({ id: stream.id, bytes: 1 }))
  }]
]

for (const [what, act] of protocolErrors) {
  test(`${what} ends the connection with PROTOCOL_ERROR, told to the peer`, () => {
    const { mux, sent, closes } = facingRawPeer()
    act(mux)
    assert.equal(closes.length, 1)
    assert.equal(closes[0]!.code, CloseCode.PROTOCOL_ERROR)
    assert.equal(closes[0]!.remote, false)
    const last = sent.at(-1)
    assert.ok(last?.kind === 'control' && last.frame.type === 'close' && last.frame.code === CloseCode.PROTOCOL_ERROR, `sent ${JSON.stringify(controls(sent))}`)
    feed(mux, PROFILE.encode({ record: Uint8Array.of(1) }))
    feed(mux, OBSERVED.encode({ address: 'x' }))
    assert.equal(closes.length, 1, 'nothing more happens after the end')
  })
}

test('every body handed on starts with the prefix, control and data alike', () => {
  const bodies: Uint8Array[] = []
  const mux = new Mux({ initiator: true, bodyPrefix: Uint8Array.of(0x00), send: (body) => { bodies.push(body) }, writable: () => true })
  const stream = mux.open('p', topic)
  feed(mux, ACCEPT.encode({ id: stream.id, credit: 100_000 }))
  stream.send(message(20))
  stream.send(message(20_000))
  mux.close(CloseCode.NORMAL)
  assert.ok(bodies.length >= 3)
  const types: string[] = []
  for (const body of bodies) {
    assert.equal(body[0], 0x00)
    for (const frame of decodeBody(body.subarray(1))) types.push(frame.kind === 'data' ? `data ${frame.message.length}` : frame.frame.type)
  }
  assert.deepEqual(types, ['open', 'data 20', 'data 20000', 'close'])
})

test('with a deferred flush nothing leaves until the deferred call runs, then it all leaves together', () => {
  const deferred: Array<() => void> = []
  const bodies: Uint8Array[] = []
  const mux = new Mux({ initiator: true, send: (body) => { bodies.push(body) }, writable: () => true, defer: (flush) => { deferred.push(flush) } })
  const stream = mux.open('p', topic)
  mux.ping()
  assert.equal(bodies.length, 0)
  assert.equal(deferred.length, 1, 'one deferred flush for everything asked in one go')
  deferred.shift()!()
  assert.deepEqual(bodies.flatMap(b => decodeBody(b)).map(f => f.kind === 'control' && f.frame.type), ['open', 'ping'])
  assert.equal(bodies.length, 1)
  assert.equal(stream.status, 'opening')
})

test('an opened stream raises open once the peer accepts it', async () => {
  const pair = asyncPair()
  acceptAll(pair.b)
  const stream = pair.a.open('p', topic)
  assert.equal(stream.status, 'opening')
  await new Promise<void>(resolve => { stream.once('open', () => { resolve() }) })
  assert.equal(stream.status, 'open')
})

test('what a message listener throws reaches the caller of receive() and is not taken for the peer\'s fault', () => {
  const { mux, closes } = facingRawPeer()
  mux.on('stream', (s) => {
    s.on('message', () => { throw new WireError('the protocol above could not read this') })
    mux.accept(s)
  })
  feed(mux, OPEN.encode({ id: 1, protocol: 'p', topic, credit: MIN_WINDOW_BYTES }))
  assert.throws(() => { feed(mux, encodeData(1, message(10))) }, /the protocol above could not read this/)
  assert.deepEqual(closes, [])
})
