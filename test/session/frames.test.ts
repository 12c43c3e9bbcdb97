import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FrameDecoder, FrameError, encodeFrame } from '../../core/session/frames.ts'

function frameError (code: FrameError['code']): (err: unknown) => boolean {
  return (err: unknown) => err instanceof FrameError && err.code === code
}

const payloads = [Uint8Array.of(1), new Uint8Array(300).fill(7), Uint8Array.of(2, 3, 4), new Uint8Array(65535).fill(9)]
const stream = Buffer.concat(payloads.map(encodeFrame))

test('encodeFrame prefixes the payload with its u16be length', () => {
  assert.deepEqual(new Uint8Array(encodeFrame(new Uint8Array(258).fill(5))).subarray(0, 3), Uint8Array.of(1, 2, 5))
})

test('encodeFrame rejects an empty or oversized payload', () => {
  assert.throws(() => encodeFrame(new Uint8Array(0)), RangeError)
  assert.throws(() => encodeFrame(new Uint8Array(65536)), RangeError)
})

test('frames split at every byte position are decoded intact', () => {
  const small = Buffer.concat(payloads.slice(0, 3).map(encodeFrame))
  for (let cut = 0; cut <= small.length; cut++) {
    const decoder = new FrameDecoder(65535)
    const frames = [...decoder.push(small.subarray(0, cut)), ...decoder.push(small.subarray(cut))]
    assert.deepEqual(frames.map(f => new Uint8Array(f)), payloads.slice(0, 3), `cut at ${cut}`)
  }
})

test('a stream fed one byte at a time is decoded intact', () => {
  const decoder = new FrameDecoder(65535)
  const frames: Uint8Array[] = []
  for (let i = 0; i < stream.length; i++) frames.push(...decoder.push(stream.subarray(i, i + 1)))
  assert.deepEqual(frames.map(f => new Uint8Array(f)), payloads)
})

test('a frame that lies whole inside one chunk is returned without copying', () => {
  const chunk = encodeFrame(new Uint8Array(100).fill(1))
  const [frame] = new FrameDecoder(1024).push(chunk)
  assert.equal(frame!.buffer, chunk.buffer)
})

test('a zero length is rejected with EMPTY_FRAME', () => {
  assert.throws(() => new FrameDecoder(1024).push(Uint8Array.of(0, 0, 1)), frameError('EMPTY_FRAME'))
})

test('a length above the limit is rejected as soon as the prefix arrives, even split in two', () => {
  assert.throws(() => new FrameDecoder(1024).push(Uint8Array.of(0x04, 0x01)), frameError('FRAME_TOO_LARGE'))
  const decoder = new FrameDecoder(1024)
  assert.deepEqual(decoder.push(Uint8Array.of(0xff)), [])
  assert.throws(() => decoder.push(Uint8Array.of(0xff)), frameError('FRAME_TOO_LARGE'))
})

test('after an error the decoder keeps failing', () => {
  const decoder = new FrameDecoder(10)
  assert.throws(() => decoder.push(Uint8Array.of(0, 11)), frameError('FRAME_TOO_LARGE'))
  assert.throws(() => decoder.push(Uint8Array.of(0, 1, 1)), frameError('FRAME_TOO_LARGE'))
})

test('a raised limit applies to frames already buffered but not yet read', () => {
  const decoder = new FrameDecoder(1024)
  decoder.feed(Buffer.concat([encodeFrame(Uint8Array.of(1)), encodeFrame(new Uint8Array(2000))]))
  assert.deepEqual(new Uint8Array(decoder.next()!), Uint8Array.of(1))
  decoder.setMaxLength(65535)
  assert.equal(decoder.next()!.length, 2000)
  assert.equal(decoder.next(), null)
})

test('the limit must be between 1 and 65535', () => {
  assert.throws(() => new FrameDecoder(0), RangeError)
  assert.throws(() => new FrameDecoder(65536), RangeError)
})
