// When a name shown for a person could fool the reader: two members of a channel calling themselves
// the same, or someone who is not a contact taking a name that reads like a contact's. Names are
// compared as a reader sees them, not as the bytes differ: "B0b", "bob" and "Воb" (Cyrillic В, о)
// are one name to the eye.
import type { Hex } from '../../../core/api/contract.ts'

/** A person in a conversation, under the name they chose. */
export interface NamedMember { publicKey: Hex; name: string }

/** The names a contact goes by: the one you gave ('' for none) and the one they chose. */
export interface ContactNames { publicKey: Hex; name: string; theirName: string | null }

export type NameClash =
  /** Not a contact, but their name reads like the contact's (`contactName`, as you see the contact). */
  | { kind: 'imitates-contact'; contactName: string }
  /** Another member, with another key, goes by a name that reads the same as theirs (`name`). */
  | { kind: 'shared-name'; name: string }

// Letters and digits drawn alike in common fonts, each mapped to one of its group. Deliberately
// eager: a warning on two names that merely look close costs a glance, a missed imitation costs trust.
const LOOKALIKE: Readonly<Record<string, string>> = {
  0: 'o', 1: 'l', 3: 'e', 5: 's', i: 'l', '|': 'l', 'ı': 'l', 'ß': 'ss', 'ς': 'σ',
  // Cyrillic
  'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'һ': 'h', 'і': 'l', 'ї': 'l', 'ј': 'j', 'к': 'k', 'м': 'm', 'н': 'h',
  'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ɡ': 'g',
  // Greek
  'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'l', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x'
}
// Pairs that render as one letter at small sizes.
const LOOKALIKE_PAIRS: ReadonlyArray<readonly [RegExp, string]> = [[/rn/g, 'm'], [/vv/g, 'w']]
const MARKS = /\p{M}/gu
// Joiners and emoji presentation selectors change no letter a reader compares.
const FORMAT = /[\u200c\u200d\ufe0e\ufe0f]/g

/** The form two names share when a reader would take one for the other. */
export function normaliseName (name: string): string {
  const folded = name.normalize('NFKC').toLowerCase().normalize('NFD').replace(MARKS, '').replace(FORMAT, '')
  let mapped = ''
  for (const char of folded) mapped += LOOKALIKE[char] ?? char
  mapped = mapped.replace(/\s+/gu, ' ').trim()
  for (const [pair, letter] of LOOKALIKE_PAIRS) mapped = mapped.replace(pair, letter)
  return mapped
}

/**
 * Who among `members` (distinct keys) needs a warning beside their name. A member who is not a
 * contact and reads like one is an imitation, which matters more than sharing a name with another member.
 */
export function findNameClashes (members: readonly NamedMember[], contacts: readonly ContactNames[]): ReadonlyMap<Hex, NameClash> {
  const clashes = new Map<Hex, NameClash>()
  const keysByName = new Map<string, Set<Hex>>()
  for (const member of members) {
    const name = normaliseName(member.name)
    if (name === '') continue
    const keys = keysByName.get(name) ?? new Set()
    keysByName.set(name, keys.add(member.publicKey))
  }
  for (const member of members) {
    if ((keysByName.get(normaliseName(member.name))?.size ?? 0) > 1) clashes.set(member.publicKey, { kind: 'shared-name', name: member.name })
  }
  const contactKeys = new Set(contacts.map(c => c.publicKey))
  const contactByName = new Map<string, string>()
  for (const contact of contacts) {
    for (const name of [contact.name, contact.theirName ?? '']) {
      const normal = normaliseName(name)
      if (normal !== '' && !contactByName.has(normal)) contactByName.set(normal, contact.name !== '' ? contact.name : name)
    }
  }
  for (const member of members) {
    if (contactKeys.has(member.publicKey)) continue
    const contactName = contactByName.get(normaliseName(member.name))
    if (contactName !== undefined) clashes.set(member.publicKey, { kind: 'imitates-contact', contactName })
  }
  return clashes
}

/** The warning in plain words, for a tooltip and for screen readers. */
export function describeNameClash (clash: NameClash): string {
  return clash.kind === 'imitates-contact'
    ? `This name looks like your contact “${clash.contactName}”, but the key is different`
    : `Another member also uses the name “${clash.name}”`
}
