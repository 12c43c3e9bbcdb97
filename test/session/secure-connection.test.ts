import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadSodium } from '../../core/crypto/sodium.ts'
import { encodeFrame, FRAME_HEADER_LENGTH } from '../../core/session/frames.ts'
import { TAG_LENGTH } from '../../core/session/cipher-state.ts'
import { NoiseError, NoiseHandshake, generateKeyPair } from '../../core/session/noise.ts'
import { HANDSHAKE_PATTERN, MAX_PLAINTEXT, PROLOGUE, SecureConnection, SessionError, TYPE_REKEY } from '../../core/session/secure-connection.ts'
import type { EstablishedInfo, LocalIdentity, SecureConnectionOptions, SessionErrorCode } from '../../core/session/secure-connection.ts'
import { prng } from '../helpers/prng.ts'

// libsodium's WebAssembly build: an independent reference for what core computes natively.
const sodium = await loadSodium()

interface Peer {
  conn: SecureConnection
  identity: LocalIdentity
  outbox: Uint8Array[]
  /** Number of onSend calls, i.e. frames written. */
  frames: number
  /** What each onSend call was given. */
  writes: Uint8Array[][]
  received: Uint8Array[]
  established: EstablishedInfo | null
}

type Extra = Partial<Pick<SecureConnectionOptions, 'rekeyAfterBytes' | 'rekeyAfterMs' | 'now' | 'onEstablished' | 'onMessage' | 'expectedRemote'>>

function newIdentity (): LocalIdentity {
  const { publicKey, privateKey } = sodium.crypto_sign_keypair()
  return { publicKey, secretKey: privateKey }
}

function peer (initiator: boolean, psks: Uint8Array[], extra: Extra = {}): Peer {
  const identity = newIdentity()
  const self: Peer = { identity, outbox: [], frames: 0, writes: [], received: [], established: null, conn: null as unknown as SecureConnection }
  self.conn = new SecureConnection({
    ...extra,
    initiator,
    identity,
    psks,
    onSend: chunks => { self.outbox.push(Buffer.concat(chunks)); self.writes.push(chunks); self.frames++ },
    onEstablished: info => { self.established = info; extra.onEstablished?.(info) },
    onMessage: plaintext => { self.received.push(new Uint8Array(plaintext)); extra.onMessage?.(plaintext) }
  })
  return self
}

/** Moves bytes both ways until both sides are quiet; with `rand`, each batch is cut into random chunks. */
function pump (a: Peer, b: Peer, rand?: () => number): void {
  while (a.outbox.length > 0 || b.outbox.length > 0) {
    for (const [from, to] of [[a, b], [b, a]] as const) {
      if (from.outbox.length === 0) continue
      const bytes = Buffer.concat(from.outbox)
      from.outbox.length = 0
      if (rand === undefined) {
        to.conn.receive(bytes)
        continue
      }
      for (let at = 0; at < bytes.length;) {
        const size = 1 + Math.floor(rand() * Math.min(bytes.length - at, rand() < 0.5 ? 5 : 70000))
        to.conn.receive(bytes.subarray(at, at + size))
        at += size
      }
    }
  }
}

function connected (extra: Extra = {}, psks?: { initiator: Uint8Array; responder: Uint8Array[] }): [Peer, Peer] {
  const psk = sodium.randombytes_buf(32)
  const a = peer(true, [psks?.initiator ?? psk], extra)
  const b = peer(false, psks?.responder ?? [psk], extra)
  a.conn.start()
  pump(a, b)
  return [a, b]
}

function sessionError (code: SessionErrorCode): (err: unknown) => boolean {
  return (err: unknown) => err instanceof SessionError && err.code === code
}

function message (type: number, length: number, fill = 0): Uint8Array {
  const bytes = new Uint8Array(length).fill(fill)
  bytes[0] = type
  return bytes
}

test('two connections establish and report each other\'s identity, the PSK index and one handshake hash', () => {
  const [a, b] = connected()
  assert.ok(a.conn.established && b.conn.established)
  assert.deepEqual(a.established!.remoteIdentity, b.identity.publicKey)
  assert.deepEqual(b.established!.remoteIdentity, a.identity.publicKey)
  assert.equal(a.established!.pskIndex, 0)
  assert.equal(b.established!.pskIndex, 0)
  assert.deepEqual(a.established!.handshakeHash, b.established!.handshakeHash)
})

