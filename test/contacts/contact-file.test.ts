import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BitChatError } from '../../core/api/errors.ts'
import { contactFileName, parseContactFile, toContactFile } from '../../core/contacts/contact-file.ts'
import { MAX_CONTACT_FILE_BYTES } from '../../core/contacts/contact-limits.ts'
import { toHex } from '../../core/codec/hex.ts'
import { signSeedKeyPair } from '../../core/crypto/native.ts'
import { fingerprintOf } from '../../core/identity/fingerprint.ts'
import { generateIdentity } from '../../core/identity/identity.ts'

const key = generateIdentity().publicKey
const good = toContactFile({ publicKey: key, name: 'Zoë & co 🦊' })

function refused (text: string, problem: RegExp): void {
  assert.throws(() => parseContactFile(text), (err: unknown) => {
    assert.ok(err instanceof BitChatError, String(err))
    assert.equal(err.code, 'INVALID_CONTACT_FILE')
    assert.match(err.message, problem)
    return true
  })
}

test('a contact file round-trips key and name', () => {
  assert.deepEqual(parseContactFile(good), { publicKey: key, name: 'Zoë & co 🦊' })
})

test('the published example: fixed key, fixed text', () => {
  const fixed = signSeedKeyPair(new Uint8Array(32).fill(1)).publicKey
  assert.equal(toContactFile({ publicKey: fixed, name: 'Ada' }), [
    'bitchat-contact 1',
    'key: 8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c',
    'name: Ada',
    `fingerprint: ${fingerprintOf(fixed)}`,
    ''
  ].join('\n'))
  assert.equal(fingerprintOf(fixed), 'WTPM 2WS7 R4V2 OCHY Z3LS 53EJ 6RHT X2LK')
})

test('reads a file an editor saved with CRLF line ends, a byte-order mark or no final newline', () => {
  assert.deepEqual(parseContactFile('\uFEFF' + good.replaceAll('\n', '\r\n')).publicKey, key)
  assert.deepEqual(parseContactFile(good.trimEnd()).publicKey, key)
})

test('the longest name stays within the bound', () => {
  const text = toContactFile({ publicKey: key, name: '鿿'.repeat(64) })
  assert.ok(Buffer.byteLength(text) <= MAX_CONTACT_FILE_BYTES / 2, `${Buffer.byteLength(text)} bytes`)
  assert.equal(parseContactFile(text).name, '鿿'.repeat(64))
})

test('refuses a key that was edited or cut short, whose fingerprint no longer matches', () => {
  const hex = toHex(key)
  const other = toHex(generateIdentity().publicKey)
  refused(good.replace(hex, other), /does not match its fingerprint: it was changed or cut short/)
  refused(good.replace(hex, hex.slice(0, 62)), /key must be 64 lowercase hex characters/)
  refused(good.replace(hex, hex.toUpperCase()), /key must be 64 lowercase hex characters/)
  refused(good.replace(/fingerprint: .*/, 'fingerprint: AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA'), /does not match its fingerprint/)
})

test('refuses anything but the four lines of version 1', () => {
  refused('bitchat:contact?v=1&k=00', /not a BitChat contact file/)
  refused(good.replace('bitchat-contact 1', 'bitchat-contact 2'), /unknown version "2"/)
  refused(good + 'notes: hi\n', /5 lines, not 4/)
  refused(good.split('\n').slice(0, 3).join('\n'), /3 lines, not 4/)
  refused(good.replace('name: ', 'nick: '), /line 3 must start with "name: "/)
  refused(good.replace('key: ', 'key:'), /line 2 must start with "key: "/)
  refused('', /not a BitChat contact file/)
})

test('refuses a name the name rule refuses, and a file above the bound', () => {
  refused(good.replace('name: Zoë & co 🦊', 'name: '), /name is required/)
  refused(good.replace('name: Zoë & co 🦊', 'name: evil\u202Eexe'), /invisible characters/)
  refused(good.replace('name: Zoë & co 🦊', `name: ${'x'.repeat(MAX_CONTACT_FILE_BYTES)}`), /larger than 1024 bytes/)
})

test('the file is named for the person, safely', () => {
  assert.equal(contactFileName('Zoë'), 'Zoë.bitchat-contact')
  assert.equal(contactFileName('../../etc'), 'etc.bitchat-contact')
  assert.equal(contactFileName('...'), 'contact.bitchat-contact')
})
