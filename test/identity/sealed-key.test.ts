import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BitChatError } from '../../core/api/errors.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { openSecretKey, sealSecretKey } from '../../core/identity/sealed-key.ts'
import { loadSodium } from '../../core/crypto/sodium.ts'

const { secretKey } = generateIdentity()
const sealed = await sealSecretKey(secretKey, 'correct horse')

const hasCode = (code: string, message?: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof BitChatError, String(err))
  assert.equal(err.code, code)
  if (message !== undefined) assert.match(err.message, message)
  return true
}

function changed (at: number, value: (old: number) => number): Uint8Array {
  const copy = Uint8Array.from(sealed)
  copy[at] = value(copy[at]!)
  return copy
}

test('opens with the passphrase it was sealed with', async () => {
  assert.deepEqual(await openSecretKey(sealed, 'correct horse'), secretKey)
})

test('the blob does not contain the key and differs each time', async () => {
  assert.equal(Buffer.from(sealed).indexOf(Buffer.from(secretKey.subarray(0, 32))), -1)
  assert.notDeepEqual(await sealSecretKey(secretKey, 'correct horse'), sealed)
})

test('a wrong passphrase throws WRONG_PASSPHRASE, never a key', async () => {
  for (const wrong of ['correct horsE', '', 'correct horse ']) {
    await assert.rejects(openSecretKey(sealed, wrong), hasCode('WRONG_PASSPHRASE'))
  }
})

test('a changed ciphertext, nonce or salt throws WRONG_PASSPHRASE, never a damaged key', async () => {
  for (const at of [sealed.length - 1, sealed.length - 40, 30, 1]) {
    await assert.rejects(openSecretKey(changed(at, b => b ^ 1), 'correct horse'), hasCode('WRONG_PASSPHRASE'))
  }
})

test('the same passphrase in another Unicode normalization opens the key', async () => {
  const blob = await sealSecretKey(secretKey, 'caf\u00e9')
  assert.deepEqual(await openSecretKey(blob, 'cafe\u0301'), secretKey)
})

test('the sizes the format writes out are libsodium\'s', async () => {
  const sodium = await loadSodium()
  assert.equal(sealed.length, 1 + sodium.crypto_pwhash_SALTBYTES + 8 + sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + secretKey.length + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES)
})

test('a malformed blob throws FILE_ERROR', async () => {
  await assert.rejects(openSecretKey(sealed.subarray(1), 'correct horse'), hasCode('FILE_ERROR', /128 bytes instead of 129/))
  await assert.rejects(openSecretKey(new Uint8Array(0), 'correct horse'), hasCode('FILE_ERROR'))
  await assert.rejects(openSecretKey(changed(0, () => 2), 'correct horse'), hasCode('FILE_ERROR', /unknown version 2/))
})

test('KDF limits read from the blob are bounded before any work is done', async () => {
  const opslimitAt = 17
  const memlimitAt = 21
  const withU32 = (at: number, value: number): Uint8Array => {
    const copy = Uint8Array.from(sealed)
    new DataView(copy.buffer).setUint32(at, value)
    return copy
  }
  const started = performance.now()
  await assert.rejects(openSecretKey(withU32(memlimitAt, 0xffffffff), 'correct horse'), hasCode('FILE_ERROR', /memlimit 4294967295 out of range/))
  await assert.rejects(openSecretKey(withU32(memlimitAt, 1024), 'correct horse'), hasCode('FILE_ERROR', /memlimit/))
  await assert.rejects(openSecretKey(withU32(opslimitAt, 1000), 'correct horse'), hasCode('FILE_ERROR', /opslimit 1000 out of range/))
  await assert.rejects(openSecretKey(withU32(opslimitAt, 0), 'correct horse'), hasCode('FILE_ERROR', /opslimit 0/))
  assert.ok(performance.now() - started < 50)
})

test('seal rejects an empty passphrase and a key of the wrong length', async () => {
  await assert.rejects(sealSecretKey(secretKey, ''), hasCode('INVALID_PARAMS'))
  await assert.rejects(sealSecretKey(secretKey.subarray(1), 'x'), RangeError)
})
