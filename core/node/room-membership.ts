// Who an invite-only channel lets in now: its descriptor's list changed by the membership entries the
// store holds (channel/membership.ts folds them). Refreshed when such an entry is stored; says what
// changed, so the room can cut off whoever was removed and reach whoever was added.
import type { ChannelDescriptor } from '../channel/descriptor.ts'
import { membershipOf, type MembershipState } from '../channel/membership.ts'
import { toHex } from '../codec/hex.ts'
import type { Store } from '../store/store.ts'
import { KIND_MEMBERSHIP, MEMBERSHIP_OPS, type MembershipOp } from '../wire/entry-kinds.ts'

/** Membership entries read per channel: far more than any list needs, and a bound on what a hostile admin can make us fold. */
const MAX_CHANGES = 10_000

export interface MembershipDiff { added: string[]; removed: string[]; admins: string[]; unadmins: string[] }

export class RoomMembership {
  readonly #channelId: string
  readonly #store: Store
  readonly #open: boolean
  readonly #genesis: { creator: string; members: string[] }
  #state: MembershipState

  constructor (opts: { channelId: string; store: Store; descriptor: ChannelDescriptor }) {
    this.#channelId = opts.channelId
    this.#store = opts.store
    this.#open = opts.descriptor.mode === 'open'
    this.#genesis = { creator: toHex(opts.descriptor.creator), members: opts.descriptor.members.map(toHex) }
    this.#state = membershipOf(this.#genesis, [])
  }

  /** Anyone, in an open channel; the listed keys in an invite-only one. */
  lets (keyHex: string): boolean {
    return this.#open || this.#state.members.has(keyHex)
  }

  isAdmin (keyHex: string): boolean {
    return !this.#open && this.#state.admins.has(keyHex)
  }

  get creator (): string { return this.#genesis.creator }

  /** The listed keys (empty for an open channel). */
  get listed (): ReadonlySet<string> {
    return this.#open ? new Set() : this.#state.members
  }

  /** Folds the membership entries held now; what changed since the last time. */
  refresh (): MembershipDiff {
    const diff: MembershipDiff = { added: [], removed: [], admins: [], unadmins: [] }
    if (this.#open) return diff
    const changes = this.#store.entriesOfKind(this.#channelId, KIND_MEMBERSHIP, MAX_CHANGES).flatMap(r => {
      const op = (Object.keys(MEMBERSHIP_OPS) as MembershipOp[]).find(k => k === r.value)
      return op === undefined ? [] : [{ author: toHex(r.author), op, key: r.targetId, timestamp: r.timestamp, seq: r.seq, id: r.messageId }]
    })
    const before = this.#state
    this.#state = membershipOf(this.#genesis, changes)
    for (const k of this.#state.members) if (!before.members.has(k)) diff.added.push(k)
    for (const k of before.members) if (!this.#state.members.has(k)) diff.removed.push(k)
    for (const k of this.#state.admins) if (!before.admins.has(k)) diff.admins.push(k)
    for (const k of before.admins) if (!this.#state.admins.has(k) && this.#state.members.has(k)) diff.unadmins.push(k)
    return diff
  }
}
