// The keys of an invite-only channel's epochs this node holds (PROTOCOL §4.10): the current one, whose
// PSK and infohashes the room uses, and older ones still accepted for a while from members who were away
// when the channel moved up. Takes a new epoch when the channel's current one has a box sealed to us;
// makes one when we removed someone who still holds the key.
import { epochCheckOf, pskOf } from '../channel/keys.ts'
import type { EpochKey } from '../channel/epoch-link.ts'
import { ed25519PublicToX25519, ed25519SecretToX25519, memzero, openSealed, randomBytes, sealTo } from '../crypto/native.ts'
import { fromHex } from '../codec/hex.ts'
import type { Identity } from '../identity/identity.ts'
import type { Logger } from '../log.ts'
import type { Store } from '../store/store.ts'
import { MAX_TIMER_MS, systemClock, type Clock } from '../timers.ts'
import { EPOCH_KEY_BYTES, MAX_EPOCH, MAX_EPOCH_BOXES, type EntryBody, type EpochBox } from '../wire/entry-kinds.ts'

/**
 * How long a key we moved on from is still accepted (and its infohashes still announced), unless every
 * listed member has been seen at the new epoch sooner: members away for up to this long come back.
 */
export const EPOCH_GRACE_MS = 14 * 86_400_000

export type EpochEntry = Extract<EntryBody, { kind: 'epoch' }>

export interface RoomEpochsOptions {
  channelId: string
  /** Epoch 0's key. */
  genesisSecret: Uint8Array
  store: Store
  identity: Identity
  ownKeyHex: string
  /** The epoch the link we joined by gave, for as long as the store holds none. */
  initial: EpochKey | null
  log: Logger
  /** The keys held changed: a new current epoch (`switched`), or older keys dropped. */
  onChange: (switched: boolean) => void
  graceMs?: number
  clock?: Clock
}

interface HeldKey { epoch: number; key: Uint8Array; check: string }

export class RoomEpochs {
  readonly #opts: RoomEpochsOptions
  readonly #clock: Clock
  readonly #graceMs: number
  #current: HeldKey
  #older: Array<HeldKey & { retireAt: number }> = []
  /** Members linked with us at the current epoch since we took it. */
  readonly #seen = new Set<string>()
  #cancelRetire: (() => void) | null = null

  constructor (opts: RoomEpochsOptions) {
    this.#opts = opts
    this.#clock = opts.clock ?? systemClock
    this.#graceMs = opts.graceMs ?? EPOCH_GRACE_MS
    this.#current = held(0, opts.genesisSecret)
  }