test('application frames flow both ways, up to the largest plaintext', () => {
  const [a, b] = connected()
  a.conn.send(message(0x10, 10, 1))
  b.conn.send(message(0x11, MAX_PLAINTEXT, 2))
  a.conn.send(message(0x02, 1))
  pump(a, b)
  assert.deepEqual(b.received, [message(0x10, 10, 1), message(0x02, 1)])
  assert.deepEqual(a.received, [message(0x11, MAX_PLAINTEXT, 2)])
})

test('a session survives its byte stream being cut into random chunks', () => {
  const rand = prng(7)
  for (let round = 0; round < 20; round++) {
    const psk = sodium.randombytes_buf(32)
    const a = peer(true, [psk])
    const b = peer(false, [psk])
    a.conn.start()
    pump(a, b, rand)
    const sent: Uint8Array[] = []
    for (let i = 0; i < 30; i++) {
      const frame = message(0x10, 1 + Math.floor(rand() * (rand() < 0.2 ? MAX_PLAINTEXT : 100)), i)
      sent.push(frame)
      a.conn.send(frame)
      b.conn.send(frame)
    }
    pump(a, b, rand)
    assert.deepEqual(b.received, sent)
    assert.deepEqual(a.received, sent)
  }
})

test('transport frames cut in two at every byte position are opened intact', () => {
  const sent = [message(0x10, 1), message(0x11, 40, 5), message(0x12, 200, 6)]
  for (let cut = 0; ; cut++) {
    const [a, b] = connected()
    for (const frame of sent) a.conn.send(frame)
    const bytes = Buffer.concat(a.outbox.splice(0))
    if (cut > bytes.length) break
    b.conn.receive(bytes.subarray(0, cut))
    b.conn.receive(bytes.subarray(cut))
    assert.deepEqual(b.received, sent, `cut at ${cut}`)
  }
})

test('every frame is written whole, as one buffer', () => {
  const [a] = connected({ rekeyAfterBytes: 50 })
  a.writes.length = 0
  a.conn.send(message(0x10, 80))
  a.conn.send(message(0x10, 80))
  assert.equal(a.writes.length, 3)
  assert.ok(a.writes.every(chunks => chunks.length === 1))
})

test('a frame built in place is sealed where it lies, written as that buffer, and opened by the peer', () => {
  const [a, b] = connected({ rekeyAfterBytes: 600 })
  const sent = [message(0x10, 500, 1), message(0x00, 500, 2), message(0x11, MAX_PLAINTEXT, 3)]
  const frames = sent.map(plaintext => {
    const frame = new Uint8Array(FRAME_HEADER_LENGTH + plaintext.length + TAG_LENGTH)
    frame.set(plaintext, FRAME_HEADER_LENGTH)
    return frame
  })
  a.writes.length = 0
  for (const frame of frames) a.conn.sendInPlace(frame)
  assert.deepEqual(a.writes.filter(([chunk]) => frames.some(frame => frame === chunk)).map(chunks => chunks.length), [1, 1, 1])
  pump(a, b)
  assert.deepEqual(b.received, sent)
})

test('a frame built in place is refused as send() refuses it', () => {
  const [a] = connected()
  const room = FRAME_HEADER_LENGTH + TAG_LENGTH
  assert.throws(() => { a.conn.sendInPlace(new Uint8Array(room - 8)) }, RangeError)
  assert.throws(() => { a.conn.sendInPlace(new Uint8Array(room)) }, RangeError)
  assert.throws(() => { a.conn.sendInPlace(new Uint8Array(room + MAX_PLAINTEXT + 1)) }, RangeError)
  const rekey = new Uint8Array(room + 1)
  rekey[FRAME_HEADER_LENGTH] = TYPE_REKEY
  assert.throws(() => { a.conn.sendInPlace(rekey) }, RangeError)
})

test('frames are handed up as plain Uint8Arrays, whose slice() copies rather than keeping the socket read alive', () => {
  const delivered: Uint8Array[] = []
  const [a, b] = connected({ onMessage: plaintext => { delivered.push(plaintext) } })
  a.conn.send(message(0x10, 30, 1))
  a.conn.send(message(0x10, MAX_PLAINTEXT, 2))
  const bytes = Buffer.concat(a.outbox.splice(0))
  b.conn.receive(bytes.subarray(0, 100))
  b.conn.receive(bytes.subarray(100))
  assert.equal(delivered.length, 2)
  for (const plaintext of delivered) {
    assert.equal(Object.getPrototypeOf(plaintext), Uint8Array.prototype)
    assert.notEqual(plaintext.slice(0, 1).buffer, plaintext.buffer)
  }
})

