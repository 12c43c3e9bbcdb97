// The epochs of an invite-only channel (PROTOCOL §4.10): which new-epoch entries count, which epoch is
// the channel's current one, and whether a member takes it. Pure: every member holding the same entries
// finds the same current epoch, whatever order they arrived in.
import { applyMembershipChange, conversationOrder, genesisMembership, type MembershipChange, type MembershipState, type OrderedEntry } from './membership.ts'

/** One new-epoch entry (a rotation to a long member list takes several, each with some of the boxes). */
export interface RotationPart extends OrderedEntry {
  epoch: number
  /** The new key's check (hex): which key of that epoch the entry gives. */
  check: string
}

/** An epoch's key as given by its entries: the ids of those that count, in conversation order. */
export interface Rotation {
  epoch: number
  check: string
  parts: string[]
}

export interface EpochFold {
  membership: MembershipState
  /** The channel's current epoch by its entries; null while none counts (epoch 0: the genesis secret). */
  rotation: Rotation | null
  /** Keys taken off the list and not put back, each with the admin whose removal counted. */
  removedBy: ReadonlyMap<string, string>
}

/**
 * Folds membership changes and new-epoch entries together in conversation order: a new-epoch entry
 * counts when its author is an admin at its point of the fold. The current epoch is the highest
 * that counts; of two keys given for it (two admins rotating at once), the one with the lower check.
 */
export function foldEpochs (genesis: { creator: string; members: readonly string[] }, changes: readonly MembershipChange[], parts: readonly RotationPart[]): EpochFold {
  const state = genesisMembership(genesis)
  const removedBy = new Map<string, string>()
  const counted: RotationPart[] = []
  const entries: Array<{ change: MembershipChange } | { part: RotationPart }> = [...changes.map(change => ({ change })), ...parts.map(part => ({ part }))]
  entries.sort((a, b) => conversationOrder('change' in a ? a.change : a.part, 'change' in b ? b.change : b.part))
  for (const entry of entries) {
    if ('part' in entry) {
      if (state.admins.has(entry.part.author) && entry.part.epoch >= 1) counted.push(entry.part)
      continue
    }
    const c = entry.change
    if (!applyMembershipChange(state, genesis.creator, c)) continue
    if (c.op === 'remove') removedBy.set(c.key, c.author)
    if (c.op === 'add') removedBy.delete(c.key)
  }
  let best: { epoch: number; check: string } | null = null
  for (const p of counted) {
    if (best === null || p.epoch > best.epoch || (p.epoch === best.epoch && p.check < best.check)) best = { epoch: p.epoch, check: p.check }
  }
  const rotation = best === null ? null : { ...best, parts: counted.filter(p => p.epoch === best.epoch && p.check === best.check).map(p => p.id) }
  return { membership: state, rotation, removedBy }
}

/**
 * Removed keys that still hold the current epoch's key, each with who removed them: every key removed
 * while the channel is at epoch 0 (the genesis secret is in every link), else those the current epoch's
 * key was sealed to. Whoever removed such a key owes the channel a new epoch.
 */
export function exposedKeys (fold: EpochFold, recipients: ReadonlySet<string> | null): Map<string, string> {
  const exposed = new Map<string, string>()
  for (const [key, remover] of fold.removedBy) if (fold.rotation === null || recipients?.has(key) === true) exposed.set(key, remover)
  return exposed
}

/**
 * Whether a member holding the key of (`held.epoch`, `held.check`) takes the channel's current one: only
 * a later epoch, or the winning key of its own epoch, and only when a box in it is sealed to the member.
 */
export function takesRotation (held: { epoch: number; check: string }, rotation: Rotation | null, sealedToUs: boolean): boolean {
  if (rotation === null || !sealedToUs || rotation.epoch < held.epoch) return false
  return rotation.epoch > held.epoch || rotation.check !== held.check
}
