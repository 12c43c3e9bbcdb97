import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fingerprintOf } from '../../core/identity/fingerprint.ts'

// Expected value from Python: base64.b32encode(hashlib.blake2b(key, digest_size=20).digest()).
test('is the base32 BLAKE2b-160 of the key in eight groups of four', () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => 32 + i)
  assert.equal(fingerprintOf(key), 'R74J VKUN PVI6 KLEH QNPO MSHI DHMA IN2K')
})

test('differs for keys that differ in one bit', () => {
  const a = new Uint8Array(32)
  const b = new Uint8Array(32)
  b[31] = 1
  assert.notEqual(fingerprintOf(a), fingerprintOf(b))
  assert.match(fingerprintOf(a), /^(?:[A-Z2-7]{4} ){7}[A-Z2-7]{4}$/)
})

test('rejects a key that is not 32 bytes', () => {
  assert.throws(() => fingerprintOf(new Uint8Array(31)), RangeError)
})
