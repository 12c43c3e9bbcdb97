import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadSodium } from '../../core/crypto/sodium.ts'
import { WireError, Writer } from '../../core/wire/codec.ts'
import {
  createGroupEntry, createGroupMessage, decodeGroupMessage, MAX_GROUP_MESSAGE_BYTES, MAX_TEXT_BYTES, verifyGroupMessage, type GroupMessage
} from '../../core/wire/group-message.ts'
import { author, channelId, sampleGroupMessage } from './fixtures.ts'

// libsodium's WebAssembly build: an independent reference for what core computes natively.
const sodium = await loadSodium()

const isWireError = (err: unknown): boolean => err instanceof WireError

/** A structurally complete message with a zero signature, for fields createGroupMessage would refuse. */
function unsignedRaw (fields: { version?: number; seq?: number; kind?: number; body?: Uint8Array }): Uint8Array {
  return new Writer()
    .u8(fields.version ?? 1)
    .fixed(channelId, 32)
    .fixed(author.publicKey, 32)
    .varint(fields.seq ?? 1)
    .varint(0)
    .u8(fields.kind ?? 1)
    .bytes(fields.body ?? new Uint8Array(0), 100_000)
    .fixed(new Uint8Array(64), 64)
    .finish()
}

/** Decodes and verifies, the way a receiver does; a structural rejection counts as not verified. */
function accepts (raw: Uint8Array): boolean {
  let m: GroupMessage
  try {
    m = decodeGroupMessage(raw)
  } catch (err) {
    assert.ok(err instanceof WireError, String(err))
    return false
  }
  return verifyGroupMessage(m, channelId)
}

test('a created message verifies for its channel', () => {
  assert.equal(verifyGroupMessage(sampleGroupMessage(), channelId), true)
})

test('a message does not verify for another channel', () => {
  assert.equal(verifyGroupMessage(sampleGroupMessage(), sodium.randombytes_buf(32)), false)
})

test('decoding the raw bytes gives back the created message', () => {
  const m = sampleGroupMessage()
  assert.deepEqual(decodeGroupMessage(m.raw), m)
  assert.equal(m.seq, 7)
  assert.equal(m.timestamp, 1_760_000_000_123)
  assert.equal(m.kind, 1)
  assert.equal(m.text, 'hello, channel ✓')
})

test('the layout and signature follow the protocol', () => {
  const m = sampleGroupMessage()
  assert.equal(m.raw[0], 1)
  assert.deepEqual(m.raw.subarray(1, 33), channelId)
  assert.deepEqual(m.raw.subarray(33, 65), author.publicKey)
  const unsigned = m.raw.subarray(0, m.raw.length - 64)
  const signed = Buffer.concat([Buffer.from('BitChat msg v1\0'), unsigned])
  assert.equal(sodium.crypto_sign_verify_detached(m.raw.subarray(m.raw.length - 64), signed, author.publicKey), true)
  assert.equal(m.id, sodium.to_hex(sodium.crypto_generichash(32, signed, null)))
})

test('the id is deterministic and depends on the content', () => {
  const a = sampleGroupMessage('same')
  const b = sampleGroupMessage('same')
  assert.equal(a.id, b.id)
  assert.match(a.id, /^[0-9a-f]{64}$/)
  assert.equal(decodeGroupMessage(a.raw).id, a.id)
  assert.notEqual(sampleGroupMessage('other').id, a.id)
})

test('flipping any bit of any byte stops the message from being accepted', () => {
  const m = sampleGroupMessage('short')
  assert.equal(accepts(m.raw), true)
  for (let i = 0; i < m.raw.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const tampered = m.raw.slice()
      tampered[i] = (tampered[i] as number) ^ (1 << bit)
      assert.equal(accepts(tampered), false, `byte ${i} bit ${bit}`)
    }
  }
})

test('verification checks the raw bytes, whatever the other fields say', () => {
  const m = sampleGroupMessage()
  const tampered = m.raw.slice()
  tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1
  assert.equal(verifyGroupMessage({ ...m, raw: tampered }, channelId), false)
})

test('verification returns false for garbage instead of throwing', () => {
  const m = sampleGroupMessage()
  for (const raw of [new Uint8Array(0), new Uint8Array(133), sodium.randombytes_buf(200), new Uint8Array(MAX_GROUP_MESSAGE_BYTES + 1)]) {
    assert.equal(verifyGroupMessage({ ...m, raw }, channelId), false)
  }
  assert.equal(verifyGroupMessage(m, new Uint8Array(31)), false)
  const zeroAuthor = m.raw.slice()
  zeroAuthor.fill(0, 33, 65)
  assert.equal(verifyGroupMessage({ ...m, raw: zeroAuthor }, channelId), false)
})

