import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { findPattern } from '../../core/session/handshake-patterns.ts'
import { NoiseHandshake, keyPairFromSecret } from '../../core/session/noise.ts'
import type { NoiseHandshakeOptions } from '../../core/session/noise.ts'

interface Vector {
  protocol_name: string
  init_prologue: string
  init_psks?: string[]
  init_static?: string
  init_ephemeral: string
  init_remote_static?: string
  resp_prologue: string
  resp_psks?: string[]
  resp_static?: string
  resp_ephemeral: string
  resp_remote_static?: string
  handshake_hash: string
  messages: { payload: string; ciphertext: string }[]
}

const { vectors } = JSON.parse(readFileSync(new URL('../fixtures/cacophony-25519-chachapoly-blake2b.json', import.meta.url), 'utf8')) as { vectors: Vector[] }
const bytes = (hex: string): Uint8Array => Buffer.from(hex, 'hex')
const hex = (data: Uint8Array): string => Buffer.from(data).toString('hex')

function patternName (vector: Vector): string {
  const match = /^Noise_([A-Za-z0-9]+)_25519_ChaChaPoly_BLAKE2b$/.exec(vector.protocol_name)
  assert.ok(match, vector.protocol_name)
  return match[1]!
}

function side (vector: Vector, initiator: boolean): NoiseHandshakeOptions {
  const prefix = initiator ? 'init' : 'resp'
  const field = (name: string): string | undefined => (vector as unknown as Record<string, string | undefined>)[`${prefix}_${name}`]
  const opts: NoiseHandshakeOptions = {
    pattern: patternName(vector),
    initiator,
    prologue: bytes(field('prologue')!),
    ephemeralKeyPair: keyPairFromSecret(bytes(field('ephemeral')!))
  }
  const staticKey = field('static')
  if (staticKey !== undefined) opts.staticKeyPair = keyPairFromSecret(bytes(staticKey))
  const remoteStatic = field('remote_static')
  if (remoteStatic !== undefined) opts.remoteStatic = bytes(remoteStatic)
  const psks = initiator ? vector.init_psks : vector.resp_psks
  if (psks !== undefined) opts.psks = psks.map(bytes)
  return opts
}

test('every pattern in the vector file is supported', () => {
  for (const vector of vectors) assert.ok(findPattern(patternName(vector)), vector.protocol_name)
})

for (const vector of vectors) {
  test(`${vector.protocol_name} matches the published handshake and transport messages in both roles`, () => {
    const initiator = new NoiseHandshake(side(vector, true))
    const responder = new NoiseHandshake(side(vector, false))
    const handshakeLength = findPattern(patternName(vector))!.messages.length

    vector.messages.forEach((message, i) => {
      const fromInitiator = i % 2 === 0
      const [sender, receiver] = fromInitiator ? [initiator, responder] : [responder, initiator]
      if (i < handshakeLength) {
        assert.equal(hex(sender.send(bytes(message.payload))), message.ciphertext, `handshake message ${i}`)
        assert.equal(hex(receiver.recv(bytes(message.ciphertext))), message.payload, `handshake payload ${i}`)
        if (i === handshakeLength - 1) {
          assert.ok(initiator.complete && responder.complete)
          assert.equal(hex(initiator.result().handshakeHash), vector.handshake_hash)
          assert.equal(hex(responder.result().handshakeHash), vector.handshake_hash)
        }
      } else {
        assert.equal(hex(sender.result().tx.encryptWithAd(new Uint8Array(0), bytes(message.payload))), message.ciphertext, `transport message ${i}`)
        assert.equal(hex(receiver.result().rx.decryptWithAd(new Uint8Array(0), bytes(message.ciphertext))), message.payload, `transport payload ${i}`)
      }
    })
  })
}

for (const vector of vectors) {
  test(`${vector.protocol_name}: transport messages sealed and opened in place, one cipher per direction, match the published ones`, () => {
    const initiator = new NoiseHandshake(side(vector, true))
    const responder = new NoiseHandshake(side(vector, false))
    const handshakeLength = findPattern(patternName(vector))!.messages.length
    vector.messages.forEach((message, i) => {
      const [sender, receiver] = i % 2 === 0 ? [initiator, responder] : [responder, initiator]
      if (i < handshakeLength) {
        receiver.recv(sender.send(bytes(message.payload)))
        return
      }
      const payload = bytes(message.payload)
      const frame = new Uint8Array(payload.length + 16)
      frame.set(payload)
      sender.result().tx.encryptInto(new Uint8Array(0), frame.subarray(0, payload.length), frame)
      assert.equal(hex(frame), message.ciphertext, `transport message ${i}`)
      assert.equal(hex(receiver.result().rx.decryptInPlace(new Uint8Array(0), frame)), message.payload, `transport payload ${i}`)
    })
  })
}
