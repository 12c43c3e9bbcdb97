// The address book against a real SQLite file: what the contacts.* API does, and whom the node treats as blocked.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import type { ContactInfo } from '../../core/api/contract.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { toHex } from '../../core/codec/hex.ts'
import { AddressBook } from '../../core/contacts/address-book.ts'
import { toContactLink } from '../../core/contacts/contact-link.ts'
import { MAX_CONTACTS } from '../../core/contacts/contact-limits.ts'
import { safetyCode } from '../../core/contacts/safety-code.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { fingerprintOf } from '../../core/identity/fingerprint.ts'
import type { Store } from '../../core/store/store.ts'
import { openTempStore } from '../store/store-fixture.ts'

const me = generateIdentity().publicKey
const bob = generateIdentity().publicKey
const bobHex = toHex(bob)

function book (t: TestContext, store?: Store) {
  const events: Array<['updated', ContactInfo] | ['removed', string] | ['block', string, boolean]> = []
  const signed = new Map<string, string>()
  const s = store ?? openTempStore(t).store
  const b = new AddressBook({
    store: s,
    ownKey: () => me,
    theirNameOf: (key) => signed.get(key),
    onUpdated: (c) => { events.push(['updated', c]) },
    onRemoved: (k) => { events.push(['removed', k]) },
    onBlockChange: (k, blocked) => { events.push(['block', k, blocked]) }
  })
  return { book: b, events, signed, store: s }
}

const isCode = (code: string) => (err: unknown): boolean => err instanceof BitChatError && err.code === code

test('a contact added by link takes the name in the link, its fingerprint and the name they signed', t => {
  const { book: b, signed, events } = book(t)
  signed.set(bobHex, 'Robert')
  const added = b.add({ link: toContactLink({ publicKey: bob, name: 'bob' }) })
  assert.deepEqual({ ...added, addedAt: 0 }, { publicKey: bobHex, name: 'bob', theirName: 'Robert', fingerprint: fingerprintOf(bob), verified: false, blocked: false, notes: '', addedAt: 0 })
  assert.deepEqual(b.list(), [added])
  assert.deepEqual(events, [['updated', added]])
})

test('adding someone already there keeps them, renaming only when a name is given', t => {
  const { book: b } = book(t)
  const first = b.add({ publicKey: bobHex, name: 'bob' })
  assert.equal(b.add({ publicKey: bobHex }).name, 'bob')
  const renamed = b.add({ publicKey: bobHex, name: 'Bobby' })
  assert.equal(renamed.name, 'Bobby')
  assert.equal(renamed.addedAt, first.addedAt)
  assert.equal(b.list().length, 1)
})

test('update changes only what is given; their signed name is kept up as it changes', t => {
  const { book: b } = book(t)
  b.add({ publicKey: bobHex, name: 'bob' })
  b.update(bobHex, { notes: 'met at the conference', verified: true })
  b.noteTheirName(bobHex, 'Robert')
  assert.deepEqual(b.list().map(c => [c.name, c.notes, c.verified, c.theirName]), [['bob', 'met at the conference', true, 'Robert']])
  assert.throws(() => b.update(toHex(generateIdentity().publicKey), { name: 'x' }), isCode('CONTACT_NOT_FOUND'))
})

test('blocking someone who is not a contact adds them blocked; the block survives a restart and ends with remove', t => {
  const { book: b, events, store } = book(t)
  const blocked = b.update(bobHex, { blocked: true })
  assert.equal(blocked.blocked, true)
  assert.equal(b.isBlocked(bobHex), true)
  assert.deepEqual(events.filter(e => e[0] === 'block'), [['block', bobHex, true]])
  // A new book on the same store: as after a restart.
  const again = book(t, store).book
  assert.equal(again.isBlocked(bobHex), true)
  again.remove(bobHex)
  assert.equal(again.isBlocked(bobHex), false)
  assert.throws(() => { again.remove(bobHex) }, isCode('CONTACT_NOT_FOUND'))
})

test('our own key cannot be added, blocked or given a safety code', t => {
  const { book: b } = book(t)
  assert.throws(() => b.add({ publicKey: toHex(me) }), /your own key/)
  assert.throws(() => b.update(toHex(me), { blocked: true }), /your own key/)
  assert.throws(() => b.safetyCode(toHex(me)), /your own key/)
})

test('the safety code is the one of our key and theirs', t => {
  const { book: b } = book(t)
  assert.equal(b.safetyCode(bobHex), safetyCode(bob, me))
})

test('inspecting a link says what it holds and whether they are known, adding nothing', t => {
  const { book: b } = book(t)
  const link = toContactLink({ publicKey: bob, name: 'bob' })
  assert.deepEqual(b.inspectLink(link), { publicKey: bobHex, name: 'bob', fingerprint: fingerprintOf(bob), known: false })
  assert.deepEqual(b.list(), [])
  b.add({ link })
  assert.equal(b.inspectLink(link).known, true)
})

test('the address book holds a bounded number of contacts', t => {
  const { book: b, store } = book(t)
  for (let i = 0; i < MAX_CONTACTS; i++) store.saveContact({ publicKey: generateIdentity().publicKey, name: `c${i}`, theirName: null, notes: '', verified: false, blocked: false, addedAt: i })
  assert.throws(() => b.add({ publicKey: bobHex }), isCode('TOO_MANY_CONTACTS'))
  assert.throws(() => b.update(bobHex, { blocked: true }), isCode('TOO_MANY_CONTACTS'))
})
