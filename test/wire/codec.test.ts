import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Reader, WireError, Writer } from '../../core/wire/codec.ts'

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b)

test('varints round-trip at every group boundary up to 2^53 - 1', () => {
  const values = [0, 1, 127, 128, 255, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28, 2 ** 31, 2 ** 32, 2 ** 35, 2 ** 42, 2 ** 49 - 1, 2 ** 49, Number.MAX_SAFE_INTEGER]
  for (const v of values) {
    const r = new Reader(new Writer().varint(v).finish())
    assert.equal(r.varint(), v)
    r.end()
  }
})

test('varint encoding is LEB128', () => {
  assert.deepEqual(new Writer().varint(300).finish(), bytes(0xac, 0x02))
  assert.equal(new Writer().varint(Number.MAX_SAFE_INTEGER).finish().length, 8)
})

test('a non-minimal varint is rejected', () => {
  assert.throws(() => new Reader(bytes(0x80, 0x00)).varint(), /not minimally encoded/)
  assert.throws(() => new Reader(bytes(0x81, 0x80, 0x00)).varint(), /not minimally encoded/)
})

test('a varint longer than 8 bytes is rejected', () => {
  assert.throws(() => new Reader(bytes(0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)).varint(), /longer than 8 bytes/)
})

test('a varint of 2^53 or more is rejected', () => {
  const twoTo53 = bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10)
  assert.throws(() => new Reader(twoTo53).varint(), /2\^53/)
  assert.throws(() => new Writer().varint(2 ** 53), WireError)
  assert.throws(() => new Writer().varint(-1), WireError)
  assert.throws(() => new Writer().varint(1.5), WireError)
})

test('a truncated varint is rejected', () => {
  assert.throws(() => new Reader(bytes(0x80)).varint(), /truncated/)
  assert.throws(() => new Reader(bytes()).varint(), /truncated/)
})

test('a byte string longer than its bound is rejected before reading it', () => {
  const encoded = new Writer().bytes(new Uint8Array(10), 10).finish()
  assert.throws(() => new Reader(encoded).bytes(9), /above the limit of 9/)
  assert.throws(() => new Writer().bytes(new Uint8Array(10), 9), WireError)
})

test('a length larger than the input left is rejected', () => {
  // Claims 2^40 bytes: must fail on the length check, not by trying to allocate.
  const huge = new Writer().varint(2 ** 40).finish()
  assert.throws(() => new Reader(huge).bytes(Number.MAX_SAFE_INTEGER), /truncated/)
  assert.throws(() => new Reader(bytes(5, 1, 2)).bytes(100), /truncated/)
})

test('a count is checked against its bound and the input left', () => {
  assert.throws(() => new Reader(bytes(11)).count(10, 1), /above the limit of 10/)
  assert.throws(() => new Reader(bytes(3, 0, 0)).count(10, 1), /truncated/)
  assert.equal(new Reader(bytes(2, 0, 0)).count(10, 1), 2)
})

test('strings must be valid UTF-8 within their byte bound', () => {
  const r = new Reader(new Writer().string('héllo ✓', 20).finish())
  assert.equal(r.string(20), 'héllo ✓')
  r.end()
  assert.throws(() => new Reader(bytes(2, 0xc3, 0x28)).string(10), /not valid UTF-8/)
  assert.throws(() => new Writer().string('ééé', 5), /6 bytes, above the limit of 5/)
  assert.throws(() => new Writer().string('\ud800', 10), /not well-formed/)
})

test('fixed-size fields must have exactly their size', () => {
  assert.throws(() => new Writer().fixed(new Uint8Array(31), 32), /must be 32 bytes/)
  assert.throws(() => new Reader(new Uint8Array(31)).fixed(32), /truncated/)
})

test('fixed returns a copy that outlives the input buffer', () => {
  const input = bytes(1, 2, 3)
  const out = new Reader(input).fixed(3)
  input[0] = 9
  assert.deepEqual(out, bytes(1, 2, 3))
})

test('trailing bytes are rejected by end()', () => {
  const r = new Reader(bytes(1, 2))
  r.u8()
  assert.throws(() => r.end(), /1 trailing bytes/)
})

test('u8 is range-checked on write', () => {
  assert.throws(() => new Writer().u8(256), WireError)
  assert.deepEqual(new Writer().u8(0).u8(255).finish(), bytes(0, 255))
})

test('the writer grows past its initial buffer', () => {
  const big = new Uint8Array(100_000).fill(7)
  const r = new Reader(new Writer().u8(1).bytes(big, 100_000).finish())
  assert.equal(r.u8(), 1)
  assert.deepEqual(r.bytes(100_000), big)
  r.end()
})