test('a large transport frame arriving in the same chunk as message 3 is delivered', () => {
  const psk = sodium.randombytes_buf(32)
  const hello = message(0x01, 5000, 3)
  const a: Peer = peer(true, [psk], { onEstablished: () => a.conn.send(hello) })
  const b = peer(false, [psk])
  a.conn.start()
  b.conn.receive(Buffer.concat(a.outbox.splice(0)))
  a.conn.receive(Buffer.concat(b.outbox.splice(0)))
  assert.equal(a.outbox.length, 2)
  b.conn.receive(Buffer.concat(a.outbox.splice(0)))
  assert.ok(b.conn.established)
  assert.deepEqual(b.received, [hello])
})

test('the sender rekeys after its byte budget and the session keeps working', () => {
  const [a, b] = connected({ rekeyAfterBytes: 1000 })
  const before = a.frames
  const sent = Array.from({ length: 10 }, (_, i) => message(0x10, 300, i))
  for (const frame of sent) a.conn.send(frame)
  pump(a, b)
  assert.equal(a.frames - before, 10 + 2)
  assert.deepEqual(b.received, sent)
  b.conn.send(message(0x10, 5))
  pump(a, b)
  assert.equal(a.received.length, 1)
})

test('the sender rekeys once its key is older than the time budget and the session keeps working', () => {
  let clock = 1_000_000
  const [a, b] = connected({ rekeyAfterMs: 60_000, now: () => clock })
  const before = a.frames
  a.conn.send(message(0x10, 20, 1))
  clock += 60_000
  a.conn.send(message(0x10, 20, 2))
  a.conn.send(message(0x10, 20, 3))
  clock += 59_999
  a.conn.send(message(0x10, 20, 4))
  pump(a, b)
  assert.equal(a.frames - before, 4 + 1)
  assert.deepEqual(b.received, [1, 2, 3, 4].map(i => message(0x10, 20, i)))
})

test('a tampered transport byte is rejected with DECRYPT_FAILED, and so is everything after it', () => {
  const [a, b] = connected()
  a.conn.send(message(0x10, 50))
  const frame = new Uint8Array(a.outbox.splice(0)[0]!)
  frame[20]! ^= 0x01
  assert.throws(() => b.conn.receive(frame), sessionError('DECRYPT_FAILED'))
  assert.throws(() => b.conn.receive(new Uint8Array(1)), sessionError('DECRYPT_FAILED'))
  assert.deepEqual(b.received, [])
})

test('a handshake length prefix above 1024 is rejected before its body arrives', () => {
  const b = peer(false, [sodium.randombytes_buf(32)])
  assert.throws(() => b.conn.receive(Uint8Array.of(0x04, 0x01)), sessionError('FRAME_TOO_LARGE'))
})

test('a zero length prefix is rejected with BAD_FRAME', () => {
  const [a] = connected()
  assert.throws(() => a.conn.receive(Uint8Array.of(0, 0)), sessionError('BAD_FRAME'))
})

test('a responder without the initiator\'s PSK fails with WRONG_PSK', () => {
  const a = peer(true, [sodium.randombytes_buf(32)])
  const b = peer(false, [sodium.randombytes_buf(32)])
  a.conn.start()
  assert.throws(() => pump(a, b), sessionError('WRONG_PSK'))
  assert.equal(b.conn.established, false)
})

test('a responder with three candidate PSKs reports the index of the initiator\'s', () => {
  const candidates = [sodium.randombytes_buf(32), sodium.randombytes_buf(32), sodium.randombytes_buf(32)]
  const [a, b] = connected({}, { initiator: candidates[1]!, responder: candidates })
  assert.equal(b.established!.pskIndex, 1)
  assert.equal(a.established!.pskIndex, 0)
})

/** A raw Noise peer whose handshake key is not the X25519 form of the Ed25519 key it claims. */
function impostor (initiator: boolean, psk: Uint8Array): { noise: NoiseHandshake; claim: Uint8Array } {
  const claim = new Uint8Array(33)
  claim[0] = 1
  claim.set(newIdentity().publicKey, 1)
  return { noise: new NoiseHandshake({ initiator, pattern: HANDSHAKE_PATTERN, prologue: PROLOGUE, staticKeyPair: generateKeyPair(), psks: [psk] }), claim }
}

