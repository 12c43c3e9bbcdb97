import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadSodium } from '../../core/crypto/sodium.ts'
import { CipherState } from '../../core/session/cipher-state.ts'
import { NoiseError } from '../../core/session/noise-error.ts'

// libsodium's WebAssembly build: an independent reference for what core computes natively.
const sodium = await loadSodium()

const key = Uint8Array.from({ length: 32 }, (_, i) => i)
const ad = new TextEncoder().encode('associated')
const plaintext = new TextEncoder().encode('attack at dawn')

function nonceBytes (n: bigint): Uint8Array {
  const nonce = Buffer.alloc(12)
  nonce.writeBigUInt64LE(n, 4)
  return nonce
}

function libsodiumSeal (k: Uint8Array, n: bigint, data: Uint8Array, aad: Uint8Array): Uint8Array {
  return sodium.crypto_aead_chacha20poly1305_ietf_encrypt(data, aad, null, nonceBytes(n), k)
}

test('encryption matches libsodium ChaCha20-Poly1305 IETF with nonce 0^32 ‖ u64le(n)', () => {
  const cipher = new CipherState(key)
  for (let n = 0n; n < 3n; n++) {
    assert.deepEqual(new Uint8Array(cipher.encryptWithAd(ad, plaintext)), libsodiumSeal(key, n, plaintext, ad))
  }
  assert.equal(cipher.nonce, 3n)
})

test('decryption reverses encryption and advances the nonce', () => {
  const sender = new CipherState(key)
  const receiver = new CipherState(key)
  for (let i = 0; i < 3; i++) assert.deepEqual(new Uint8Array(receiver.decryptWithAd(ad, sender.encryptWithAd(ad, plaintext))), plaintext)
  assert.equal(receiver.nonce, 3n)
})

test('a failed decryption throws DECRYPT_FAILED and leaves the nonce unchanged', () => {
  const ciphertext = new Uint8Array(new CipherState(key).encryptWithAd(ad, plaintext))
  ciphertext[0]! ^= 1
  const receiver = new CipherState(key)
  assert.throws(() => receiver.decryptWithAd(ad, ciphertext), (err: unknown) => err instanceof NoiseError && err.code === 'DECRYPT_FAILED')
  assert.equal(receiver.nonce, 0n)
  assert.throws(() => receiver.decryptWithAd(ad, new Uint8Array(15)), (err: unknown) => err instanceof NoiseError && err.code === 'DECRYPT_FAILED')
})

test('without a key, plaintext passes through unchanged', () => {
  const cipher = new CipherState()
  assert.equal(cipher.hasKey(), false)
  assert.deepEqual(cipher.encryptWithAd(ad, plaintext), plaintext)
  assert.deepEqual(cipher.decryptWithAd(ad, plaintext), plaintext)
})

test('rekey sets k to the first 32 bytes of ENCRYPT(k, 2^64-1, "", zeros) and keeps the counter', () => {
  const cipher = new CipherState(key)
  cipher.encryptWithAd(ad, plaintext)
  cipher.rekey()
  assert.equal(cipher.nonce, 1n)
  const expectedKey = libsodiumSeal(key, 0xffffffffffffffffn, new Uint8Array(32), new Uint8Array(0)).subarray(0, 32)
  assert.deepEqual(new Uint8Array(cipher.encryptWithAd(ad, plaintext)), libsodiumSeal(expectedKey, 1n, plaintext, ad))
})

test('the last nonce 2^64-1 is never used: encryption and decryption throw NONCE_EXHAUSTED', () => {
  const cipher = new CipherState(key)
  cipher.setNonce(0xfffffffffffffffen)
  const ciphertext = cipher.encryptWithAd(ad, plaintext)
  assert.throws(() => cipher.encryptWithAd(ad, plaintext), (err: unknown) => err instanceof NoiseError && err.code === 'NONCE_EXHAUSTED')
  const receiver = new CipherState(key)
  receiver.setNonce(0xffffffffffffffffn)
  assert.throws(() => receiver.decryptWithAd(ad, ciphertext), (err: unknown) => err instanceof NoiseError && err.code === 'NONCE_EXHAUSTED')
})

test('a clone keeps its own nonce', () => {
  const cipher = new CipherState(key)
  const copy = cipher.clone()
  cipher.encryptWithAd(ad, plaintext)
  assert.equal(copy.nonce, 0n)
  assert.deepEqual(new Uint8Array(copy.encryptWithAd(ad, plaintext)), libsodiumSeal(key, 0n, plaintext, ad))
})

test('sealing into a buffer, in place or not, gives libsodium\'s bytes; opening in place gives the plaintext where the ciphertext was', () => {
  const sender = new CipherState(key)
  const apart = new Uint8Array(plaintext.length + 16)
  sender.encryptInto(ad, plaintext, apart)
  assert.deepEqual(apart, libsodiumSeal(key, 0n, plaintext, ad))
  const inPlace = new Uint8Array(plaintext.length + 16)
  inPlace.set(plaintext)
  sender.encryptInto(ad, inPlace.subarray(0, plaintext.length), inPlace)
  assert.deepEqual(inPlace, libsodiumSeal(key, 1n, plaintext, ad))
  const receiver = new CipherState(key)
  for (const sealed of [apart, inPlace]) {
    const opened = receiver.decryptInPlace(ad, sealed)
    assert.deepEqual(opened, plaintext)
    assert.equal(opened.buffer, sealed.buffer)
    assert.equal(opened.byteOffset, sealed.byteOffset)
  }
  assert.equal(receiver.nonce, 2n)
})

test('a failed open in place throws DECRYPT_FAILED and leaves the nonce unchanged', () => {
  const sealed = new Uint8Array(new CipherState(key).encryptWithAd(ad, plaintext))
  sealed[sealed.length - 1]! ^= 1
  const receiver = new CipherState(key)
  assert.throws(() => receiver.decryptInPlace(ad, sealed), (err: unknown) => err instanceof NoiseError && err.code === 'DECRYPT_FAILED')
  assert.equal(receiver.nonce, 0n)
})

test('the counter carries from 2^32 - 1 to 2^32 as one u64le', () => {
  const cipher = new CipherState(key)
  cipher.setNonce(0xffffffffn)
  assert.deepEqual(new Uint8Array(cipher.encryptWithAd(ad, plaintext)), libsodiumSeal(key, 0xffffffffn, plaintext, ad))
  assert.deepEqual(new Uint8Array(cipher.encryptWithAd(ad, plaintext)), libsodiumSeal(key, 0x100000000n, plaintext, ad))
  assert.equal(cipher.nonce, 0x100000001n)
})

test('a clone keeps its own key when the original rekeys', () => {
  const cipher = new CipherState(key)
  const copy = cipher.clone()
  cipher.rekey()
  assert.deepEqual(new Uint8Array(copy.encryptWithAd(ad, plaintext)), libsodiumSeal(key, 0n, plaintext, ad))
})

test('sealing into a buffer of the wrong size, or without a key, throws', () => {
  assert.throws(() => new CipherState(key).encryptInto(ad, plaintext, new Uint8Array(plaintext.length + 15)), RangeError)
  assert.throws(() => new CipherState().encryptInto(ad, plaintext, new Uint8Array(plaintext.length + 16)), (err: unknown) => err instanceof NoiseError && err.code === 'WRONG_STATE')
  assert.throws(() => new CipherState().decryptInPlace(ad, new Uint8Array(32)), (err: unknown) => err instanceof NoiseError && err.code === 'WRONG_STATE')
})