  /** Reads what the store holds (or the link gave); older keys whose time is up are forgotten. */
  load (): void {
    const { store, channelId, initial } = this.#opts
    store.dropRetiredEpochs(channelId, this.#clock.now())
    const rows = store.epochKeys(channelId)
    const current = rows.find(r => r.retireAt === null)
    if (current !== undefined) this.#current = held(current.epoch, current.key)
    else if (initial !== null && initial.epoch > 0) this.#current = held(initial.epoch, initial.key)
    this.#older = rows.flatMap(r => r.retireAt === null ? [] : [{ ...held(r.epoch, r.key), retireAt: r.retireAt }])
    this.#scheduleRetire()
  }

  /** Keeps the epoch the link gave, once the channel is stored (joining stores it after the room starts). */
  saveInitial (): void {
    const { initial, store, channelId, genesisSecret } = this.#opts
    if (initial === null || initial.epoch === 0 || store.epochKeys(channelId).length > 0) return
    // The genesis secret it replaces goes at once: we never were at epoch 0 with anyone.
    store.advanceEpoch(channelId, { epoch: 0, key: genesisSecret }, initial, this.#clock.now())
    store.dropRetiredEpochs(channelId, this.#clock.now())
  }

  get epoch (): number { return this.#current.epoch }
  get check (): string { return this.#current.check }
  /** The current epoch's key: what the channel's link carries. */
  get current (): EpochKey { return { epoch: this.#current.epoch, key: this.#current.key } }
  get psk (): Uint8Array { return pskOf(this.#current.key) }

  /** PSKs of older epochs still accepted from listed members. */
  olderPsks (): Uint8Array[] {
    const now = this.#clock.now()
    return this.#older.filter(k => k.retireAt > now).map(k => pskOf(k.key))
  }

  /** Keys whose infohashes are announced and looked up: the current one, then the older ones still accepted. */
  secrets (): Uint8Array[] {
    const now = this.#clock.now()
    return [this.#current.key, ...this.#older.filter(k => k.retireAt > now).map(k => k.key)]
  }

  /**
   * Moves to the channel's current epoch (`epoch`, `check`: one to take, channel/epochs.ts says) by the box
   * sealed to us in it, if it opens and holds the key the check names. True when we moved.
   */
  take (epoch: number, check: string, box: Uint8Array | undefined): boolean {
    if (box === undefined) return false
    const { identity } = this.#opts
    const secret = ed25519SecretToX25519(identity.secretKey)
    const key = openSealed(box, ed25519PublicToX25519(identity.publicKey), secret)
    memzero(secret)
    if (key === null || key.length !== EPOCH_KEY_BYTES || epochCheckOf(key) !== check) {
      this.#opts.log.warn('a new epoch\'s box for us does not hold its key', { epoch })
      return false
    }
    const now = this.#clock.now()
    const previous = this.#current
    this.#opts.store.advanceEpoch(this.#opts.channelId, previous, { epoch, key }, now + this.#graceMs)
    this.#older = [{ ...previous, retireAt: now + this.#graceMs }, ...this.#older.filter(k => k.epoch !== previous.epoch && k.epoch !== epoch)]
    this.#current = held(epoch, key)
    this.#seen.clear()
    this.#scheduleRetire()
    this.#opts.log.info('the channel moved to a new epoch', { epoch })
    this.#opts.onChange(true)
    return true
  }

  /**
   * The entries of a new epoch above `channelEpoch` (the highest the channel's entries reached) and ours,
   * its key sealed to each of `members` (us among them), as many boxes to an entry as fit.
   */
  newEpoch (channelEpoch: number, members: Iterable<string>): EpochEntry[] {
    const epoch = Math.max(channelEpoch, this.#current.epoch) + 1
    if (epoch > MAX_EPOCH) throw new RangeError('the channel has used up its epochs')
    return this.#entries(epoch, randomBytes(EPOCH_KEY_BYTES), members)
  }

  /** Entries giving the current epoch's key to members added since it began; none at epoch 0 (the link holds its key). */
  grant (members: Iterable<string>): EpochEntry[] {
    return this.#current.epoch === 0 ? [] : this.#entries(this.#current.epoch, this.#current.key, members)
  }

  #entries (epoch: number, key: Uint8Array, members: Iterable<string>): EpochEntry[] {
    const check = epochCheckOf(key)
    const boxes: EpochBox[] = []
    for (const member of [...new Set(members)].sort()) {
      try {
        boxes.push({ member, box: sealTo(ed25519PublicToX25519(fromHex(member)), key) })
      } catch {
        // A key that is not a curve point can hold no box, nor make a handshake.
        this.#opts.log.warn('a listed key cannot be given the epoch\'s key', { member: member.slice(0, 16) })
      }
    }
    const entries: EpochEntry[] = []
    for (let i = 0; i < boxes.length; i += MAX_EPOCH_BOXES) entries.push({ kind: 'epoch', epoch, check, boxes: boxes.slice(i, i + MAX_EPOCH_BOXES) })
    return entries
  }

  /**
   * A member's link came up, at the current epoch or an older one. Once every listed member but us has
   * been linked at the current epoch, nobody needs an older key: they go.
   */
  linked (keyHex: string, atCurrent: boolean, listed: ReadonlySet<string>): void {
    if (!atCurrent || this.#older.length === 0) return
    this.#seen.add(keyHex)
    for (const member of listed) if (member !== this.#opts.ownKeyHex && !this.#seen.has(member)) return
    this.#opts.log.info('every member is at the current epoch: older keys go', { epoch: this.#current.epoch })
    this.#retire(true)
  }

  stop (): void {
    this.#cancelRetire?.()
    this.#cancelRetire = null
  }

  #retire (all: boolean): void {
    const now = this.#clock.now()
    this.#opts.store.dropRetiredEpochs(this.#opts.channelId, now, all)
    const before = this.#older.length
    this.#older = all ? [] : this.#older.filter(k => k.retireAt > now)
    this.#scheduleRetire()
    if (this.#older.length !== before) this.#opts.onChange(false)
  }

  #scheduleRetire (): void {
    this.#cancelRetire?.()
    this.#cancelRetire = null
    if (this.#older.length === 0) return
    const next = Math.min(...this.#older.map(k => k.retireAt))
    // Timers hold at most ~24.8 days; a later time is reached in steps.
    this.#cancelRetire = this.#clock.after(Math.min(Math.max(next - this.#clock.now(), 0), MAX_TIMER_MS), () => { this.#retire(false) })
  }
}

function held (epoch: number, key: Uint8Array): HeldKey {
  return { epoch, key, check: epochCheckOf(key) }
}
