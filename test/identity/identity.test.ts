import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateIdentity, identityFromSecretKey, signDetached, verifyDetached } from '../../core/identity/identity.ts'

const message = new TextEncoder().encode('hello')

test('generates a 32-byte public key and a 64-byte secret key that embeds it', () => {
  const id = generateIdentity()
  assert.equal(id.publicKey.length, 32)
  assert.equal(id.secretKey.length, 64)
  assert.deepEqual(id.secretKey.subarray(32), id.publicKey)
})

test('each generated identity is different', () => {
  assert.notDeepEqual(generateIdentity().publicKey, generateIdentity().publicKey)
})

test('a signature verifies under the signer key', () => {
  const id = generateIdentity()
  const signature = signDetached(id, message)
  assert.equal(signature.length, 64)
  assert.equal(verifyDetached(id.publicKey, message, signature), true)
})

test('a signature fails for another message, another key or a changed byte', () => {
  const id = generateIdentity()
  const signature = signDetached(id, message)
  assert.equal(verifyDetached(id.publicKey, new TextEncoder().encode('hellO'), signature), false)
  assert.equal(verifyDetached(generateIdentity().publicKey, message, signature), false)
  const changed = Uint8Array.from(signature)
  changed[10]! ^= 1
  assert.equal(verifyDetached(id.publicKey, message, changed), false)
})

test('verify returns false, never throws, for wrong lengths and invalid keys', () => {
  const id = generateIdentity()
  const signature = signDetached(id, message)
  assert.equal(verifyDetached(id.publicKey.subarray(1), message, signature), false)
  assert.equal(verifyDetached(id.publicKey, message, signature.subarray(1)), false)
  assert.equal(verifyDetached(new Uint8Array(32), message, signature), false)
  assert.equal(verifyDetached(new Uint8Array(32).fill(255), message, new Uint8Array(64)), false)
})

test('identityFromSecretKey rebuilds the same identity', () => {
  const id = generateIdentity()
  const again = identityFromSecretKey(Uint8Array.from(id.secretKey))
  assert.deepEqual(again, id)
  assert.equal(verifyDetached(id.publicKey, message, signDetached(again, message)), true)
})

test('identityFromSecretKey rejects a wrong length or a public half that does not match', () => {
  const id = generateIdentity()
  assert.throws(() => identityFromSecretKey(id.secretKey.subarray(0, 63)), /64 bytes, not 63/)
  const damaged = Uint8Array.from(id.secretKey)
  damaged[40]! ^= 1
  assert.throws(() => identityFromSecretKey(damaged), /does not match/)
})
