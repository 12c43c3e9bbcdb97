// What the UI asks of the core about the address book: each command calls the client, then feeds
// the answer to the store (the core's contact.* events bring the same news, and merge by key).
import type { BitChatClient, ContactInfo, Hex, ParamsOf } from '../../../core/api/contract.ts'
import { errorMessageOf } from '../client/api-call-error.ts'
import { actions } from '../store/store.ts'

/** Never rejects: the workspace works without the address book, and says it could not be read. */
export async function loadContacts (client: BitChatClient): Promise<void> {
  try {
    actions().contactsListed(await client.call('contacts.list', {}))
  } catch (err) {
    actions().noticePosted('error', 'Could not load your contacts', errorMessageOf(err))
  }
}

export async function addContact (client: BitChatClient, params: ParamsOf<'contacts.add'>): Promise<ContactInfo> {
  const contact = await client.call('contacts.add', params)
  actions().contactUpdated(contact)
  return contact
}

export async function updateContact (client: BitChatClient, params: ParamsOf<'contacts.update'>): Promise<ContactInfo> {
  const contact = await client.call('contacts.update', params)
  actions().contactUpdated(contact)
  return contact
}

export async function removeContact (client: BitChatClient, publicKey: Hex): Promise<void> {
  await client.call('contacts.remove', { publicKey })
  forgetContact(publicKey)
}

/** Drops a contact the core no longer has, and its dialog if one is open. */
export function forgetContact (publicKey: Hex): void {
  const { dialog } = actions()
  actions().contactRemoved(publicKey)
  if (dialog?.kind === 'contact' && dialog.publicKey === publicKey) actions().dialogClosed()
}
