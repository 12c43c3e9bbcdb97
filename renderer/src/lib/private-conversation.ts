// A private conversation is a channel with one other person: wherever it is shown, it is named by
// that person, never by the "Private chat" the protocol writes in its descriptor.
import type { ChannelSummary, ContactInfo, Hex } from '../../../core/api/contract.ts'
import { contactLabel, shortFingerprint } from './people.ts'

export type PrivatePeer = NonNullable<ChannelSummary['peer']>

/** The other person of a private conversation; undefined for a group channel. */
export function privatePeerOf (channel: ChannelSummary): PrivatePeer | undefined {
  return channel.kind === 'private' ? channel.peer : undefined
}

export function isPrivateConversation (channel: ChannelSummary): boolean {
  return privatePeerOf(channel) !== undefined
}

/** Your name for them if they are a contact, else the name they signed, else their fingerprint's first group. */
export function privatePeerName (peer: PrivatePeer, contacts: ReadonlyMap<Hex, ContactInfo>): string {
  const contact = contacts.get(peer.publicKey)
  if (contact !== undefined) return contactLabel({ ...contact, theirName: contact.theirName ?? peer.name ?? null })
  if (peer.name !== undefined && peer.name !== '') return peer.name
  return shortFingerprint(peer.fingerprint)
}

/** How a conversation is named in prose and labels: "#general", or the person's name. */
export function conversationTitle (channel: ChannelSummary, contacts: ReadonlyMap<Hex, ContactInfo>): string {
  const peer = privatePeerOf(channel)
  return peer === undefined ? `#${channel.name}` : privatePeerName(peer, contacts)
}
