// A conversation's newest message as the sidebar shows it under the conversation's name.
import type { ChannelSummary, ContactInfo, Hex } from '../../../core/api/contract.ts'

export type LastMessage = NonNullable<ChannelSummary['last']>

/**
 * "You: see you", "Deleted message"; in a group the author is named ("Alice: on my way", your name
 * for a contact), in a private conversation the words alone, as it is plain who wrote them.
 */
export function lastMessagePreview (last: LastMessage, contacts: ReadonlyMap<Hex, ContactInfo>, group: boolean): string {
  if (last.deleted === true) return 'Deleted message'
  const text = last.text.replace(/\s+/g, ' ').trim()
  if (last.own) return `You: ${text}`
  if (!group) return text
  const contactName = contacts.get(last.author)?.name
  const author = contactName !== undefined && contactName !== '' ? contactName : last.authorName
  return author === '' ? text : `${author}: ${text}`
}
