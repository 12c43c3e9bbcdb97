// The members panel's two lists, from what the core knows of a channel's members (channels.members)
// and whom we are connected to now (peers.list and the peer events, which are fresher).
import type { Hex, MemberInfo, PeerInfo } from '../../../core/api/contract.ts'

export interface MemberRow {
  member: MemberInfo
  /** How the connection to an online member runs, once peers.list or an event told it. */
  peer?: PeerInfo
}

export interface MemberLists {
  online: MemberRow[]
  offline: MemberRow[]
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

/**
 * Online: everyone connected, by the name shown (`nameOf`, yours for a contact). While the peers
 * are known, they decide who is online; a connected peer the members list has not caught up with is
 * online too. Offline: the rest, the most recently seen first, those never seen last.
 */
export function memberLists (members: readonly MemberInfo[] | undefined, peers: ReadonlyMap<Hex, PeerInfo> | undefined, nameOf: (publicKey: Hex, name: string) => string): MemberLists {
  const online: MemberRow[] = []
  const offline: MemberRow[] = []
  const listed = new Set<Hex>()
  for (const member of members ?? []) {
    listed.add(member.publicKey)
    const peer = peers?.get(member.publicKey)
    const isOnline = peers === undefined ? member.online : peer !== undefined
    if (isOnline) online.push(peer === undefined ? { member: { ...member, online: true } } : { member: { ...member, online: true }, peer })
    else offline.push({ member: { ...member, online: false } })
  }
  for (const peer of peers?.values() ?? []) {
    if (listed.has(peer.publicKey)) continue
    online.push({ member: { publicKey: peer.publicKey, name: peer.name, fingerprint: peer.fingerprint, role: 'member', online: true, lastSeen: null }, peer })
  }
  const shown = (row: MemberRow): string => nameOf(row.member.publicKey, row.peer?.name ?? row.member.name)
  online.sort((a, b) => collator.compare(shown(a), shown(b)) || a.member.publicKey.localeCompare(b.member.publicKey))
  offline.sort((a, b) => (b.member.lastSeen ?? -Infinity) - (a.member.lastSeen ?? -Infinity) || collator.compare(shown(a), shown(b)))
  return { online, offline }
}
