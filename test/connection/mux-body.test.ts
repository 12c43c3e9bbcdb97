import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BodyWriter, encodeBody, framesOf, GATHER_BELOW_BYTES, MAX_DATA_BODY_BYTES } from '../../core/connection/mux-body.ts'
import { encodeData, MAX_MESSAGE_BYTES, PING } from '../../core/connection/mux-messages.ts'
import { Priority } from '../../core/connection/mux-stream.ts'
import { MAX_PLAINTEXT } from '../../core/session/secure-connection.ts'
import { WireError } from '../../core/wire/codec.ts'
import { asyncPair, message, settle } from './mux-pair.ts'

const isWireError = (err: unknown): boolean => err instanceof WireError
const PREFIX = Uint8Array.of(0x00)

function writer (): { w: BodyWriter; bodies: Uint8Array[] } {
  const bodies: Uint8Array[] = []
  return { w: new BodyWriter(PREFIX, (body) => { bodies.push(body) }), bodies }
}

/** The frames of bodies written behind PREFIX. */
const framesIn = (bodies: Uint8Array[]): Uint8Array[] => bodies.flatMap(b => {
  assert.equal(b[0], 0x00)
  return [...framesOf(b.subarray(1))].map(f => Uint8Array.from(f))
})

test('small frames made together share one body, each behind its length', () => {
  const { w, bodies } = writer()
  const frames = [PING.encode({ nonce: 1 }), encodeData(3, message(100)), encodeData(300, message(2000))]
  w.frame(frames[0]!)
  w.data(3, message(100))
  w.data(300, message(2000))
  assert.equal(bodies.length, 0, 'small frames wait for flush()')
  w.flush()
  assert.equal(bodies.length, 1)
  assert.deepEqual(framesIn(bodies), frames)
  assert.equal(bodies[0]!.length, 1 + (1 + 3) + (1 + 101) + (2 + 2002))
  w.flush()
  assert.equal(bodies.length, 1, 'nothing more to flush')
})

test('room asked for after each body is left free behind its last frame, for small and large bodies alike', () => {
  const bodies: Uint8Array[] = []
  const prefix = Uint8Array.of(0xaa, 0xbb, 0x00)
  const w = new BodyWriter(prefix, (body) => { bodies.push(body) }, 16)
  w.data(1, message(10))
  w.flush()
  w.data(3, message(GATHER_BELOW_BYTES))
  assert.deepEqual(bodies.map(b => b.length), [3 + (1 + 1 + 10) + 16, 3 + (2 + 1 + GATHER_BELOW_BYTES) + 16])
  const frames = bodies.flatMap(b => {
    assert.deepEqual(b.subarray(0, 3), prefix)
    return [...framesOf(b.subarray(3, b.length - 16))].map(f => Uint8Array.from(f))
  })
  assert.deepEqual(frames, [encodeData(1, message(10)), encodeData(3, message(GATHER_BELOW_BYTES))])
})

test('the largest body still fits one transport frame with the room for its frame header and tag', () => {
  const bodies: Uint8Array[] = []
  const w = new BodyWriter(Uint8Array.of(0, 0, 0x00), (body) => { bodies.push(body) }, 16)
  for (let i = 0; i < 40; i++) w.data(1, message(GATHER_BELOW_BYTES - 1, 0x10, i))
  w.data(Number.MAX_SAFE_INTEGER, message(MAX_MESSAGE_BYTES))
  w.flush()
  for (const body of bodies) assert.ok(body.length - 2 - 16 <= MAX_PLAINTEXT, `${body.length}`)
})

test('a large frame leaves at once, with the small frames before it in the same body', () => {
  const { w, bodies } = writer()
  w.data(1, message(10))
  w.data(3, message(GATHER_BELOW_BYTES))
  assert.equal(bodies.length, 1)
  assert.deepEqual(framesIn(bodies), [encodeData(1, message(10)), encodeData(3, message(GATHER_BELOW_BYTES))])
  assert.equal(w.pending, false)
})

