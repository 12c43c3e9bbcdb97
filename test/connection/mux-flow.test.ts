import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CloseCode } from '../../core/connection/close-codes.ts'
import { Mux } from '../../core/connection/mux.ts'
import { creditThreshold, MuxError, Priority, type Stream, type StreamOptions } from '../../core/connection/mux-stream.ts'
import { encodeData, MAX_MESSAGE_BYTES, MIN_WINDOW_BYTES, OPEN, type MuxFrame } from '../../core/connection/mux-messages.ts'
import { asyncPair, decodeBody, feed, message, settle, syncPair, type AsyncPair } from './mux-pair.ts'
import { prng } from '../helpers/prng.ts'

const topic = new Uint8Array(32).fill(5)

interface Receiver { stream: Stream; received: Uint8Array[] }

/** Opens a stream from a to b, accepted at b with `accept`; resolves once it is open. */
async function openPair (pair: AsyncPair, protocol: string, open: StreamOptions, accept: StreamOptions): Promise<{ sender: Stream; receiver: Receiver }> {
  let receiver: Receiver | null = null
  const onStream = (stream: Stream): void => {
    if (stream.protocol !== protocol) return
    const received: Uint8Array[] = []
    stream.on('message', (m) => { received.push(m) })
    pair.b.accept(stream, accept)
    receiver = { stream, received }
  }
  pair.b.on('stream', onStream)
  const sender = pair.a.open(protocol, topic, open)
  await new Promise<void>(resolve => { sender.once('open', resolve) })
  pair.b.off('stream', onStream)
  return { sender, receiver: receiver! }
}

test('a sender stops at the window while the reader consumes nothing, and goes on as it consumes', async () => {
  const pair = asyncPair()
  const window = 100_000
  const { sender, receiver } = await openPair(pair, 'p', {}, { window, manualCredit: true })
  for (let i = 0; i < 30; i++) sender.send(message(10_000))
  await settle(pair)
  assert.equal(receiver.stream.unconsumedBytes, window)
  assert.equal(receiver.received.length, 10)
  assert.equal(sender.queuedBytes, 200_000)
  assert.equal(sender.sendCredit, 0)
  receiver.stream.consumed(window)
  await settle(pair)
  assert.equal(receiver.received.length, 20)
  receiver.stream.consumed(window)
  await settle(pair)
  assert.equal(receiver.received.length, 30)
  assert.equal(sender.queuedBytes, 0)
})

test('consumed() refuses more than was received, and is only for manual streams', async () => {
  const pair = asyncPair()
  const manual = await openPair(pair, 'manual', {}, { manualCredit: true })
  const auto = await openPair(pair, 'auto', {}, {})
  manual.sender.send(message(100))
  auto.sender.send(message(100))
  await settle(pair)
  assert.throws(() => { manual.receiver.stream.consumed(101) }, RangeError)
  assert.throws(() => { auto.receiver.stream.consumed(1) }, (err: unknown) => err instanceof MuxError && err.code === 'WRONG_STATE')
})

test('with automatic credit a message counts as consumed once its handlers return, and CREDIT frames are few', async () => {
  const pair = asyncPair()
  const window = 256 * 1024
  const { sender, receiver } = await openPair(pair, 'p', {}, { window })
  for (let i = 0; i < 4000; i++) sender.send(message(200))
  await settle(pair)
  assert.equal(receiver.received.length, 4000)
  assert.equal(receiver.stream.unconsumedBytes, 0)
  const credits = pair.ba.delivered.filter(f => f.kind === 'control' && f.frame.type === 'credit').length
  assert.ok(credits > 0 && credits <= Math.ceil(800_000 / creditThreshold(window)), `${credits} CREDIT frames for 4000 messages`)
})

