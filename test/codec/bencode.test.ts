import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BencodeError, decode, encode } from '../../core/codec/bencode.ts'
import type { BDict, BValue } from '../../core/codec/bencode.ts'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const dict = (entries: Record<string, BValue>): BDict => Object.assign(Object.create(null), entries)

function rejects (input: string | Uint8Array, problem: RegExp, opts?: { maxDepth?: number; maxItems?: number }): BencodeError {
  const err = (() => {
    try {
      decode(typeof input === 'string' ? bytes(input) : input, opts)
    } catch (e) {
      return e
    }
    assert.fail(`accepted ${String(input)}`)
  })()
  assert.ok(err instanceof BencodeError, String(err))
  assert.match(err.message, problem)
  return err
}

test('round-trips integers, byte strings, lists and dictionaries', () => {
  const value = dict({
    int: 42,
    neg: -7,
    zero: 0,
    max: Number.MAX_SAFE_INTEGER,
    min: -Number.MAX_SAFE_INTEGER,
    str: bytes('spam'),
    empty: new Uint8Array(0),
    binary: Uint8Array.from([0, 255, 58, 101]),
    list: [1, bytes('a'), [dict({})], []],
    nested: dict({ 'ü': bytes('unicode key') })
  })
  assert.deepEqual(decode(encode(value)), value)
})

test('encodes the BEP 3 examples', () => {
  assert.deepEqual(encode(bytes('spam')), bytes('4:spam'))
  assert.deepEqual(encode(3), bytes('i3e'))
  assert.deepEqual(encode(-3), bytes('i-3e'))
  assert.deepEqual(encode([bytes('spam'), bytes('eggs')]), bytes('l4:spam4:eggse'))
  assert.deepEqual(encode({ spam: [bytes('a'), bytes('b')], cow: bytes('moo') }), bytes('d3:cow3:moo4:spaml1:a1:bee'))
})

test('encodes bigints, including ones beyond the safe range', () => {
  assert.deepEqual(encode(2n ** 64n), bytes('i18446744073709551616e'))
})

test('encode sorts keys by their UTF-8 bytes, not by UTF-16 code units', () => {
  // In UTF-16 U+1F600 (0xD83D…) sorts before U+FF61; in UTF-8 (F0… vs EF…) it sorts after.
  const encoded = new TextDecoder().decode(encode({ '\u{1F600}': 1, '\uFF61': 2, a: 3 }))
  assert.equal(encoded, 'd1:ai3e3:\uFF61i2e4:\u{1F600}i1ee')
})

test('encode refuses numbers that are not safe integers', () => {
  for (const n of [1.5, Number.MAX_SAFE_INTEGER + 1, Infinity, NaN]) assert.throws(() => encode(n), RangeError)
})

test('encode refuses keys with lone surrogates and values of other types', () => {
  assert.throws(() => encode({ '\uD800': 1 }), TypeError)
  assert.throws(() => encode({ a: undefined as unknown as BValue }), TypeError)
  assert.throws(() => encode('text' as unknown as BValue), TypeError)
})

test('decode returns dictionaries without a prototype, so "__proto__" is an ordinary key', () => {
  const value = decode(bytes('d9:__proto__i1ee')) as BDict
  assert.equal(Object.getPrototypeOf(value), null)
  assert.equal(value.__proto__, 1)
})

test('decode copies byte strings out of the input', () => {
  const input = bytes('3:abc')
  const value = decode(input) as Uint8Array
  input[2] = 0x7a
  assert.deepEqual(value, bytes('abc'))
})

test('rejects empty input and truncation anywhere', () => {
  const full = encode(dict({ a: [1, bytes('xyz')], b: dict({ c: -12 }) }))
  for (let n = 0; n < full.length; n++) rejects(full.subarray(0, n), /unexpected end|not followed|only \d+ left|without digits/)
})

test('rejects trailing bytes', () => {
  assert.equal(rejects('i1ei2e', /3 trailing bytes/).offset, 3)
})

