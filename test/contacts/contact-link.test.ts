import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CONTACT_LINK_PREFIX, MAX_CONTACT_LINK_BYTES, parseContactLink, toContactLink } from '../../core/contacts/contact-link.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'
import { BitChatError } from '../../core/api/errors.ts'

const key = generateIdentity().publicKey
const good = toContactLink({ publicKey: key, name: 'Zoë & co 🦊' })

test('a contact link round-trips key and name', () => {
  const parsed = parseContactLink(good)
  assert.deepEqual(parsed, { publicKey: key, name: 'Zoë & co 🦊' })
  assert.ok(good.startsWith(CONTACT_LINK_PREFIX))
  assert.ok(good.length < MAX_CONTACT_LINK_BYTES)
})

test('surrounding whitespace (a pasted line) is forgiven', () => {
  assert.deepEqual(parseContactLink(`  ${good}\n`).publicKey, key)
})

test('the longest name still fits the bound', () => {
  const link = toContactLink({ publicKey: key, name: '鿿'.repeat(64) })
  assert.ok(link.length <= MAX_CONTACT_LINK_BYTES, `${link.length} bytes`)
  assert.equal(parseContactLink(link).name, '鿿'.repeat(64))
})

const hex = toHex(key)
const otherHex = toHex(generateIdentity().publicKey)
const check = new URLSearchParams(good.slice(CONTACT_LINK_PREFIX.length)).get('x')!
const cases: Array<[string, string, RegExp]> = [
  ['a channel link', 'bitchat:?v=2&n=x', /does not start with bitchat:contact\?/],
  ['no version', `${CONTACT_LINK_PREFIX}k=${hex}&n=a&x=${check}`, /missing v/],
  ['a newer version', `${CONTACT_LINK_PREFIX}v=2&k=${hex}&n=a&x=${check}`, /unknown version "2"/],
  ['a key cut short', `${CONTACT_LINK_PREFIX}v=1&k=${hex.slice(0, 62)}&n=a&x=${check}`, /k must be 64 lowercase hex/],
  ['a key in capitals', `${CONTACT_LINK_PREFIX}v=1&k=${hex.toUpperCase()}&n=a&x=${check}`, /k must be 64 lowercase hex/],
  ['another key under this check', `${CONTACT_LINK_PREFIX}v=1&k=${otherHex}&n=a&x=${check}`, /changed or cut short/],
  ['no check', `${CONTACT_LINK_PREFIX}v=1&k=${hex}&n=a`, /missing x/],
  ['a parameter twice', `${CONTACT_LINK_PREFIX}v=1&k=${hex}&k=${hex}&n=a&x=${check}`, /k given more than once/],
  ['an unknown parameter', `${CONTACT_LINK_PREFIX}v=1&k=${hex}&n=a&x=${check}&evil=1`, /unknown parameter "evil"/],
  ['a name with a line break', `${CONTACT_LINK_PREFIX}v=1&k=${hex}&n=a%0Ab&x=${check}`, /control characters/],
  ['a name that hides characters', `${CONTACT_LINK_PREFIX}v=1&k=${hex}&n=a%E2%80%AEb&x=${check}`, /invisible|reorder|hide/i],
  ['an empty name', `${CONTACT_LINK_PREFIX}v=1&k=${hex}&n=&x=${check}`, /n is required/],
  ['bad percent-encoding', `${CONTACT_LINK_PREFIX}v=1&k=${hex}&n=%E2%80&x=${check}`, /bad percent-encoding/],
  ['spaces inside', `${CONTACT_LINK_PREFIX}v=1&k=${hex}&n=a b&x=${check}`, /printable ASCII/],
  ['far too long', `${CONTACT_LINK_PREFIX}v=1&k=${hex}&n=${'a'.repeat(2000)}&x=${check}`, /longer than 1024 bytes/]
]

for (const [name, link, problem] of cases) {
  test(`a contact link is refused: ${name}`, () => {
    assert.throws(() => parseContactLink(link), (err: unknown) => err instanceof BitChatError && err.code === 'INVALID_URI' && problem.test(err.message))
  })
}
