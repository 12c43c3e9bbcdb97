// How the member relaying a connection is named: your name for them if they are a contact, else the
// name they chose as any channel's peer list shows it, else "another member".
import type { ContactInfo, Hex, PeerInfo } from '../../../core/api/contract.ts'
import { contactLabel } from './people.ts'

export function relayName (via: Hex, contacts: ReadonlyMap<Hex, ContactInfo>, peers: ReadonlyMap<Hex, ReadonlyMap<Hex, PeerInfo>>): string {
  const contact = contacts.get(via)
  if (contact !== undefined) return contactLabel(contact)
  for (const channel of peers.values()) {
    const name = channel.get(via)?.name
    if (name !== undefined && name !== '') return name
  }
  return 'another member'
}
