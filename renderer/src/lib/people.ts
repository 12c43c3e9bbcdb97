// How a person is named wherever they are shown: your name for a contact, else the name they chose,
// with what you know of them (verified, blocked) and any warning their name calls for.
import type { ContactInfo, Hex } from '../../../core/api/contract.ts'
import { describeNameClash, type NameClash } from './name-clash.ts'

export interface PersonLabel {
  /** Your name for them if they are a contact (else the name they chose). */
  name: string
  /** The name they chose, shown beside yours when it differs; null otherwise. */
  theirName: string | null
  contact: boolean
  verified: boolean
  blocked: boolean
  /** Why their name may mislead, in plain words; null when it need not. */
  warning: string | null
  /** The warning is that they, not a contact, take a contact's name: the likeliest deceit, shown in the danger colour. */
  imitation: boolean
}

/** The first group of a fingerprint ("3F2A"), for someone who gave no name and was given none. */
export function shortFingerprint (fingerprint: string): string {
  return fingerprint.trim().split(/\s+/)[0] ?? fingerprint
}

/** A contact as the address book lists them. */
export function contactLabel (contact: Pick<ContactInfo, 'name' | 'theirName' | 'fingerprint'>): string {
  if (contact.name !== '') return contact.name
  if (contact.theirName !== null && contact.theirName !== '') return contact.theirName
  return shortFingerprint(contact.fingerprint)
}

export function personLabel (publicKey: Hex, chosenName: string, contacts: ReadonlyMap<Hex, ContactInfo>, clashes: ReadonlyMap<Hex, NameClash>): PersonLabel {
  const contact = contacts.get(publicKey)
  const clash = clashes.get(publicKey)
  const warning = clash === undefined ? null : describeNameClash(clash)
  const imitation = clash?.kind === 'imitates-contact'
  if (contact === undefined) return { name: chosenName, theirName: null, contact: false, verified: false, blocked: false, warning, imitation }
  const name = contact.name !== '' ? contact.name : chosenName
  return {
    name,
    theirName: chosenName !== '' && chosenName !== name ? chosenName : null,
    contact: true,
    verified: contact.verified,
    blocked: contact.blocked,
    warning,
    imitation
  }
}

export function sameLabel (a: PersonLabel, b: PersonLabel): boolean {
  return a.name === b.name && a.theirName === b.theirName && a.contact === b.contact && a.verified === b.verified &&
    a.blocked === b.blocked && a.warning === b.warning && a.imitation === b.imitation
}