test('property: random sizes, windows and consumption never exceed the credit given, and everything arrives in order', async () => {
  for (let seed = 1; seed <= 12; seed++) {
    const random = prng(seed)
    const pair = asyncPair({ capacity: 1 + Math.floor(random() * 6) })
    const window = MIN_WINDOW_BYTES + Math.floor(random() * 200_000)
    const { sender, receiver } = await openPair(pair, 'p', {}, { window, manualCredit: true })
    const sizes = Array.from({ length: 150 }, () => 1 + Math.floor(random() ** 3 * MAX_MESSAGE_BYTES))
    let maxUnconsumed = 0
    receiver.stream.on('message', () => {
      maxUnconsumed = Math.max(maxUnconsumed, receiver.stream.unconsumedBytes)
      // Consume some of what is held, at random moments, as an owner storing in batches would.
      if (random() < 0.5) receiver.stream.consumed(Math.floor(random() * receiver.stream.unconsumedBytes))
    })
    sizes.forEach((size, i) => { sender.send(message(size, 0x10, i % 256)) })
    for (let turn = 0; receiver.received.length < sizes.length; turn++) {
      assert.ok(turn < 100_000, `seed ${seed}: stuck at ${receiver.received.length} of ${sizes.length}`)
      await new Promise(resolve => setImmediate(resolve))
      if (random() < 0.3) receiver.stream.consumed(Math.floor(random() * (receiver.stream.unconsumedBytes + 1)))
      if (random() < 0.05) receiver.stream.consumed(receiver.stream.unconsumedBytes)
    }
    assert.ok(maxUnconsumed <= window, `seed ${seed}: ${maxUnconsumed} unconsumed bytes with a window of ${window}`)
    assert.deepEqual(receiver.received.map(m => [m.length, m[1]]), sizes.map((size, i) => [size, size > 1 ? i % 256 : undefined]), `seed ${seed}`)
    assert.equal(pair.a.closed || pair.b.closed, false, `seed ${seed}: ${pair.a.closeInfo?.text ?? pair.b.closeInfo?.text}`)
  }
})

test('a peer sending past the credit it was given is a protocol error', () => {
  const sent: MuxFrame[] = []
  const mux = new Mux({ initiator: false, send: (body) => { sent.push(...decodeBody(body)) }, writable: () => true })
  mux.on('stream', (s) => { mux.accept(s, { window: MIN_WINDOW_BYTES, manualCredit: true }) })
  feed(mux, OPEN.encode({ id: 1, protocol: 'p', topic, credit: MIN_WINDOW_BYTES }))
  feed(mux, encodeData(1, message(30_000)))
  feed(mux, encodeData(1, message(MIN_WINDOW_BYTES - 30_000)))
  assert.equal(mux.closed, false, 'exactly the window is allowed')
  feed(mux, encodeData(1, message(1)))
  assert.equal(mux.closeInfo?.code, CloseCode.PROTOCOL_ERROR)
  assert.match(mux.closeInfo!.text, /1 bytes with 0 bytes of credit/)
  const last = sent.at(-1)
  assert.ok(last?.kind === 'control' && last.frame.type === 'close' && last.frame.code === CloseCode.PROTOCOL_ERROR)
})

test('a slow reader on one stream does not hold up another stream on the same connection', async () => {
  const pair = asyncPair()
  const slow = await openPair(pair, 'slow', { priority: Priority.BULK }, { window: 64 * 1024, manualCredit: true })
  const fast = await openPair(pair, 'fast', { priority: Priority.BULK }, { window: 64 * 1024 })
  for (let i = 0; i < 64; i++) slow.sender.send(message(8192))
  for (let i = 0; i < 64; i++) fast.sender.send(message(8192))
  await settle(pair)
  assert.equal(fast.receiver.received.length, 64)
  assert.equal(slow.receiver.received.length, 8, 'the slow stream stopped at its window')
  slow.receiver.stream.consumed(slow.receiver.stream.unconsumedBytes)
  await settle(pair)
  assert.equal(slow.receiver.received.length, 16)
})

test('with a bulk stream saturating the transport, a chat message is delivered after at most one bulk message', async () => {
  const pair = asyncPair({ capacity: 1 })
  const bulk = await openPair(pair, 'bulk', { priority: Priority.BULK }, { window: 4 * 1024 * 1024 })
  const chat = await openPair(pair, 'chat', { priority: Priority.CHAT }, {})
  const sync = await openPair(pair, 'sync', { priority: Priority.SYNC }, {})
  for (let i = 0; i < 200; i++) bulk.sender.send(message(16 * 1024))
  for (let i = 0; i < 50; i++) sync.sender.send(message(16 * 1024))
  const overtaken: number[] = []
  for (let probe = 0; probe < 20; probe++) {
    for (let turns = 1 + (probe % 4); turns > 0; turns--) await new Promise(resolve => setImmediate(resolve))
    assert.ok(bulk.sender.queuedBytes > 0, 'the bulk stream is still saturated')
    const others = (): number => bulk.receiver.received.length + sync.receiver.received.length
    const before = others()
    // Counted as the chat message is handled: what comes after it in the same body does not count.
    const arrived = new Promise<number>(resolve => { chat.receiver.stream.once('message', () => { resolve(others()) }) })
    chat.sender.send(message(100))
    overtaken.push(await arrived - before)
  }
  assert.ok(overtaken.every(n => n <= 1), `other messages delivered between a chat send and its arrival: ${overtaken.join(' ')}`)
})

