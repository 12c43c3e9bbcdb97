import type { StateCreator } from 'zustand'
import type { ContactInfo, Hex } from '../../../core/api/contract.ts'
import { contactLabel } from '../lib/people.ts'
import type { AppState } from './store.ts'

export interface ContactsState {
  /** The address book by public key; empty until `contacts.list` has answered. */
  contacts: ReadonlyMap<Hex, ContactInfo>
}

export interface ContactsActions {
  contactsListed(list: readonly ContactInfo[]): void
  contactUpdated(contact: ContactInfo): void
  contactRemoved(publicKey: Hex): void
}

export type ContactsSlice = ContactsState & ContactsActions

export const initialContactsState = (): ContactsState => ({ contacts: new Map() })

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

/** Address-book order: by the name you see, then by key so two of one name keep their places. */
export function sortContacts (contacts: ReadonlyMap<Hex, ContactInfo>): ContactInfo[] {
  return [...contacts.values()].sort((a, b) => collator.compare(contactLabel(a), contactLabel(b)) || a.publicKey.localeCompare(b.publicKey))
}

export const createContactsSlice: StateCreator<AppState, [], [], ContactsSlice> = set => ({
  ...initialContactsState(),
  contactsListed: list => { set({ contacts: new Map(list.map(c => [c.publicKey, c])) }) },
  contactUpdated: contact => { set(s => ({ contacts: new Map(s.contacts).set(contact.publicKey, contact) })) },
  contactRemoved: publicKey => {
    set(s => {
      if (!s.contacts.has(publicKey)) return {}
      const next = new Map(s.contacts)
      next.delete(publicKey)
      return { contacts: next }
    })
  }
})
