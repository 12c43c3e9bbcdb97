// Who an invite-only channel lets in (PROTOCOL §4.9): the list in its descriptor (the genesis: the
// creator, the only admin at first, and the members), changed by signed membership entries folded in
// conversation order. An entry counts only when its author is an admin at that point; the creator
// can be neither removed nor demoted. Pure: every member holding the same entries gets the same list.
import type { MembershipOp } from '../wire/entry-kinds.ts'

export interface MembershipChange {
  author: string
  op: MembershipOp
  key: string
  /** Conversation order (PROTOCOL §4.1). */
  timestamp: number
  seq: number
  id: string
}

export interface MembershipState {
  members: ReadonlySet<string>
  admins: ReadonlySet<string>
}

export function membershipOf (genesis: { creator: string; members: readonly string[] }, changes: readonly MembershipChange[]): MembershipState {
  const members = new Set([genesis.creator, ...genesis.members])
  const admins = new Set([genesis.creator])
  const ordered = [...changes].sort((a, b) => a.timestamp - b.timestamp || (a.author < b.author ? -1 : a.author > b.author ? 1 : 0) || a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (const c of ordered) {
    if (!admins.has(c.author) || c.key === genesis.creator) continue
    switch (c.op) {
      case 'add':
        members.add(c.key)
        break
      case 'remove':
        members.delete(c.key)
        admins.delete(c.key)
        break
      case 'promote':
        if (members.has(c.key)) admins.add(c.key)
        break
      case 'demote':
        admins.delete(c.key)
        break
    }
  }
  return { members, admins }
}
