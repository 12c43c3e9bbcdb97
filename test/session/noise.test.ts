import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadSodium } from '../../core/crypto/sodium.ts'
import { NoiseError, NoiseHandshake, generateKeyPair } from '../../core/session/noise.ts'
import type { KeyPair, NoiseErrorCode } from '../../core/session/noise.ts'

// libsodium's WebAssembly build: an independent reference for what core computes natively.
const sodium = await loadSodium()

const prologue = new TextEncoder().encode('BitChat/1')
const EMPTY = new Uint8Array(0)

function pair (initiatorPsk: Uint8Array, responderPsks: Uint8Array[], keys = { i: generateKeyPair(), r: generateKeyPair() }): { initiator: NoiseHandshake; responder: NoiseHandshake; keys: { i: KeyPair; r: KeyPair } } {
  return {
    initiator: new NoiseHandshake({ initiator: true, prologue, staticKeyPair: keys.i, psks: [initiatorPsk] }),
    responder: new NoiseHandshake({ initiator: false, prologue, staticKeyPair: keys.r, psks: responderPsks }),
    keys
  }
}

function noiseError (code: NoiseErrorCode): (err: unknown) => boolean {
  return (err: unknown) => err instanceof NoiseError && err.code === code
}

const psk = sodium.randombytes_buf(32)

test('an XXpsk3 pair completes, learns each other\'s static keys and agrees on keys and hash', () => {
  const { initiator, responder, keys } = pair(psk, [psk])
  responder.recv(initiator.send())
  assert.deepEqual(new TextDecoder().decode(initiator.recv(responder.send(new TextEncoder().encode('two')))), 'two')
  assert.deepEqual(new TextDecoder().decode(responder.recv(initiator.send(new TextEncoder().encode('three')))), 'three')
  assert.ok(initiator.complete && responder.complete)
  assert.deepEqual(initiator.remoteStatic, keys.r.publicKey)
  assert.deepEqual(responder.remoteStatic, keys.i.publicKey)
  const a = initiator.result()
  const b = responder.result()
  assert.deepEqual(a.handshakeHash, b.handshakeHash)
  assert.equal(a.pskIndex, 0)
  assert.equal(b.pskIndex, 0)
  const hello = new TextEncoder().encode('hello')
  assert.deepEqual(new Uint8Array(b.rx.decryptWithAd(EMPTY, a.tx.encryptWithAd(EMPTY, hello))), hello)
  assert.deepEqual(new Uint8Array(a.rx.decryptWithAd(EMPTY, b.tx.encryptWithAd(EMPTY, hello))), hello)
})

test('a responder without the initiator\'s PSK rejects message 3 with NO_PSK_MATCH', () => {
  const { initiator, responder } = pair(psk, [sodium.randombytes_buf(32), sodium.randombytes_buf(32)])
  responder.recv(initiator.send())
  initiator.recv(responder.send())
  assert.throws(() => responder.recv(initiator.send()), noiseError('NO_PSK_MATCH'))
  assert.equal(responder.complete, false)
})

test('a responder with several candidate PSKs reports the index of the one that matched', () => {
  const candidates = [sodium.randombytes_buf(32), sodium.randombytes_buf(32), psk, sodium.randombytes_buf(32)]
  const { initiator, responder } = pair(psk, candidates)
  responder.recv(initiator.send())
  initiator.recv(responder.send())
  responder.recv(initiator.send())
  assert.equal(responder.result().pskIndex, 2)
  assert.deepEqual(responder.result().handshakeHash, initiator.result().handshakeHash)
})

test('flipping a bit anywhere in any handshake message makes the handshake fail', () => {
  for (const target of [0, 1, 2]) {
    let length = Infinity
    for (let position = 0; position < length; position++) {
      const { initiator, responder } = pair(psk, [psk])
      const deliver = (from: NoiseHandshake, to: NoiseHandshake, index: number): void => {
        const message = new Uint8Array(from.send())
        if (index === target) {
          length = message.length
          message[position]! ^= 1 << (position % 8)
        }
        to.recv(message)
      }
      assert.throws(() => {
        deliver(initiator, responder, 0)
        deliver(responder, initiator, 1)
        deliver(initiator, responder, 2)
      }, NoiseError, `message ${target} byte ${position}`)
    }
  }
})

test('a truncated handshake message is rejected with BAD_MESSAGE', () => {
  const { initiator, responder } = pair(psk, [psk])
  assert.throws(() => responder.recv(initiator.send().subarray(0, 31)), noiseError('BAD_MESSAGE'))
})

