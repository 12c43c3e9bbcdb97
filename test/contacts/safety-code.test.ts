import assert from 'node:assert/strict'
import { test } from 'node:test'
import { safetyCode } from '../../core/contacts/safety-code.ts'
import { generateIdentity } from '../../core/identity/identity.ts'

const a = Uint8Array.from({ length: 32 }, (_, i) => i)
const b = Uint8Array.from({ length: 32 }, (_, i) => 0xff - i)

test('the safety code matches an independent implementation of its definition (PROTOCOL §1.6)', () => {
  // Computed with Python's hashlib from the text of §1.6 alone.
  assert.equal(safetyCode(a, b), '75012 43246 11190 16499 17533 74521 93774 56611 80505 45283 95883 50247')
})

test('both sides see the same code', () => {
  const x = generateIdentity().publicKey
  const y = generateIdentity().publicKey
  assert.equal(safetyCode(x, y), safetyCode(y, x))
  assert.match(safetyCode(x, y), /^\d{5}( \d{5}){11}$/)
})

test('a different key on either side gives a different code', () => {
  const x = generateIdentity().publicKey
  const y = generateIdentity().publicKey
  const z = generateIdentity().publicKey
  assert.notEqual(safetyCode(x, y), safetyCode(x, z))
  assert.notEqual(safetyCode(x, y), safetyCode(z, y))
})

test('a key of the wrong length is refused', () => {
  assert.throws(() => safetyCode(a, b.subarray(1)), RangeError)
})