test('sync goes before bulk, and streams of one priority take turns one message each', async () => {
  const pair = asyncPair({ capacity: 1 })
  const bulk1 = await openPair(pair, 'bulk1', { priority: Priority.BULK }, {})
  const bulk2 = await openPair(pair, 'bulk2', { priority: Priority.BULK }, {})
  const sync = await openPair(pair, 'sync', { priority: Priority.SYNC }, {})
  pair.ab.stall()
  for (let i = 0; i < 6; i++) bulk1.sender.send(message(1000))
  for (let i = 0; i < 6; i++) bulk2.sender.send(message(1000))
  for (let i = 0; i < 3; i++) sync.sender.send(message(1000))
  const order: number[] = []
  const ids = [bulk1.sender.id, bulk2.sender.id, sync.sender.id]
  const start = pair.ab.delivered.length
  pair.ab.resume()
  await settle(pair)
  for (const f of pair.ab.delivered.slice(start)) if (f.kind === 'data') order.push(ids.indexOf(f.stream))
  // The frame already in the pipe when it stalled goes first; then sync, then bulk1 and bulk2 in turn.
  assert.deepEqual(order, [0, 2, 2, 2, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1])
})

test('send() returns false over the high-water mark and drain follows once the queue is down to half', async () => {
  const size = 10_240
  const pair = asyncPair({ capacity: 16, limits: { highWaterMark: 10 * size } })
  const { sender, receiver } = await openPair(pair, 'p', {}, { window: MIN_WINDOW_BYTES, manualCredit: true })
  const results: boolean[] = []
  for (let i = 0; i < 20; i++) results.push(sender.send(message(size)))
  await settle(pair)
  assert.equal(results.indexOf(false), 15, 'false from the message that takes the queue to ten messages (six fit the window)')
  let drained = false
  sender.on('drain', () => { drained = true })
  receiver.stream.consumed(6 * size)
  await settle(pair)
  assert.equal(drained, false, 'eight still queued')
  receiver.stream.consumed(6 * size)
  await settle(pair)
  assert.equal(sender.queuedBytes, 2 * size)
  assert.equal(drained, true)
})

test('a producer that ignores false and queues past the limit loses its stream (OVERLOADED), not the memory', async () => {
  const size = MIN_WINDOW_BYTES
  const pair = asyncPair({ limits: { highWaterMark: size, maxQueuedBytes: 8 * size } })
  const { sender, receiver } = await openPair(pair, 'p', {}, { window: size, manualCredit: true })
  let sends = 0
  while (sender.status !== 'closed') {
    sender.send(message(size))
    assert.ok(++sends < 100)
  }
  assert.equal(sends, 10, 'one message sent on the window, eight queued up to the limit, the tenth refused')
  assert.equal(sender.closeInfo?.code, CloseCode.OVERLOADED)
  assert.equal(sender.queuedBytes, 0)
  await settle(pair)
  assert.equal(receiver.stream.closeInfo?.code, CloseCode.OVERLOADED)
})

test('a message larger than a frame, and so than any window, throws: the protocol must split it', async () => {
  const pair = asyncPair()
  const { sender } = await openPair(pair, 'p', {}, { window: MIN_WINDOW_BYTES })
  assert.throws(() => sender.send(message(MAX_MESSAGE_BYTES + 1)), (err: unknown) => err instanceof MuxError && err.code === 'MESSAGE_TOO_LARGE')
  assert.throws(() => sender.send(new Uint8Array(0)), (err: unknown) => err instanceof MuxError && err.code === 'MESSAGE_TOO_LARGE')
  assert.equal(sender.send(message(MAX_MESSAGE_BYTES)), true)
  await settle(pair)
  assert.equal(sender.queuedBytes, 0, 'the largest message fits the smallest window')
})

test('the synchronous pair moves megabytes through small windows without a deep stack or a stall', () => {
  const { a, b } = syncPair()
  let bytes = 0
  b.on('stream', (stream) => {
    stream.on('message', (m) => { bytes += m.length })
    b.accept(stream, { window: 70_000 })
  })
  const stream = a.open('p', topic)
  const total = 8 * 1024 * 1024
  const chunk = message(60_000)
  for (let sent = 0; sent < total; sent += chunk.length) stream.send(chunk)
  assert.equal(bytes, Math.ceil(total / chunk.length) * chunk.length)
})
