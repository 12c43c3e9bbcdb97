import { describe, expect, it } from 'vitest'
import { describeNameClash, findNameClashes, normaliseName, type ContactNames, type NamedMember } from '../../renderer/src/lib/name-clash.ts'
import { hex } from './helpers/fake-core.ts'

describe('normaliseName: names a reader takes for one another fold together', () => {
  it.each([
    ['Bob', 'bob', 'case'],
    ['  bob   smith ', 'bob smith', 'surrounding and repeated whitespace'],
    ['bob\u3000smith', 'bob smith', 'wide spaces'],
    ['Ｂｏｂ', 'bob', 'full-width letters (NFKC)'],
    ['B0b', 'bob', 'zero for o'],
    ['A1ice', 'alice', 'one for l'],
    ['Alice', 'AIice', 'capital I for l'],
    ['A|ice', 'alice', 'bar for l'],
    ['Wi11iam', 'william', 'ones for l, i for l'],
    ['Sam', 'Sarn', 'rn for m'],
    ['Vvendy', 'wendy', 'vv for w'],
    ['Воb', 'bob', 'Cyrillic В and о'],
    ['раураl', 'paypal', 'Cyrillic р, а, у'],
    ['Αlεx', 'alex', 'Greek Α and ε'],
    ['José', 'jose', 'accents'],
    ['Straße', 'strasse', 'sharp s'],
    ['bob\u200d', 'bob', 'a zero-width joiner'],
    ['ﬁona', 'fiona', 'ligatures (NFKC)']
  ])('%s reads as %s (%s)', (a, b) => {
    expect(normaliseName(a)).toBe(normaliseName(b))
  })

  it.each([
    ['bob', 'rob'],
    ['alice', 'alicia'],
    ['bob smith', 'bobsmith'],
    ['Anna', 'Hanna'],
    ['明', '朋']
  ])('%s and %s stay apart', (a, b) => {
    expect(normaliseName(a)).not.toBe(normaliseName(b))
  })
})

const member = (n: number, name: string): NamedMember => ({ publicKey: hex(n), name })
const contact = (n: number, name: string, theirName: string | null = null): ContactNames => ({ publicKey: hex(n), name, theirName })

describe('findNameClashes', () => {
  it.each<{ rule: string; members: NamedMember[]; contacts: ContactNames[]; expected: Array<[number, string]> }>([
    {
      rule: 'distinct names: no warning',
      members: [member(1, 'alice'), member(2, 'bob')],
      contacts: [],
      expected: []
    },
    {
      rule: 'two members with one name: both warned',
      members: [member(1, 'bob'), member(2, 'Bob'), member(3, 'carol')],
      contacts: [],
      expected: [[1, 'Another member also uses the name “bob”'], [2, 'Another member also uses the name “Bob”']]
    },
    {
      rule: 'the same key listed twice (a peer and an author) is one member',
      members: [member(1, 'bob'), member(1, 'bob')],
      contacts: [],
      expected: []
    },
    {
      rule: 'a lookalike of another member’s name counts as the same name',
      members: [member(1, 'bob'), member(2, 'B0b')],
      contacts: [],
      expected: [[1, 'Another member also uses the name “bob”'], [2, 'Another member also uses the name “B0b”']]
    },
    {
      rule: 'a non-contact named like a contact (the name you gave) imitates it',
      members: [member(1, 'Robert'), member(2, 'B0b')],
      contacts: [contact(1, 'Bob', 'Robert')],
      expected: [[2, 'This name looks like your contact “Bob”, but the key is different']]
    },
    {
      rule: 'a non-contact named like a contact’s own name imitates it, even when the contact is not in the channel',
      members: [member(2, 'RobertK')],
      contacts: [contact(1, 'Bob from work', 'Robertk')],
      expected: [[2, 'This name looks like your contact “Bob from work”, but the key is different']]
    },
    {
      rule: 'a contact you gave no name is quoted by their own name',
      members: [member(2, 'Dana')],
      contacts: [contact(1, '', 'dana')],
      expected: [[2, 'This name looks like your contact “dana”, but the key is different']]
    },
    {
      rule: 'imitating a contact outweighs sharing a name; the contact is only told it shares its name',
      members: [member(1, 'dana'), member(2, 'Dana')],
      contacts: [contact(1, 'Dana', 'dana')],
      expected: [[1, 'Another member also uses the name “dana”'], [2, 'This name looks like your contact “Dana”, but the key is different']]
    },
    {
      rule: 'a contact is never warned as imitating another contact',
      members: [member(1, 'Sam')],
      contacts: [contact(1, 'Sam', 'Sam'), contact(2, 'Sam (school)', 'sam')],
      expected: []
    },
    {
      rule: 'a name that folds to nothing is compared with nothing',
      members: [member(1, '\u0301'), member(2, '\u0300')],
      contacts: [contact(3, '', null)],
      expected: []
    }
  ])('$rule', ({ members, contacts, expected }) => {
    const clashes = findNameClashes(members, contacts)
    const described = [...clashes].map(([key, clash]) => [parseInt(key, 16), describeNameClash(clash)])
    expect(described.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(expected)
  })
})
