// How an invitation reads wherever it is shown: who sent it, to what, and how many are in it.
import type { ContactInfo, Hex, InvitationInfo } from '../../../core/api/contract.ts'
import { contactLabel, shortFingerprint } from './people.ts'
import { plural } from './plural.ts'

/** Your name for the sender if they are a contact, else the name they signed, else their fingerprint's first group. */
export function inviterName (invitation: InvitationInfo, contacts: ReadonlyMap<Hex, ContactInfo>): string {
  const contact = contacts.get(invitation.from.publicKey)
  if (contact !== undefined) return contactLabel(contact)
  const signed = invitation.from.name
  return signed !== undefined && signed !== '' ? signed : shortFingerprint(invitation.from.fingerprint)
}

/** "invite-only, 3 members": the creator counts, as they are in the channel too. */
export function invitationScope (invitation: InvitationInfo): string {
  return invitation.mode === 'invite' ? `invite-only, ${plural(invitation.members + 1, 'member', 'members')}` : 'open channel'
}

/** "Alice invited you to #trip (invite-only, 3 members)", for a notification or a screen reader. */
export function invitationSentence (invitation: InvitationInfo, contacts: ReadonlyMap<Hex, ContactInfo>): string {
  return `${inviterName(invitation, contacts)} invited you to #${invitation.name} (${invitationScope(invitation)})`
}
