// What the quick switcher (Ctrl+K) offers and how typing narrows it: every conversation, every
// contact, and the people met in channels, ranked by how well their name matches what was typed.
import type { ChannelMode, ChannelSummary, ContactInfo, Hex, MemberInfo, PeerInfo } from '../../../core/api/contract.ts'
import { fold, WORD_CHAR } from './fold.ts'
import { contactLabel } from './people.ts'
import { privatePeerName, privatePeerOf } from './private-conversation.ts'

export type SwitcherItem =
  | { kind: 'channel'; key: string; channelId: Hex; name: string; mode: ChannelMode; unread: number }
  /** A private conversation, named by the other person. */
  | { kind: 'private'; key: string; channelId: Hex; name: string; publicKey: Hex; unread: number; verified: boolean }
  /** Someone without a private conversation yet: choosing them opens one. `where` says how they are known. */
  | { kind: 'person'; key: string; publicKey: Hex; name: string; where: string; verified: boolean }

export interface SwitcherSources {
  /** Every conversation, in the order to offer them (the sidebar's, then any it leaves out). */
  conversations: readonly ChannelSummary[]
  contacts: ReadonlyMap<Hex, ContactInfo>
  members: ReadonlyMap<Hex, readonly MemberInfo[]>
  peers: ReadonlyMap<Hex, ReadonlyMap<Hex, PeerInfo>>
  me: Hex | undefined
}

/** Everything the switcher can open: conversations, then contacts without one, then other people met in channels. */
export function switcherItems ({ conversations, contacts, members, peers, me }: SwitcherSources): SwitcherItem[] {
  const items: SwitcherItem[] = []
  const talkedTo = new Set<Hex>()
  for (const channel of conversations) {
    const peer = privatePeerOf(channel)
    if (peer === undefined) {
      items.push({ kind: 'channel', key: channel.channelId, channelId: channel.channelId, name: channel.name, mode: channel.mode, unread: channel.unread })
      continue
    }
    talkedTo.add(peer.publicKey)
    const contact = contacts.get(peer.publicKey)
    if (contact?.blocked === true) continue
    items.push({
      kind: 'private', key: channel.channelId, channelId: channel.channelId, name: privatePeerName(peer, contacts),
      publicKey: peer.publicKey, unread: channel.unread, verified: contact?.verified === true
    })
  }
  const people = (publicKey: Hex): boolean => publicKey !== me && !talkedTo.has(publicKey) && contacts.get(publicKey)?.blocked !== true
  for (const contact of [...contacts.values()].filter(c => people(c.publicKey)).sort((a, b) => fold(contactLabel(a)).localeCompare(fold(contactLabel(b))))) {
    talkedTo.add(contact.publicKey)
    items.push({ kind: 'person', key: `person:${contact.publicKey}`, publicKey: contact.publicKey, name: contactLabel(contact), where: 'Contact', verified: contact.verified })
  }
  const met = new Map<Hex, { name: string; channel: string }>()
  for (const channel of conversations) {
    if (privatePeerOf(channel) !== undefined) continue
    const known = [...(members.get(channel.channelId) ?? []), ...(peers.get(channel.channelId)?.values() ?? [])]
    for (const person of known) {
      if (person.name !== '' && people(person.publicKey) && !met.has(person.publicKey)) met.set(person.publicKey, { name: person.name, channel: channel.name })
    }
  }
  for (const [publicKey, { name, channel }] of [...met].sort((a, b) => fold(a[1].name).localeCompare(fold(b[1].name)))) {
    items.push({ kind: 'person', key: `person:${publicKey}`, publicKey, name, where: `In #${channel}`, verified: false })
  }
  return items
}

/**
 * How well `name` answers `query` (both folded), lower is better: the whole name, its beginning, the
 * beginning of one of its words, anywhere in it, or its letters in order ("gnrl" finds "general"); null for none.
 */
export function matchScore (name: string, query: string): number | null {
  if (query === '') return 0
  if (name === query) return 0
  if (name.startsWith(query)) return 1
  let at = name.indexOf(query)
  if (at > 0) {
    for (; at >= 0; at = name.indexOf(query, at + 1)) if (!WORD_CHAR.test(name[at - 1]!)) return 2
    return 3
  }
  let from = 0
  for (const char of query) {
    if (char === ' ') continue
    from = name.indexOf(char, from)
    if (from < 0) return null
    from += char.length
  }
  return 4
}

/** The items that answer `query`, best first; items that answer equally well keep their order. */
export function filterSwitcherItems (items: readonly SwitcherItem[], query: string): SwitcherItem[] {
  const wanted = fold(query).trim().replace(/^[#@]/, '')
  return items
    .map((item, order) => ({ item, order, score: matchScore(fold(item.name), wanted) }))
    .filter((r): r is { item: SwitcherItem; order: number; score: number } => r.score !== null)
    .sort((a, b) => a.score - b.score || a.order - b.order)
    .map(r => r.item)
}
