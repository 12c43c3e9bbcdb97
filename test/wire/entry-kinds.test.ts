import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeEntryBody, encodeEntryBody, KIND_DELETE, KIND_EDIT, KIND_REACTION, KIND_REPLY, KIND_TEXT, MAX_DELETED, type EntryBody } from '../../core/wire/entry-kinds.ts'
import { WireError, Writer } from '../../core/wire/codec.ts'

const id = (n: number): string => n.toString(16).padStart(64, '0')
const isWireError = (err: unknown): boolean => err instanceof WireError

const roundTrips: Array<Exclude<EntryBody, { kind: 'unknown' }>> = [
  { kind: 'text', text: 'hello 👋' },
  { kind: 'reply', target: id(1), text: 'yes' },
  { kind: 'edit', target: id(2), text: 'fixed the typo' },
  { kind: 'delete', targets: [{ id: id(3), seq: 7 }, { id: id(4), seq: 2 ** 53 - 1 }] },
  { kind: 'reaction', target: id(5), emoji: '👍🏽' },
  { kind: 'reaction', target: id(5), emoji: '🏳️‍🌈' },
  { kind: 'reaction', target: id(6), emoji: '' }
]

for (const entry of roundTrips) {
  test(`an entry round-trips: ${entry.kind} ${JSON.stringify(entry).slice(0, 60)}`, () => {
    const { kind, body } = encodeEntryBody(entry)
    assert.deepEqual(decodeEntryBody(kind, body), entry)
  })
}

test('each kind has the number of the protocol table', () => {
  assert.deepEqual([KIND_TEXT, KIND_REPLY, KIND_EDIT, KIND_DELETE, KIND_REACTION], [1, 2, 3, 4, 5])
  assert.deepEqual(decodeEntryBody(99, Uint8Array.of(1, 2, 3)), { kind: 'unknown' })
})

const refused: Array<[string, () => unknown]> = [
  ['a reply without text', () => decodeEntryBody(KIND_REPLY, new Uint8Array(32))],
  ['an edit cut inside its id', () => decodeEntryBody(KIND_EDIT, new Uint8Array(20))],
  ['an edit whose text is not UTF-8', () => decodeEntryBody(KIND_EDIT, Uint8Array.of(...new Uint8Array(32), 0xff))],
  ['a deletion of nothing', () => decodeEntryBody(KIND_DELETE, new Writer().varint(0).finish())],
  ['a deletion of too many', () => decodeEntryBody(KIND_DELETE, new Writer().varint(MAX_DELETED + 1).finish())],
  ['a deletion naming one entry twice', () => decodeEntryBody(KIND_DELETE, new Writer().varint(2).fixed(new Uint8Array(32), 32).varint(1).fixed(new Uint8Array(32), 32).varint(1).finish())],
  ['a deletion of seq 0', () => decodeEntryBody(KIND_DELETE, new Writer().varint(1).fixed(new Uint8Array(32), 32).varint(0).finish())],
  ['a deletion with trailing bytes', () => decodeEntryBody(KIND_DELETE, new Writer().varint(1).fixed(new Uint8Array(32), 32).varint(1).u8(0).finish())],
  ['a reaction of words', () => encodeEntryBody({ kind: 'reaction', target: id(1), emoji: 'lol' })],
  ['a reaction hiding text in zero-width characters', () => encodeEntryBody({ kind: 'reaction', target: id(1), emoji: '👍\u200bx' })],
  ['a reaction that is too long', () => encodeEntryBody({ kind: 'reaction', target: id(1), emoji: '👍'.repeat(9) })],
  ['a target that is not an id', () => encodeEntryBody({ kind: 'edit', target: 'nope', text: 'x' })],
  ['an empty edit', () => encodeEntryBody({ kind: 'edit', target: id(1), text: '' })]
]

for (const [name, attempt] of refused) {
  test(`an entry is refused: ${name}`, () => {
    assert.throws(attempt, isWireError)
  })
}
