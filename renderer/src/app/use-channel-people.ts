import { useMemo, useRef } from 'react'
import type { Hex, MemberInfo } from '../../../core/api/contract.ts'
import { findNameClashes, type NamedMember } from '../lib/name-clash.ts'
import { personLabel, sameLabel, type PersonLabel } from '../lib/people.ts'
import { EMPTY_CHANNEL_MESSAGES } from '../store/messages.ts'
import { useAppStore } from '../store/store.ts'

const NO_PEERS = new Map()
const NO_MEMBERS: readonly MemberInfo[] = []

/**
 * How to show each person of a channel (its members known and connected, the authors of its loaded
 * messages, and you): names clash only among the people of one conversation. A person whose label did not
 * change keeps the same object, so memoised messages do not draw again on every new message.
 */
export function useChannelPeople (channelId: Hex): ReadonlyMap<Hex, PersonLabel> {
  const peers = useAppStore(s => s.peers.get(channelId)) ?? NO_PEERS
  const known = useAppStore(s => s.members.get(channelId)) ?? NO_MEMBERS
  const messages = useAppStore(s => s.messages.get(channelId) ?? EMPTY_CHANNEL_MESSAGES).list
  const identity = useAppStore(s => s.identityStatus?.identity)
  const contacts = useAppStore(s => s.contacts)
  const previous = useRef<ReadonlyMap<Hex, PersonLabel>>(new Map())

  return useMemo(() => {
    const members = new Map<Hex, NamedMember>()
    // Connected members' names are the freshest; known members and authors fill in those who are not connected.
    for (const m of messages) members.set(m.author, { publicKey: m.author, name: m.authorName })
    for (const m of known) members.set(m.publicKey, { publicKey: m.publicKey, name: m.name })
    for (const p of peers.values()) members.set(p.publicKey, { publicKey: p.publicKey, name: p.name })
    if (identity !== undefined) members.set(identity.publicKey, { publicKey: identity.publicKey, name: identity.name })
    const clashes = findNameClashes([...members.values()], [...contacts.values()])
    const labels = new Map<Hex, PersonLabel>()
    for (const member of members.values()) {
      const label = personLabel(member.publicKey, member.name, contacts, clashes)
      const before = previous.current.get(member.publicKey)
      labels.set(member.publicKey, before !== undefined && sameLabel(before, label) ? before : label)
    }
    previous.current = labels
    return labels
  }, [peers, known, messages, identity, contacts])
}