test('no body passes the transport limit: a full one goes before the frame that would not fit', () => {
  const { w, bodies } = writer()
  for (let i = 0; i < 40; i++) w.data(1, message(GATHER_BELOW_BYTES - 1, 0x10, i))
  w.data(1, message(MAX_MESSAGE_BYTES))
  w.flush()
  for (const body of bodies) assert.ok(body.length <= 1 + MAX_DATA_BODY_BYTES && body.length <= MAX_PLAINTEXT, `${body.length}`)
  assert.deepEqual(framesIn(bodies).map(f => f.length), [...Array.from({ length: 40 }, () => GATHER_BELOW_BYTES), MAX_MESSAGE_BYTES + 1])
})

test('the largest frame fits one body with its length and the DATA type byte', () => {
  const { w, bodies } = writer()
  w.data(Number.MAX_SAFE_INTEGER, message(MAX_MESSAGE_BYTES))
  assert.equal(bodies.length, 1)
  assert.ok(bodies[0]!.length <= MAX_PLAINTEXT)
})

test('every cut of a body inside a frame is rejected; a cut between frames is a shorter body', () => {
  const frames = [PING.encode({ nonce: 5 }), encodeData(7, message(200)), encodeData(9, message(3))]
  const body = encodeBody(frames)
  const boundaries = [4, 4 + 2 + 201]
  for (let length = 0; length < body.length; length++) {
    const cut = body.subarray(0, length)
    const whole = boundaries.indexOf(length)
    if (whole >= 0) assert.deepEqual([...framesOf(cut)], frames.slice(0, whole + 1))
    else assert.throws(() => [...framesOf(cut)], isWireError, `cut to ${length} of ${body.length}`)
  }
})

test('a zero, non-minimal or overlong frame length is rejected', () => {
  for (const bad of [Uint8Array.of(0x00), Uint8Array.of(0x81, 0x00, 0x00), Uint8Array.of(0x80, 0x80, 0x80, 0x01), new Uint8Array(0)]) {
    assert.throws(() => [...framesOf(bad)], isWireError, Buffer.from(bad).toString('hex'))
  }
})

test('a burst of small messages through a mux with deferred flushes takes a handful of transport frames, not one each', async () => {
  const pair = asyncPair({ capacity: 2, defer: queueMicrotask })
  const received: number[] = []
  pair.b.on('stream', (s) => {
    s.on('message', (m) => { received.push(m[1]!) })
    pair.b.accept(s, { window: 1 << 20 })
  })
  const stream = pair.a.open('p', new Uint8Array(0), { priority: Priority.CHAT })
  await settle(pair)
  const before = pair.ab.bodies
  for (let i = 0; i < 2000; i++) stream.send(message(200, 0x10, i % 256))
  await settle(pair)
  assert.deepEqual(received, Array.from({ length: 2000 }, (_, i) => i % 256))
  const bodies = pair.ab.bodies - before
  assert.ok(bodies <= Math.ceil(2000 * 203 / MAX_DATA_BODY_BYTES) + 2, `${bodies} transport frames for 2000 messages`)
})

test('with small bulk messages saturating the transport, a chat message waits for at most one body of them', async () => {
  const pair = asyncPair({ capacity: 1, limits: { maxQueuedBytes: 16 << 20 } })
  let bulkBytes = 0
  let chatSeenAfter = -1
  pair.b.on('stream', (s) => {
    s.on('message', (m) => {
      if (s.protocol === 'bulk') bulkBytes += m.length
      else chatSeenAfter = bulkBytes
    })
    pair.b.accept(s, { window: 16 << 20 })
  })
  const bulk = pair.a.open('bulk', new Uint8Array(0), { priority: Priority.BULK })
  const chat = pair.a.open('chat', new Uint8Array(0), { priority: Priority.CHAT })
  await settle(pair)
  for (let i = 0; i < 12_000; i++) bulk.send(message(1000))
  for (let probe = 0; probe < 10; probe++) {
    for (let turns = 2 + probe; turns > 0; turns--) await new Promise(resolve => setImmediate(resolve))
    assert.ok(bulk.queuedBytes > 0)
    const before = bulkBytes
    chatSeenAfter = -1
    chat.send(message(50))
    while (chatSeenAfter < 0) await new Promise(resolve => setImmediate(resolve))
    assert.ok(chatSeenAfter - before <= MAX_DATA_BODY_BYTES, `${chatSeenAfter - before} bulk bytes went first`)
  }
})