test('a low-order ephemeral key from the peer is rejected with BAD_KEY', () => {
  const lowOrder = { publicKey: new Uint8Array(32), secretKey: sodium.randombytes_buf(32) }
  const forger = new NoiseHandshake({ initiator: true, prologue, staticKeyPair: generateKeyPair(), psks: [psk], ephemeralKeyPair: lowOrder })
  const { responder } = pair(psk, [psk])
  responder.recv(forger.send())
  assert.throws(() => responder.send(), noiseError('BAD_KEY'))

  const honest = pair(psk, [psk])
  honest.responder.recv(honest.initiator.send())
  const message2 = new Uint8Array(honest.responder.send())
  message2.fill(0, 0, 32)
  assert.throws(() => honest.initiator.recv(message2), noiseError('BAD_KEY'))
})

test('sending or receiving out of turn throws WRONG_STATE', () => {
  const { initiator, responder } = pair(psk, [psk])
  assert.throws(() => responder.send(), noiseError('WRONG_STATE'))
  assert.throws(() => initiator.recv(new Uint8Array(96)), noiseError('WRONG_STATE'))
  assert.throws(() => initiator.result(), noiseError('WRONG_STATE'))
})

test('after a failure every further call throws WRONG_STATE', () => {
  const { initiator, responder } = pair(psk, [psk])
  responder.recv(initiator.send())
  const message2 = new Uint8Array(responder.send())
  message2[40]! ^= 1
  assert.throws(() => initiator.recv(message2), noiseError('DECRYPT_FAILED'))
  assert.throws(() => initiator.send(), noiseError('WRONG_STATE'))
})

test('the constructor rejects PSK counts and sizes the pattern cannot use', () => {
  const staticKeyPair = generateKeyPair()
  assert.throws(() => new NoiseHandshake({ initiator: true, prologue, staticKeyPair, psks: [psk, psk] }), RangeError)
  assert.throws(() => new NoiseHandshake({ initiator: false, prologue, staticKeyPair, psks: [] }), RangeError)
  assert.throws(() => new NoiseHandshake({ initiator: false, prologue, staticKeyPair, psks: [new Uint8Array(16)] }), RangeError)
  assert.throws(() => new NoiseHandshake({ pattern: 'XX', initiator: true, prologue, staticKeyPair, psks: [psk] }), RangeError)
  assert.throws(() => new NoiseHandshake({ pattern: 'XY', initiator: true, prologue, staticKeyPair }), RangeError)
})

test('different prologues make the handshake fail', () => {
  const initiator = new NoiseHandshake({ initiator: true, prologue, staticKeyPair: generateKeyPair(), psks: [psk] })
  const responder = new NoiseHandshake({ initiator: false, prologue: new TextEncoder().encode('BitChat/2'), staticKeyPair: generateKeyPair(), psks: [psk] })
  // With a PSK pattern, `e` already keys the cipher, so message 1's payload is authenticated.
  assert.throws(() => responder.recv(initiator.send()), noiseError('DECRYPT_FAILED'))
})

test('an XXpsk0 pair completes; the responder finds the PSK among its candidates on message 1', () => {
  const candidates = [sodium.randombytes_buf(32), psk, sodium.randombytes_buf(32)]
  const keys = { i: generateKeyPair(), r: generateKeyPair() }
  const initiator = new NoiseHandshake({ initiator: true, pattern: 'XXpsk0', prologue, staticKeyPair: keys.i, psks: [psk] })
  const responder = new NoiseHandshake({ initiator: false, pattern: 'XXpsk0', prologue, staticKeyPair: keys.r, psks: candidates })
  responder.recv(initiator.send())
  initiator.recv(responder.send())
  responder.recv(initiator.send())
  assert.equal(responder.result().pskIndex, 1)
  assert.deepEqual(responder.result().handshakeHash, initiator.result().handshakeHash)
  assert.deepEqual(responder.remoteStatic, keys.i.publicKey)
})

test('an XXpsk0 responder without the PSK fails on message 1, before it has sent anything', () => {
  const initiator = new NoiseHandshake({ initiator: true, pattern: 'XXpsk0', prologue, staticKeyPair: generateKeyPair(), psks: [psk] })
  const responder = new NoiseHandshake({ initiator: false, pattern: 'XXpsk0', prologue, staticKeyPair: generateKeyPair(), psks: [sodium.randombytes_buf(32)] })
  assert.throws(() => responder.recv(initiator.send()), noiseError('NO_PSK_MATCH'))
})
