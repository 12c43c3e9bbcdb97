// The contacts.* methods of the API (and our own contact link), answered by the address book.
import type { BitChatApi, ContactInfo } from '../api/contract.ts'
import type { AddressBook } from './address-book.ts'
import { contactFileName, toContactFile } from './contact-file.ts'
import { toContactLink } from './contact-link.ts'

type ContactMethods = Pick<BitChatApi, 'identity.contactLink' | 'identity.contactFile' | 'contacts.list' | 'contacts.add' | 'contacts.update' | 'contacts.remove' | 'contacts.safetyCode' | 'contacts.inspectLink' | 'contacts.inspectFile'>

/** `added` runs after a contact is added (the node meets them in their private channel). */
export function contactsApi (book: AddressBook, own: () => { publicKey: Uint8Array; name: string }, added: (contact: ContactInfo) => void): ContactMethods {
  return {
    'identity.contactLink': async () => ({ link: toContactLink(own()) }),
    'identity.contactFile': async () => {
      const me = own()
      return { text: toContactFile(me), fileName: contactFileName(me.name) }
    },
    'contacts.list': async () => book.list(),
    'contacts.add': async (params) => {
      const contact = book.add(params)
      added(contact)
      return contact
    },
    'contacts.update': async ({ publicKey, ...changes }) => book.update(publicKey, changes),
    'contacts.remove': async ({ publicKey }) => { book.remove(publicKey) },
    'contacts.safetyCode': async ({ publicKey }) => ({ code: book.safetyCode(publicKey) }),
    'contacts.inspectLink': async ({ link }) => book.inspectLink(link),
    'contacts.inspectFile': async ({ contactFile }) => book.inspectFile(contactFile)
  }
}
