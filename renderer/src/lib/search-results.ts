// What a search across conversations found, as the results list shows it: grouped by conversation,
// the conversation with the newest match first, each group newest first (as the core answers).
import type { ChannelSummary, ContactInfo, Hex, MessageInfo } from '../../../core/api/contract.ts'
import { contactLabel } from './people.ts'
import { conversationTitle } from './private-conversation.ts'
import { dayKey, formatTime } from './time.ts'

export interface ResultGroup {
  channelId: Hex
  title: string
  results: MessageInfo[]
}

/** Results of conversations no longer held (left since) are dropped: there is nothing to open. */
export function groupResults (results: readonly MessageInfo[], channels: ReadonlyMap<Hex, ChannelSummary>, contacts: ReadonlyMap<Hex, ContactInfo>): ResultGroup[] {
  const groups = new Map<Hex, ResultGroup>()
  for (const message of results) {
    const channel = channels.get(message.channelId)
    if (channel === undefined) continue
    let group = groups.get(message.channelId)
    if (group === undefined) groups.set(message.channelId, group = { channelId: message.channelId, title: conversationTitle(channel, contacts), results: [] })
    group.results.push(message)
  }
  return [...groups.values()]
}

/** "You", your name for a contact, else the name they signed. */
export function authorLabel (message: MessageInfo, contacts: ReadonlyMap<Hex, ContactInfo>): string {
  if (message.own) return 'You'
  const contact = contacts.get(message.author)
  return contact === undefined ? message.authorName : contactLabel({ ...contact, theirName: contact.theirName ?? message.authorName })
}

const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const shortDateYear = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' })

/** "14:05" today, "May 3" this year, "May 3, 2023" before. */
export function resultWhen (timestamp: number, now: number = Date.now()): string {
  if (dayKey(timestamp) === dayKey(now)) return formatTime(timestamp)
  return (new Date(timestamp).getFullYear() === new Date(now).getFullYear() ? shortDate : shortDateYear).format(timestamp)
}
