// The contacts.* methods of the API (and our own contact link), answered by the address book.
import type { BitChatApi } from '../api/contract.ts'
import type { AddressBook } from './address-book.ts'
import { toContactLink } from './contact-link.ts'

type ContactMethods = Pick<BitChatApi, 'identity.contactLink' | 'contacts.list' | 'contacts.add' | 'contacts.update' | 'contacts.remove' | 'contacts.safetyCode' | 'contacts.inspectLink'>

export function contactsApi (book: AddressBook, own: () => { publicKey: Uint8Array; name: string }): ContactMethods {
  return {
    'identity.contactLink': async () => ({ link: toContactLink(own()) }),
    'contacts.list': async () => book.list(),
    'contacts.add': async (params) => book.add(params),
    'contacts.update': async ({ publicKey, ...changes }) => book.update(publicKey, changes),
    'contacts.remove': async ({ publicKey }) => { book.remove(publicKey) },
    'contacts.safetyCode': async ({ publicKey }) => ({ code: book.safetyCode(publicKey) }),
    'contacts.inspectLink': async ({ link }) => book.inspectLink(link)
  }
}
