import { describe, expect, it } from 'vitest'
import { findNameClashes } from '../../renderer/src/lib/name-clash.ts'
import { contactLabel, personLabel } from '../../renderer/src/lib/people.ts'
import { safetyCodeGroups, spokenDigits } from '../../renderer/src/lib/safety-code.ts'
import { contact, hex } from './helpers/fake-core.ts'

describe('contactLabel', () => {
  it.each([
    [{ name: 'Bea', theirName: 'beatrix', fingerprint: 'AB12 CD34' }, 'Bea'],
    [{ name: '', theirName: 'beatrix', fingerprint: 'AB12 CD34' }, 'beatrix'],
    [{ name: '', theirName: null, fingerprint: 'AB12 CD34' }, 'AB12'],
    [{ name: '', theirName: '', fingerprint: 'AB12 CD34' }, 'AB12']
  ])('%o is listed as %s', (names, label) => {
    expect(contactLabel(names)).toBe(label)
  })
})

describe('personLabel', () => {
  const contacts = new Map([[hex(1), contact(1, { publicKey: hex(1), name: 'Bea', theirName: 'beatrix', verified: true })]])
  const none = findNameClashes([], [])

  it('names a contact by your name, theirs beside it when it differs', () => {
    expect(personLabel(hex(1), 'beatrix', contacts, none)).toEqual({ name: 'Bea', theirName: 'beatrix', contact: true, verified: true, blocked: false, warning: null, imitation: false })
    expect(personLabel(hex(1), 'Bea', contacts, none).theirName).toBeNull()
  })

  it('names a contact you gave no name by the name they sign', () => {
    const unnamed = new Map([[hex(1), contact(1, { publicKey: hex(1), name: '' })]])
    expect(personLabel(hex(1), 'beatrix', unnamed, none)).toMatchObject({ name: 'beatrix', theirName: null, contact: true })
  })

  it('names anyone else by the name they sign', () => {
    expect(personLabel(hex(2), 'Dan', contacts, none)).toEqual({ name: 'Dan', theirName: null, contact: false, verified: false, blocked: false, warning: null, imitation: false })
  })
})

describe('safety code groups', () => {
  it('splits the core’s code into twelve groups of five, whatever the spacing', () => {
    expect(safetyCodeGroups('01234 56789 01234 56789 01234 56789 01234 56789 01234 56789 01234 56789')).toHaveLength(12)
    expect(safetyCodeGroups('0123456789')).toEqual(['01234', '56789'])
  })

  it('keeps anything else whole rather than cut it wrong', () => {
    expect(safetyCodeGroups('12-34')).toEqual(['12-34'])
    expect(safetyCodeGroups('123456')).toEqual(['123456'])
  })

  it('reads a group digit by digit', () => {
    expect(spokenDigits('05123')).toBe('0 5 1 2 3')
  })
})
