import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StoredIdentity } from '../../core/store/types.ts'
import { key, openTempStore } from './store-fixture.ts'

const clear: StoredIdentity = {
  publicKey: key(1),
  secretKey: new Uint8Array(64).fill(7),
  sealedSecretKey: null,
  name: 'alice',
  createdAt: 1_700_000_000_000
}

test('getIdentity is undefined before one is saved', t => {
  const { store } = openTempStore(t)
  assert.equal(store.getIdentity(), undefined)
})

test('saveIdentity stores a row that getIdentity returns as plain Uint8Arrays', t => {
  const { store } = openTempStore(t)
  store.saveIdentity(clear)
  const got = store.getIdentity()
  assert.deepEqual(got, clear)
  assert.equal(Object.getPrototypeOf(got?.publicKey), Uint8Array.prototype)
})

test('saveIdentity replaces the existing identity', t => {
  const { store } = openTempStore(t)
  store.saveIdentity(clear)
  const sealed = { ...clear, publicKey: key(2), secretKey: null, sealedSecretKey: new Uint8Array(120).fill(9), name: 'bob' }
  store.saveIdentity(sealed)
  assert.deepEqual(store.getIdentity(), sealed)
})

test('saveIdentity refuses a row holding the secret key both in the clear and sealed', t => {
  const { store } = openTempStore(t)
  assert.throws(() => store.saveIdentity({ ...clear, sealedSecretKey: new Uint8Array(120) }), /secret_key_clear_or_sealed/)
  assert.equal(store.getIdentity(), undefined)
})

test('setIdentityName renames the identity and nothing else', t => {
  const { store } = openTempStore(t)
  store.saveIdentity(clear)
  store.setIdentityName('alice 2')
  assert.deepEqual(store.getIdentity(), { ...clear, name: 'alice 2' })
})

test('setIdentityKeys seals the key and can store it in the clear again', t => {
  const { store } = openTempStore(t)
  store.saveIdentity(clear)
  const sealedSecretKey = new Uint8Array(120).fill(3)
  store.setIdentityKeys({ secretKey: null, sealedSecretKey })
  assert.deepEqual(store.getIdentity(), { ...clear, secretKey: null, sealedSecretKey })
  store.setIdentityKeys({ secretKey: clear.secretKey, sealedSecretKey: null })
  assert.deepEqual(store.getIdentity(), clear)
})

test('setIdentityKeys refuses to keep both forms of the key and leaves the row as it was', t => {
  const { store } = openTempStore(t)
  store.saveIdentity(clear)
  assert.throws(() => store.setIdentityKeys({ secretKey: clear.secretKey, sealedSecretKey: new Uint8Array(120) }),
    /secret_key_clear_or_sealed/)
  assert.deepEqual(store.getIdentity(), clear)
})

test('renaming or rekeying without an identity fails with IDENTITY_MISSING', t => {
  const { store } = openTempStore(t)
  assert.throws(() => store.setIdentityName('x'), { code: 'IDENTITY_MISSING' })
  assert.throws(() => store.setIdentityKeys({ secretKey: null, sealedSecretKey: new Uint8Array(1) }), { code: 'IDENTITY_MISSING' })
})