test('rejects integers with leading zeros, negative zero or no digits', () => {
  rejects('i01e', /leading zero/)
  rejects('i-01e', /leading zero/)
  rejects('i-0e', /negative zero/)
  rejects('ie', /without digits/)
  rejects('i-e', /without digits/)
  rejects('i+1e', /without digits/)
  rejects('i1.5e', /not followed by 'e'/)
})

test('rejects integers beyond Number.MAX_SAFE_INTEGER', () => {
  rejects('i9007199254740992e', /out of range/)
  rejects('i-9007199254740992e', /out of range/)
  rejects('i99999999999999999999999999999e', /out of range/)
  assert.equal(decode(bytes('i9007199254740991e')), Number.MAX_SAFE_INTEGER)
})

test('rejects string lengths with leading zeros or beyond the input, before allocating', () => {
  rejects('03:abc', /leading zero/)
  rejects('4:abc', /string of 4 bytes but only 3 left/)
  rejects('9007199254740991:x', /only 1 left/)
  rejects('99999999999999999999:x', /out of range/)
  rejects('3abc', /not followed by ':'/)
})

test('rejects unsorted and duplicate dictionary keys', () => {
  assert.equal(rejects('d1:bi1e1:ai2ee', /out of order/).offset, 7)
  rejects('d1:ai1e1:ai2ee', /duplicate dictionary key/)
  rejects('d2:abi1e1:ai2ee', /out of order/)
})

test('rejects dictionary keys that are not byte strings or not UTF-8', () => {
  rejects('di1ei2ee', /key that is not a byte string/)
  rejects(Uint8Array.from([0x64, 0x31, 0x3a, 0xff, 0x69, 0x31, 0x65, 0x65]), /not valid UTF-8/)
})

test('keeps a leading byte order mark in keys, so distinct keys stay distinct', () => {
  const value = decode(bytes('d1:a1:x4:\uFEFFa1:ye')) as BDict
  assert.deepEqual(Object.keys(value), ['a', '\uFEFFa'])
})

test('rejects bytes that start no value', () => {
  rejects('x', /unexpected byte 0x78 at byte 0/)
  rejects('l-e', /unexpected byte 0x2d/)
})

test('rejects nesting deeper than maxDepth (16 by default)', () => {
  assert.deepEqual(decode(bytes('l'.repeat(16) + 'e'.repeat(16))), nest(16))
  rejects('l'.repeat(17) + 'e'.repeat(17), /nesting deeper than 16/)
  rejects('ld1:al', /nesting deeper than 2/, { maxDepth: 2 })
  rejects('l'.repeat(100_000), /nesting deeper than 16/)
})

test('rejects more items than maxItems', () => {
  assert.deepEqual(decode(bytes('li1ei2ee'), { maxItems: 3 }), [1, 2])
  rejects('li1ei2ei3ee', /more than 3 items/, { maxItems: 3 })
  rejects('d1:ai1ee', /more than 2 items/, { maxItems: 2 })
})

function nest (depth: number): BValue {
  return depth === 1 ? [] : [nest(depth - 1)]
}

test('random mutations either fail with BencodeError or decode to something that re-encodes identically', () => {
  const seed = encode(dict({ a: [1, -2, bytes('xyz'), dict({ k: bytes('v') })], bb: 1234567, c: bytes('') }))
  let state = 0x12345678
  const random = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state % n
  }
  const alphabet = bytes('0123456789ilde:-x')
  for (let round = 0; round < 20_000; round++) {
    const input = Uint8Array.from(seed)
    for (let m = 1 + random(3); m > 0; m--) input[random(input.length)] = alphabet[random(alphabet.length)]!
    let value: BValue
    try {
      value = decode(input)
    } catch (err) {
      assert.ok(err instanceof BencodeError, String(err))
      continue
    }
    assert.deepEqual(encode(value), input)
  }
})
