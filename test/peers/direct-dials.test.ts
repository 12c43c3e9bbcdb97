// Whom a direct dial may reach, as a table: everyone normally; with 'Hide my IP address' only a contact's key.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { directDialAllowed } from '../../core/peers/direct-dials.ts'

const CONTACT = 'aa'.repeat(32)
const STRANGER = 'bb'.repeat(32)
const trusted = (key: string): boolean => key === CONTACT

test('a direct dial is allowed to anyone unless our address is hidden, then only to a contact', () => {
  const table: Array<[relayOnly: boolean, key: string | null, allowed: boolean, why: string]> = [
    [false, null, true, 'an address nobody vouched for'],
    [false, STRANGER, true, 'a member who is not a contact'],
    [false, CONTACT, true, 'a contact'],
    [true, null, false, 'whoever listens there would see our address'],
    [true, STRANGER, false, 'a member who is not a contact is reached through a relay'],
    [true, CONTACT, true, 'a contact may know where we are']
  ]
  for (const [relayOnly, key, allowed, why] of table) assert.equal(directDialAllowed(relayOnly, key, trusted), allowed, why)
})
