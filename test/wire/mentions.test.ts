import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeEntryBody, encodeEntryBody, KIND_EDIT, KIND_REPLY, KIND_TEXT, type EntryBody } from '../../core/wire/entry-kinds.ts'
import { MAX_MENTIONS } from '../../core/wire/mentions.ts'
import { WireError, Writer } from '../../core/wire/codec.ts'
import { createGroupEntry, decodeGroupMessage, MAX_TEXT_BYTES } from '../../core/wire/group-message.ts'
import { generateIdentity } from '../../core/identity/identity.ts'

const key = (n: number): string => n.toString(16).padStart(64, '0')
const id = (n: number): string => 'a' + n.toString(16).padStart(63, '0')
const isWireError = (err: unknown): boolean => err instanceof WireError
const keys = (n: number): string[] => Array.from({ length: n }, (_, i) => key(i + 1))

const roundTrips: Array<Extract<EntryBody, { kind: 'text' | 'reply' | 'edit' }>> = [
  { kind: 'text', text: 'hi @bob', mentions: [key(7)] },
  { kind: 'text', text: '@all of you', mentions: keys(MAX_MENTIONS) },
  { kind: 'reply', target: id(1), text: 'thanks @carol', mentions: [key(3), key(9)] },
  { kind: 'edit', target: id(2), text: 'meant @dave', mentions: [key(4)] }
]

for (const entry of roundTrips) {
  test(`an entry with mentions round-trips: ${entry.kind} naming ${entry.mentions?.length}`, () => {
    const { kind, body } = encodeEntryBody(entry)
    assert.deepEqual(decodeEntryBody(kind, body), entry)
  })
}

test('an entry that mentions no one is encoded as before mentions existed', () => {
  assert.deepEqual(encodeEntryBody({ kind: 'text', text: 'plain', mentions: [] }).body, new TextEncoder().encode('plain'))
  assert.deepEqual(decodeEntryBody(KIND_TEXT, new TextEncoder().encode('plain')), { kind: 'text', text: 'plain' })
})

test('a text message with mentions shows its text, not its list, as a group message', () => {
  const author = generateIdentity()
  const { kind, body } = encodeEntryBody({ kind: 'text', text: 'hello @you', mentions: [key(5)] })
  const m = createGroupEntry({ channelId: new Uint8Array(32).fill(1), author, seq: 1, timestamp: 1, kind, body })
  assert.equal(m.text, 'hello @you')
  assert.equal(decodeGroupMessage(m.raw).text, 'hello @you')
})

const list = (n: number, each: (w: Writer, i: number) => void = (w, i) => { w.fixed(new Uint8Array(32).fill(i + 1), 32) }): Writer => {
  const w = new Writer().u8(0).varint(n)
  for (let i = 0; i < n; i++) each(w, i)
  return w
}
const withText = (w: Writer, text = 'x'): Uint8Array => new Uint8Array([...w.finish(), ...new TextEncoder().encode(text)])

const refused: Array<[string, () => unknown]> = [
  ['more than 32 mentions (encoding)', () => encodeEntryBody({ kind: 'text', text: 'x', mentions: keys(MAX_MENTIONS + 1) })],
  ['more than 32 mentions (decoding)', () => decodeEntryBody(KIND_TEXT, withText(list(MAX_MENTIONS + 1)))],
  ['one key twice (encoding)', () => encodeEntryBody({ kind: 'reply', target: id(1), text: 'x', mentions: [key(1), key(1)] })],
  ['one key twice (decoding)', () => decodeEntryBody(KIND_TEXT, withText(list(2, w => { w.fixed(new Uint8Array(32).fill(3), 32) })))],
  ['a mention that is a name, not a key', () => encodeEntryBody({ kind: 'text', text: 'x', mentions: ['bob'] })],
  ['a mention of an upper-case key', () => encodeEntryBody({ kind: 'text', text: 'x', mentions: [key(10).toUpperCase()] })],
  ['an empty list', () => decodeEntryBody(KIND_TEXT, withText(list(0)))],
  ['a list cut inside a key', () => decodeEntryBody(KIND_TEXT, new Writer().u8(0).varint(2).fixed(new Uint8Array(40), 40).finish())],
  ['a text that begins with U+0000, which would read as a list', () => encodeEntryBody({ kind: 'text', text: '\u0000hi' })],
  ['a reply whose only text is its list', () => decodeEntryBody(KIND_REPLY, new Uint8Array([...new Uint8Array(32), ...list(1).finish()]))],
  ['an edit with mentions and no text', () => encodeEntryBody({ kind: 'edit', target: id(1), text: '', mentions: [key(1)] })],
  ['a text that fills the body and leaves no room for the list', () => encodeEntryBody({ kind: 'text', text: 'x'.repeat(MAX_TEXT_BYTES), mentions: [key(1)] })],
  ['an edit that fills the body and leaves no room for the list', () => encodeEntryBody({ kind: 'edit', target: id(1), text: 'x'.repeat(MAX_TEXT_BYTES - 32), mentions: [key(1)] })]
]

for (const [name, attempt] of refused) {
  test(`mentions are refused: ${name}`, () => {
    assert.throws(attempt, isWireError)
  })
}

test('a text fills the body less its list', () => {
  const { body } = encodeEntryBody({ kind: 'text', text: 'x'.repeat(MAX_TEXT_BYTES - 2 - 32), mentions: [key(1)] })
  assert.equal(body.length, MAX_TEXT_BYTES)
  assert.equal(decodeEntryBody(KIND_EDIT, new Uint8Array([...new Uint8Array(32), ...list(1).finish(), 0x41])).kind, 'edit')
})