test('a responder rejects an initiator whose identity does not match its handshake key', () => {
  const psk = sodium.randombytes_buf(32)
  const { noise, claim } = impostor(true, psk)
  const b = peer(false, [psk])
  b.conn.receive(encodeFrame(noise.send()))
  noise.recv(b.outbox.splice(0)[0]!.subarray(2))
  assert.throws(() => b.conn.receive(encodeFrame(noise.send(claim))), sessionError('IDENTITY_MISMATCH'))
})

test('an initiator rejects a responder whose identity does not match its handshake key', () => {
  const psk = sodium.randombytes_buf(32)
  const { noise, claim } = impostor(false, psk)
  const a = peer(true, [psk])
  a.conn.start()
  noise.recv(a.outbox.splice(0)[0]!.subarray(2))
  assert.throws(() => a.conn.receive(encodeFrame(noise.send(claim))), sessionError('IDENTITY_MISMATCH'))
  assert.equal(a.outbox.length, 0)
})

test('a first handshake message with a payload is rejected with HANDSHAKE_FAILED', () => {
  const psk = sodium.randombytes_buf(32)
  const { noise } = impostor(true, psk)
  const b = peer(false, [psk])
  assert.throws(() => b.conn.receive(encodeFrame(noise.send(Uint8Array.of(1)))), sessionError('HANDSHAKE_FAILED'))
})

test('sending is refused before establishment, for REKEY frames and above the plaintext limit', () => {
  const a = peer(true, [sodium.randombytes_buf(32)])
  assert.throws(() => a.conn.send(message(0x10, 5)), sessionError('WRONG_STATE'))
  const [b] = connected()
  assert.throws(() => b.conn.send(Uint8Array.of(0x04)), RangeError)
  assert.throws(() => b.conn.send(new Uint8Array(0)), RangeError)
  assert.throws(() => b.conn.send(message(0x10, MAX_PLAINTEXT + 1)), RangeError)
})

test('a responder sends nothing to an initiator without one of its PSKs: not even its identity', () => {
  const b = peer(false, [sodium.randombytes_buf(32), sodium.randombytes_buf(32)])
  const prober = peer(true, [sodium.randombytes_buf(32)])
  prober.conn.start()
  assert.throws(() => b.conn.receive(prober.outbox.splice(0)[0]!), sessionError('WRONG_PSK'))
  assert.equal(b.outbox.length, 0)
})

test('message 2 cannot be read without the PSK: the responder\'s identity stays hidden from a relay of message 1', () => {
  const psk = sodium.randombytes_buf(32)
  const a = peer(true, [psk])
  const b = peer(false, [psk])
  a.conn.start()
  b.conn.receive(a.outbox.splice(0)[0]!)
  const message2 = b.outbox.splice(0)[0]!.subarray(2)
  // Whoever saw message 1 go by and guesses the PSK wrong gets nothing out of message 2.
  const eavesdropper = new NoiseHandshake({ initiator: true, pattern: HANDSHAKE_PATTERN, prologue: PROLOGUE, staticKeyPair: generateKeyPair(), psks: [sodium.randombytes_buf(32)] })
  eavesdropper.send()
  assert.throws(() => eavesdropper.recv(message2), (err: unknown) => err instanceof NoiseError)
  assert.equal(Buffer.from(message2).includes(Buffer.from(b.identity.publicKey)), false)
})

test('an initiator expecting an identity at an address does not finish the handshake with another one', () => {
  const psk = sodium.randombytes_buf(32)
  const a = peer(true, [psk], { expectedRemote: newIdentity().publicKey })
  const b = peer(false, [psk])
  a.conn.start()
  b.conn.receive(a.outbox.splice(0)[0]!)
  assert.throws(() => a.conn.receive(b.outbox.splice(0)[0]!), sessionError('UNEXPECTED_IDENTITY'))
  assert.equal(a.outbox.length, 0, 'message 3 was never sent')
  assert.equal(a.established, null)
})

test('an initiator expecting the identity it meets finishes as usual', () => {
  const psk = sodium.randombytes_buf(32)
  const b = peer(false, [psk])
  const a = peer(true, [psk], { expectedRemote: b.identity.publicKey })
  a.conn.start()
  b.conn.receive(a.outbox.splice(0)[0]!)
  a.conn.receive(b.outbox.splice(0)[0]!)
  b.conn.receive(a.outbox.splice(0)[0]!)
  assert.deepEqual(a.established!.remoteIdentity, b.identity.publicKey)
})