test('text of exactly 16384 bytes is allowed, one more byte is not', () => {
  const max = createGroupMessage({ channelId, author, seq: 1, timestamp: 0, text: 'x'.repeat(MAX_TEXT_BYTES) })
  assert.equal(verifyGroupMessage(decodeGroupMessage(max.raw), channelId), true)
  assert.ok(max.raw.length <= MAX_GROUP_MESSAGE_BYTES)
  assert.throws(() => createGroupMessage({ channelId, author, seq: 1, timestamp: 0, text: 'x'.repeat(MAX_TEXT_BYTES + 1) }), /above the limit/)
  assert.throws(() => decodeGroupMessage(unsignedRaw({ body: new Uint8Array(MAX_TEXT_BYTES + 1).fill(0x78) })), isWireError)
})

test('a body that is not valid UTF-8 is rejected', () => {
  assert.throws(() => decodeGroupMessage(unsignedRaw({ body: Uint8Array.of(0xff, 0xfe) })), /not valid UTF-8/)
  assert.throws(() => decodeGroupMessage(unsignedRaw({ body: Uint8Array.of(0xed, 0xa0, 0x80) })), /not valid UTF-8/)
})

test('an entry of a kind this version does not know is read and verified, with its body left opaque', () => {
  const body = Uint8Array.from([0xff, 0x00, 0xfe, 0x80])
  const entry = createGroupEntry({ channelId, author, seq: 3, timestamp: 5, kind: 9, body })
  const decoded = decodeGroupMessage(entry.raw)
  assert.equal(decoded.kind, 9)
  assert.equal(decoded.text, '')
  assert.equal(decoded.id, entry.id)
  assert.equal(verifyGroupMessage(decoded, channelId), true)
  assert.equal(decodeGroupMessage(unsignedRaw({ kind: 0 })).kind, 0)
})

test('a text entry must be valid UTF-8; other kinds need not be', () => {
  const invalid = Uint8Array.from([0xc3, 0x28])
  assert.throws(() => decodeGroupMessage(unsignedRaw({ kind: 1, body: invalid })), /UTF-8/)
  assert.equal(decodeGroupMessage(unsignedRaw({ kind: 2, body: invalid })).kind, 2)
})

test('an entry body above 16384 bytes is refused whatever its kind', () => {
  assert.throws(() => createGroupEntry({ channelId, author, seq: 1, timestamp: 0, kind: 7, body: new Uint8Array(MAX_TEXT_BYTES + 1) }), /above the limit/)
  assert.throws(() => decodeGroupMessage(unsignedRaw({ kind: 7, body: new Uint8Array(MAX_TEXT_BYTES + 1) })), WireError)
})

test('an unknown version is rejected', () => {
  assert.throws(() => decodeGroupMessage(unsignedRaw({ version: 2 })), /version 2/)
})

test('seq 0 is rejected when creating and when decoding', () => {
  assert.throws(() => createGroupMessage({ channelId, author, seq: 0, timestamp: 0, text: 'x' }), /seq/)
  assert.throws(() => decodeGroupMessage(unsignedRaw({ seq: 0 })), /seq/)
})

test('a secret key that does not match the author key is refused', () => {
  const other = sodium.crypto_sign_keypair()
  assert.throws(() => createGroupMessage({ channelId, author: { publicKey: author.publicKey, secretKey: other.privateKey }, seq: 1, timestamp: 0, text: 'x' }), /does not belong/)
})

test('a channel id of the wrong size is refused', () => {
  assert.throws(() => createGroupMessage({ channelId: new Uint8Array(31), author, seq: 1, timestamp: 0, text: 'x' }), /channel id must be 32 bytes/)
})

test('a message above the size bound is rejected before parsing', () => {
  assert.throws(() => decodeGroupMessage(new Uint8Array(MAX_GROUP_MESSAGE_BYTES + 1)), /above the limit/)
})

test('the decoded message owns its bytes', () => {
  const raw = sampleGroupMessage().raw.slice()
  const m = decodeGroupMessage(raw)
  raw.fill(0)
  assert.equal(verifyGroupMessage(m, channelId), true)
})
