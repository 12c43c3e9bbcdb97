import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fromHex, isHex, toHex } from '../../core/codec/hex.ts'

test('round-trips bytes through lowercase hex', () => {
  const bytes = Uint8Array.from([0, 1, 0xab, 0xff])
  assert.equal(toHex(bytes), '0001abff')
  assert.deepEqual(fromHex('0001abff'), bytes)
})

test('toHex reads only the view, not the whole underlying buffer', () => {
  const buffer = Uint8Array.from([1, 2, 3, 4])
  assert.equal(toHex(buffer.subarray(1, 3)), '0203')
})

test('fromHex returns a plain Uint8Array', () => {
  assert.equal(Object.getPrototypeOf(fromHex('00')), Uint8Array.prototype)
})

test('fromHex rejects odd lengths, uppercase and non-hex characters', () => {
  for (const bad of ['0', 'AB', 'zz', '0x00', ' 00', '00 ']) assert.throws(() => fromHex(bad), RangeError, bad)
})

test('isHex checks the exact byte length', () => {
  assert.equal(isHex('00'.repeat(32), 32), true)
  assert.equal(isHex('00'.repeat(31), 32), false)
  assert.equal(isHex('AB'.repeat(32), 32), false)
  assert.equal(isHex(42, 32), false)
})
