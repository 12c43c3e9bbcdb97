// A relayed stream over an in-memory mux pair (no I/O): bytes in order, credit as flow control, ends.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { asyncPair, settle, type AsyncPair } from '../connection/mux-pair.ts'
import { RelayedStream } from '../../core/transport/relayed.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import type { Stream } from '../../core/connection/mux-stream.ts'
import { RELAY_PROTOCOL, RELAY_WINDOW, MAX_RELAY_CHUNK } from '../../core/relay/relay-protocol.ts'
import { prng } from '../helpers/prng.ts'

const topic = new Uint8Array(32).fill(9)
const options = { window: RELAY_WINDOW, manualCredit: true }

async function relayedPair (pair: AsyncPair): Promise<{ a: RelayedStream; b: RelayedStream; sa: Stream; sb: Stream }> {
  let sb: Stream | null = null
  pair.b.once('stream', (stream) => {
    pair.b.accept(stream, options)
    sb = stream
  })
  const sa = pair.a.open(RELAY_PROTOCOL, topic, options)
  await new Promise<void>(resolve => sa.once('open', () => { resolve() }))
  const remote = { host: '127.0.0.1', port: 1 }
  return { a: new RelayedStream(sa, { via: 'ab'.repeat(32), remote }), b: new RelayedStream(sb!, { via: 'ab'.repeat(32), remote }), sa, sb: sb! }
}

function collect (stream: RelayedStream): Uint8Array[] {
  const got: Uint8Array[] = []
  stream.on('data', (chunk) => { got.push(chunk) })
  return got
}

test('bytes written in pieces of any size arrive in order, whole, as a relay stream of DATA messages', async () => {
  const pair = asyncPair()
  const { a, b } = await relayedPair(pair)
  assert.equal(a.kind, 'relay')
  assert.equal(a.via, 'ab'.repeat(32))
  const got = collect(b)
  const random = prng(7)
  const sent: Uint8Array[] = []
  for (const size of [1, 100, MAX_RELAY_CHUNK, MAX_RELAY_CHUNK + 1, 150_000, 3]) {
    const bytes = Uint8Array.from({ length: size }, () => Math.floor(random() * 256))
    sent.push(bytes)
    // One frame as the secure connection writes it: several pieces in one call.
    a.write([bytes.subarray(0, Math.floor(size / 3)), bytes.subarray(Math.floor(size / 3))])
  }
  await settle(pair)
  assert.deepEqual(Buffer.concat(got), Buffer.concat(sent))
})

test('a paused reader holds the sender at the window; resuming lets everything through', async () => {
  const pair = asyncPair()
  const { a, b, sb } = await relayedPair(pair)
  const got = collect(b)
  b.pause()
  const room: boolean[] = []
  for (let i = 0; i < 15; i++) room.push(a.write([new Uint8Array(30_000).fill(i)]))
  await settle(pair)
  assert.equal(got.length, 0)
  assert.ok(sb.unconsumedBytes <= RELAY_WINDOW, 'the reader holds at most its window')
  assert.ok(a.bufferedBytes >= 450_000 - RELAY_WINDOW, 'the rest waits at the sender')
  assert.equal(room.at(-1), false, 'the writer is told to wait')
  const drained = new Promise<void>(resolve => a.once('drain', () => { resolve() }))
  b.resume()
  await drained
  await settle(pair)
  assert.equal(a.bufferedBytes, 0)
  assert.equal(Buffer.concat(got).length, 450_000)
  assert.equal(Buffer.concat(got)[449_999], 14)
})

test('end() closes the other side cleanly after what was written; destroy() at once', async () => {
  const pair = asyncPair()
  const { a, b } = await relayedPair(pair)
  const got = collect(b)
  const closed = new Promise<Error | null>(resolve => b.once('close', resolve))
  a.write([Uint8Array.of(1, 2, 3)])
  a.end()
  assert.equal(a.write([Uint8Array.of(4)]), false, 'nothing more is taken once ended')
  assert.equal(await closed, null)
  assert.deepEqual([...Buffer.concat(got)], [1, 2, 3])
  assert.equal(b.destroyed, true)

  const second = await relayedPair(pair)
  const gone = new Promise<Error | null>(resolve => second.a.once('close', resolve))
  second.b.destroy()
  assert.equal(await gone, null)
  assert.equal(second.a.destroyed, true)
})

test('a message other than DATA on a relay stream resets it as a protocol error', async () => {
  const pair = asyncPair()
  const { sa, b } = await relayedPair(pair)
  const closed = new Promise<Error | null>(resolve => b.once('close', resolve))
  const reset = new Promise(resolve => sa.once('close', resolve))
  sa.send(Uint8Array.of(0x02, 1, 2))
  const error = await closed
  assert.match(String(error), /code 5/)
  assert.equal((await reset as { code: number }).code, CloseCode.PROTOCOL_ERROR)
})
