import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isWellFormedText, utf8DecodeStrict, utf8Encode } from '../../core/codec/utf8.ts'

test('round-trips text', () => {
  assert.equal(utf8DecodeStrict(utf8Encode('héllo \u{1F600}')), 'héllo \u{1F600}')
})

test('strict decoding returns null for invalid UTF-8', () => {
  for (const bad of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) assert.equal(utf8DecodeStrict(Uint8Array.from(bad)), null)
})

test('strict decoding keeps a leading byte order mark', () => {
  assert.equal(utf8DecodeStrict(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61])), '\uFEFFa')
})

test('isWellFormedText rejects lone surrogates only', () => {
  assert.equal(isWellFormedText('a\u{1F600}'), true)
  assert.equal(isWellFormedText('a\uD83D'), false)
  assert.equal(isWellFormedText('\uDE00a'), false)
})
