import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { hkdf, hmacBlake2b, SymmetricState } from '../../core/session/symmetric-state.ts'

const data = new TextEncoder().encode('some input keying material')

test('HMAC-BLAKE2b matches OpenSSL HMAC over BLAKE2b-512 for short and long keys', () => {
  for (const keyLength of [0, 32, 64, 128, 200]) {
    const key = Uint8Array.from({ length: keyLength }, (_, i) => (i * 7) & 0xff)
    assert.deepEqual(hmacBlake2b(key, data), new Uint8Array(createHmac('blake2b512', key).update(data).digest()), `key length ${keyLength}`)
  }
})

test('HKDF chains its outputs as Noise defines', () => {
  const ck = new Uint8Array(64).fill(9)
  const [one, two, three] = hkdf(ck, data, 3)
  const temp = hmacBlake2b(ck, data)
  assert.deepEqual(one, hmacBlake2b(temp, Uint8Array.of(1)))
  assert.deepEqual(two, hmacBlake2b(temp, Uint8Array.of(...one!, 2)))
  assert.deepEqual(three, hmacBlake2b(temp, Uint8Array.of(...two!, 3)))
})

test('a clone evolves independently of the original', () => {
  const original = SymmetricState.initialize('Noise_XX_25519_ChaChaPoly_BLAKE2b')
  original.mixKey(data)
  const copy = original.clone()
  const before = copy.handshakeHash
  const sealed = original.encryptAndHash(data)
  assert.deepEqual(copy.handshakeHash, before)
  assert.deepEqual(new Uint8Array(copy.decryptAndHash(sealed)), data)
  assert.deepEqual(copy.handshakeHash, original.handshakeHash)
})
