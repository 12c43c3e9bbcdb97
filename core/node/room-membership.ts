// Who an invite-only channel lets in now, and which epoch it is at: its descriptor's list changed by the
// membership entries the store holds, folded together with its new-epoch entries (channel/epochs.ts).
// Refreshed when such an entry is stored; says what changed, so the room can cut off whoever was
// removed, reach whoever was added, and take or make a new epoch.
import type { ChannelDescriptor } from '../channel/descriptor.ts'
import { exposedKeys, foldEpochs, type EpochFold, type Rotation, type RotationPart } from '../channel/epochs.ts'
import type { MembershipState } from '../channel/membership.ts'
import { toHex } from '../codec/hex.ts'
import type { Store } from '../store/store.ts'
import { decodeGroupMessage } from '../wire/group-message.ts'
import { KIND_EPOCH, KIND_MEMBERSHIP, MEMBERSHIP_OPS, decodeEntryBody, type MembershipOp } from '../wire/entry-kinds.ts'

/** Membership entries read per channel: far more than any list needs, and a bound on what a hostile admin can make us fold. */
const MAX_CHANGES = 10_000
/** New-epoch entries read per channel, and entries of one epoch's key whose boxes are read (64 × 146 keys). */
const MAX_ROTATION_ENTRIES = 10_000
const MAX_ROTATION_PARTS = 64

export interface MembershipDiff { added: string[]; removed: string[]; admins: string[]; unadmins: string[] }

/** The channel's current epoch by its entries, and the boxes of its key, by member. */
export interface CurrentEpoch { rotation: Rotation; boxes: ReadonlyMap<string, Uint8Array> }

export class RoomMembership {
  readonly #channelId: string
  readonly #store: Store
  readonly #open: boolean
  readonly #genesis: { creator: string; members: string[] }
  #fold: EpochFold
  #epoch: CurrentEpoch | null = null

  constructor (opts: { channelId: string; store: Store; descriptor: ChannelDescriptor }) {
    this.#channelId = opts.channelId
    this.#store = opts.store
    this.#open = opts.descriptor.mode === 'open'
    this.#genesis = { creator: toHex(opts.descriptor.creator), members: opts.descriptor.members.map(toHex) }
    this.#fold = foldEpochs(this.#genesis, [], [])
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

  /** The channel's current epoch by its entries; null at epoch 0 (and in an open channel). */
  get epoch (): CurrentEpoch | null {
    return this.#epoch
  }

  /** Keys taken off the list and not put back. */
  removedKeys (): string[] {
    return [...this.#fold.removedBy.keys()]
  }

  /** Removed keys that still hold the channel's current key, each with who removed them. */
  exposed (): Map<string, string> {
    return exposedKeys(this.#fold, this.#epoch === null ? null : new Set(this.#epoch.boxes.keys()))
  }

  get #state (): MembershipState {
    return this.#fold.membership
  }

  /** Folds the membership and new-epoch entries held now; what changed in the list since the last time. */
  refresh (): MembershipDiff {
    const diff: MembershipDiff = { added: [], removed: [], admins: [], unadmins: [] }
    if (this.#open) return diff
    const changes = this.#store.entriesOfKind(this.#channelId, KIND_MEMBERSHIP, MAX_CHANGES).flatMap(r => {
      const op = (Object.keys(MEMBERSHIP_OPS) as MembershipOp[]).find(k => k === r.value)
      return op === undefined ? [] : [{ author: toHex(r.author), op, key: r.targetId, timestamp: r.timestamp, seq: r.seq, id: r.messageId }]
    })
    const parts = this.#store.entriesOfKind(this.#channelId, KIND_EPOCH, MAX_ROTATION_ENTRIES).flatMap((r): RotationPart[] => {
      const [epoch, check] = r.value.split(' ')
      return epoch === undefined || check === undefined ? [] : [{ author: toHex(r.author), epoch: Number(epoch), check, timestamp: r.timestamp, seq: r.seq, id: r.messageId }]
    })
    const before = this.#state
    this.#fold = foldEpochs(this.#genesis, changes, parts)
    this.#epoch = this.#fold.rotation === null ? null : { rotation: this.#fold.rotation, boxes: this.#boxesOf(this.#fold.rotation) }
    const after = this.#state
    for (const k of after.members) if (!before.members.has(k)) diff.added.push(k)
    for (const k of before.members) if (!after.members.has(k)) diff.removed.push(k)
    for (const k of after.admins) if (!before.admins.has(k)) diff.admins.push(k)
    for (const k of before.admins) if (!after.admins.has(k) && after.members.has(k)) diff.unadmins.push(k)
    return diff
  }

  #boxesOf (rotation: Rotation): Map<string, Uint8Array> {
    const boxes = new Map<string, Uint8Array>()
    for (const id of rotation.parts.slice(0, MAX_ROTATION_PARTS)) {
      const raw = this.#store.getMessage(this.#channelId, id)?.raw
      // Taken back by its author: its boxes are gone.
      if (raw === undefined || raw.length === 0) continue
      const entry = decodeEntryBody(KIND_EPOCH, decodeGroupMessage(raw).body)
      if (entry.kind === 'epoch') for (const { member, box } of entry.boxes) if (!boxes.has(member)) boxes.set(member, box)
    }
    return boxes
  }
}
