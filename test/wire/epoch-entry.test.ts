// Kind 8, a new epoch's key sealed to each member (PROTOCOL §4.10): one codec, bounded, strict.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeEntryBody, encodeEntryBody, KIND_EPOCH, MAX_EPOCH_BOXES, SEALED_EPOCH_KEY_BYTES, type EntryBody } from '../../core/wire/entry-kinds.ts'
import { MAX_BODY_BYTES } from '../../core/wire/group-message.ts'
import { WireError, Writer } from '../../core/wire/codec.ts'
import { prng } from '../helpers/prng.ts'

type EpochEntry = Extract<EntryBody, { kind: 'epoch' }>
const member = (n: number): string => n.toString(16).padStart(64, '0')
const box = (n: number): Uint8Array => new Uint8Array(SEALED_EPOCH_KEY_BYTES).fill(n)
const check = 'ab'.repeat(16)
const entry = (boxes: number, epoch = 1): EpochEntry => ({ kind: 'epoch', epoch, check, boxes: Array.from({ length: boxes }, (_, i) => ({ member: member(i + 1), box: box(i) })) })
const isWireError = (err: unknown): boolean => err instanceof WireError

test('a new-epoch entry round-trips, from one box to as many as fit in a body', () => {
  assert.equal(KIND_EPOCH, 8)
  for (const e of [entry(1), entry(3, 0xffffffff), entry(MAX_EPOCH_BOXES)]) {
    const { kind, body } = encodeEntryBody(e)
    assert.equal(kind, KIND_EPOCH)
    assert.deepEqual(decodeEntryBody(kind, body), e)
  }
  assert.ok(encodeEntryBody(entry(MAX_EPOCH_BOXES)).body.length <= MAX_BODY_BYTES)
  assert.ok(encodeEntryBody(entry(MAX_EPOCH_BOXES)).body.length + 112 > MAX_BODY_BYTES, 'one more box would not fit')
})

const raw = (epoch: number, boxes: Array<[string, Uint8Array]>, trailing = false, count = boxes.length): Uint8Array => {
  const e = new Uint8Array(4)
  new DataView(e.buffer).setUint32(0, epoch)
  const w = new Writer().fixed(e, 4).fixed(new Uint8Array(16), 16).varint(count)
  for (const [m, b] of boxes) w.fixed(Buffer.from(m, 'hex'), 32).fixed(b, b.length)
  if (trailing) w.u8(0)
  return w.finish()
}

const refused: Array<[string, () => unknown]> = [
  ['epoch 0 (the genesis is no entry)', () => decodeEntryBody(KIND_EPOCH, raw(0, [[member(1), box(1)]]))],
  ['a key given to no one', () => decodeEntryBody(KIND_EPOCH, raw(1, []))],
  ['more boxes than fit', () => decodeEntryBody(KIND_EPOCH, raw(1, [[member(1), box(1)]], false, MAX_EPOCH_BOXES + 1))],
  ['a box cut short', () => decodeEntryBody(KIND_EPOCH, raw(1, [[member(1), box(1).subarray(1)]]))],
  ['trailing bytes', () => decodeEntryBody(KIND_EPOCH, raw(1, [[member(1), box(1)]], true))],
  ['one member twice', () => decodeEntryBody(KIND_EPOCH, raw(1, [[member(1), box(1)], [member(1), box(2)]]))],
  ['members out of order', () => decodeEntryBody(KIND_EPOCH, raw(1, [[member(2), box(1)], [member(1), box(2)]]))],
  ['a count promising more than the body holds', () => decodeEntryBody(KIND_EPOCH, raw(1, [[member(1), box(1)]], false, 2))],
  ['encoding epoch 0', () => encodeEntryBody(entry(1, 0))],
  ['encoding an epoch above a u32', () => encodeEntryBody(entry(1, 2 ** 32))],
  ['encoding a check of the wrong size', () => encodeEntryBody({ ...entry(1), check: 'ab' })],
  ['encoding too many boxes', () => encodeEntryBody(entry(MAX_EPOCH_BOXES + 1))],
  ['encoding members out of order', () => encodeEntryBody({ ...entry(2), boxes: [...entry(2).boxes].reverse() })]
]

for (const [name, fn] of refused) {
  test(`a new-epoch entry is refused: ${name}`, () => {
    assert.throws(fn, isWireError)
  })
}

test('a mangled new-epoch body is refused with a WireError, never anything else', () => {
  const random = prng(0x8e90c4)
  const int = (n: number): number => Math.floor(random() * n)
  const valid = encodeEntryBody(entry(3)).body
  for (let i = 0; i < 2000; i++) {
    let body = valid.slice()
    for (let n = 1 + int(4); n > 0; n--) {
      const at = int(body.length + 1)
      if (int(2) === 0 && at < body.length) body[at] = int(256)
      else body = body.slice(0, at)
    }
    try {
      const decoded = decodeEntryBody(KIND_EPOCH, body)
      assert.deepEqual(decodeEntryBody(KIND_EPOCH, encodeEntryBody(decoded as EpochEntry).body), decoded, 'what decodes encodes back the same')
    } catch (err) {
      assert.ok(isWireError(err), `${String(err)} for ${Buffer.from(body).toString('hex').slice(0, 80)}`)
    }
  }
})
