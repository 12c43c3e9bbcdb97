// Who an invite-only channel lets in (PROTOCOL §4.9): the list in its descriptor (the genesis: the
// creator, the only admin at first, and the members), changed by signed membership entries folded in
// conversation order. An entry counts only when its author is an admin at that point; the creator
// can be neither removed nor demoted. Pure: every member holding the same entries gets the same list.
import type { MembershipOp } from '../wire/entry-kinds.ts'

/** Where an entry stands in conversation order (PROTOCOL §4.1). */
export interface OrderedEntry {
  author: string
  timestamp: number
  seq: number
  id: string
}

export interface MembershipChange extends OrderedEntry {
  op: MembershipOp
  key: string
}

export interface MembershipState {
  members: ReadonlySet<string>
  admins: ReadonlySet<string>
}

/** Conversation order: timestamp, author bytewise, seq, id. */
export function conversationOrder (a: OrderedEntry, b: OrderedEntry): number {
  return a.timestamp - b.timestamp || (a.author < b.author ? -1 : a.author > b.author ? 1 : 0) || a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

export function genesisMembership (genesis: { creator: string; members: readonly string[] }): { members: Set<string>; admins: Set<string> } {
  return { members: new Set([genesis.creator, ...genesis.members]), admins: new Set([genesis.creator]) }
}

/** Applies one change where the fold has reached; false when it does not count there. */
export function applyMembershipChange (state: { members: Set<string>; admins: Set<string> }, creator: string, c: MembershipChange): boolean {
  const { members, admins } = state
  if (!admins.has(c.author) || c.key === creator) return false
  switch (c.op) {
    case 'add':
      members.add(c.key)
      return true
    case 'remove':
      members.delete(c.key)
      admins.delete(c.key)
      return true
    case 'promote':
      if (!members.has(c.key)) return false
      admins.add(c.key)
      return true
    case 'demote':
      admins.delete(c.key)
      return true
  }
}

export function membershipOf (genesis: { creator: string; members: readonly string[] }, changes: readonly MembershipChange[]): MembershipState {
  const state = genesisMembership(genesis)
  for (const c of [...changes].sort(conversationOrder)) applyMembershipChange(state, genesis.creator, c)
  return state
}
