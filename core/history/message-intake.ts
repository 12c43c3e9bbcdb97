import { decodeGroupMessage, verifyGroupMessage, type GroupMessage } from '../wire/group-message.ts'
import type { InsertOutcome } from '../store/message-log.ts'
import type { StoredMessage } from '../store/types.ts'
import { checkTimestamp } from './timestamps.ts'
import { toStoredEntry } from './stored-entry.ts'
import { decodeEntryBody } from '../wire/entry-kinds.ts'
import { errorMessage } from '../error-message.ts'
import { unrefTimer } from '../timers.ts'
import type { Logger } from '../log.ts'

/** Where a message came from: a peer whose reading can be paused while we catch up. */
export interface IntakeSource {
  readonly key: string
  pause (): void
  resume (): void
}

export interface Accepted {
  message: GroupMessage
  source: IntakeSource
  /** Arrived as MESSAGE (flooded on) rather than HISTORY (sent in answer to reconciliation). */
  live: boolean
  outcome: InsertOutcome
}

export interface IntakeOptions {
  channelId: string
  channelIdBytes: Uint8Array
  /** The channel's creation time (ms): nothing older, less a day of clock skew, is accepted. */
  createdAtMs: number
  /** Whether the channel takes messages written by this key (an invite-only channel: only the keys it lists). */
  authorAllowed: (author: Uint8Array) => boolean
  insert: (messages: StoredMessage[]) => InsertOutcome[]
  known: (messageId: string) => boolean
  /** Each stored batch, in arrival order, after it is committed. */
  onStored: (batch: Accepted[]) => void
  /** A while after a full disk refused a batch: time to fetch what was dropped again (there may be room now). */
  onRetryAfterDiskFull: () => void
  log: Logger
  now?: () => number
}

/** Messages verified per turn of the event loop (~60 µs each): small enough to keep the node responsive. */
const VERIFY_BATCH = 128
/**
 * Verified messages stored in one transaction while more are queued (a catch-up); once nothing
 * is queued, whatever is verified is stored at once. A commit's cost grows with the index pages it
 * dirties, which a batch of 512 shares far better than four of 128: at 100,000 messages the
 * insert cost per message is about halved.
 */
const COMMIT_BATCH = 512
/** Turns of the event loop a verified message waits for a fuller batch, at most. */
const MAX_HELD_TURNS = 4
/** Queued messages from one peer above which its reading pauses, and below which it resumes. */
const PAUSE_ABOVE = 2048
const RESUME_BELOW = 256
/** The same in bytes: 2,048 messages of 16 kB would be 34 MB a peer. */
const PAUSE_ABOVE_BYTES = 4 * 1024 * 1024
const RESUME_BELOW_BYTES = 1024 * 1024
/** Bytes queued from all peers together above which every peer that sends more is paused, until half of it is worked off. */
const MAX_QUEUED_BYTES = 32 * 1024 * 1024
/** Ids remembered as refused or held back, so they are not asked for again. */
const MAX_REMEMBERED = 10_000
/** After a full disk, incoming messages are dropped (sync fetches them again) this long before a retry. */
const DISK_FULL_BACKOFF_MS = 5_000

interface Queued { raw: Uint8Array; source: IntakeSource; live: boolean }

/**
 * Receives one channel's group messages from all peers: verifies them, applies the timestamp
 * rules, and stores them in batches, one transaction per batch, yielding between batches. A peer
 * that sends faster than we store is paused, so its sender is slowed by flow control, not dropped.
 */
export class MessageIntake {
  readonly #opts: IntakeOptions
  readonly #now: () => number
  readonly #queue: Queued[] = []
  readonly #queuedBy = new Map<IntakeSource, { count: number; bytes: number }>()
  #queuedBytes = 0
  readonly #paused = new Set<IntakeSource>()
  /** Ids refused for good (bad signature, older than the channel). */
  readonly #refused = new Set<string>()
  /** Ids from the future, with when they become acceptable. */
  readonly #heldUntil = new Map<string, number>()
  /** Verified and waiting for their transaction, in arrival order; their ids, so a copy from another peer is not verified again. */
  #verified: Array<Omit<Accepted, 'outcome'>> = []
  readonly #verifiedIds = new Set<string>()
  /** Turns the oldest verified message has waited for its transaction. */
  #heldFor = 0
  #scheduled: NodeJS.Immediate | null = null
  #diskFullUntil = 0
  #retryTimer: NodeJS.Timeout | null = null
  #stopped = false

  constructor (opts: IntakeOptions) {
    this.#opts = opts
    this.#now = opts.now ?? Date.now
  }

  receive (raw: Uint8Array, source: IntakeSource, live: boolean): void {
    if (this.#stopped || this.#now() < this.#diskFullUntil) return
    this.#queue.push({ raw, source, live })
    let queued = this.#queuedBy.get(source)
    if (queued === undefined) this.#queuedBy.set(source, queued = { count: 0, bytes: 0 })
    queued.count++
    queued.bytes += raw.length
    this.#queuedBytes += raw.length
    const over = queued.count > PAUSE_ABOVE || queued.bytes > PAUSE_ABOVE_BYTES || this.#queuedBytes > MAX_QUEUED_BYTES
    if (over && !this.#paused.has(source)) {
      this.#paused.add(source)
      source.pause()
    }
    this.#schedule()
  }

  /** False for an id refused or held back: reconciliation does not ask for it (until it is due). */
  wanted (id: Uint8Array): boolean {
    const hex = Buffer.from(id).toString('hex')
    if (this.#refused.has(hex)) return false
    const until = this.#heldUntil.get(hex)
    return until === undefined || until <= this.#now()
  }

  /** Refusals are reconsidered: an author was unblocked, and what they wrote may be asked for again. */
  forgetRefused (): void {
    this.#refused.clear()
  }

  stop (): void {
    this.#stopped = true
    if (this.#scheduled !== null) clearImmediate(this.#scheduled)
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer)
    this.#queue.length = 0
    this.#verified = []
    this.#verifiedIds.clear()
  }

  #schedule (): void {
    if (this.#scheduled !== null || this.#stopped) return
    this.#scheduled = setImmediate(() => {
      this.#scheduled = null
      this.#drain()
      if (this.#queue.length > 0) this.#schedule()
    })
  }

  #drain (): void {
    const taken = this.#queue.splice(0, Math.min(VERIFY_BATCH, COMMIT_BATCH - this.#verified.length))
    for (const q of taken) {
      // A source holds its link and session: one with nothing queued is forgotten, or every peer that ever sent us a message would stay in memory.
      this.#queuedBytes -= q.raw.length
      const queued = this.#queuedBy.get(q.source)
      if (queued === undefined) continue
      queued.count--
      queued.bytes -= q.raw.length
      if (queued.count === 0) this.#queuedBy.delete(q.source)
    }
    for (const q of taken) {
      const message = this.#check(q.raw)
      if (message === null) continue
      this.#verifiedIds.add(message.id)
      this.#verified.push({ message, source: q.source, live: q.live })
    }
    this.#resumeSources()
    if (this.#verified.length === 0) return
    this.#heldFor++
    // However busy the queue is kept (a flood of copies verifies nothing new), what is verified waits a few turns at most.
    if (this.#verified.length >= COMMIT_BATCH || this.#queue.length === 0 || this.#heldFor >= MAX_HELD_TURNS) this.#commit()
  }

  #commit (): void {
    this.#heldFor = 0
    const accepted = this.#verified
    this.#verified = []
    this.#verifiedIds.clear()
    const receivedAt = this.#now()
    let outcomes: InsertOutcome[]
    try {
      outcomes = this.#opts.insert(accepted.map(a => toStoredEntry(a.message, this.#opts.channelId, receivedAt)))
    } catch (err) {
      if ((err as { code?: unknown }).code === 'DISK_FULL') {
        // Not stored, so not acknowledged: reconciliation fetches these again once there is room.
        this.#diskFullUntil = this.#now() + DISK_FULL_BACKOFF_MS
        this.#queue.length = 0
        this.#queuedBy.clear()
        this.#queuedBytes = 0
        this.#resumeSources()
        this.#opts.log.warn('disk full: receiving paused', { dropped: accepted.length })
        if (this.#retryTimer === null) {
          this.#retryTimer = unrefTimer(() => {
            this.#retryTimer = null
            if (!this.#stopped) this.#opts.onRetryAfterDiskFull()
          }, DISK_FULL_BACKOFF_MS)
        }
      } else {
        this.#opts.log.error('storing received messages failed', { error: errorMessage(err) })
      }
      return
    }
    this.#opts.onStored(accepted.map((a, i) => ({ ...a, outcome: outcomes[i]! })))
  }

  /** Decodes and verifies one message; null when it is malformed, known, forged, or not acceptable now. */
  #check (raw: Uint8Array): GroupMessage | null {
    let message: GroupMessage
    try {
      message = decodeGroupMessage(raw)
    } catch (err) {
      this.#opts.log.warn('malformed group message', { error: errorMessage(err) })
      return null
    }
    // Flooding delivers most messages several times: drop known ids before paying for a signature check.
    if (this.#verifiedIds.has(message.id) || this.#opts.known(message.id) || this.#refused.has(message.id)) return null
    // The author and the time are in the signed bytes: refusing the id refuses them for good.
    if (!this.#opts.authorAllowed(message.author)) {
      remember(this.#refused, message.id)
      return null
    }
    const verdict = checkTimestamp(message.timestamp, this.#now(), this.#opts.createdAtMs)
    if (verdict.kind === 'later') {
      remember(this.#heldUntil, message.id, verdict.dueAt)
      return null
    }
    if (verdict.kind === 'refused' || !verifyGroupMessage(message, this.#opts.channelIdBytes)) {
      if (verdict.kind !== 'refused') this.#opts.log.warn('rejected group message with a bad signature or channel', { id: message.id.slice(0, 16) })
      remember(this.#refused, message.id)
      return null
    }
    try {
      decodeEntryBody(message.kind, message.body)
    } catch (err) {
      this.#opts.log.warn('rejected an entry whose body is malformed', { id: message.id.slice(0, 16), kind: message.kind, error: errorMessage(err) })
      remember(this.#refused, message.id)
      return null
    }
    this.#heldUntil.delete(message.id)
    return message
  }

  #resumeSources (): void {
    if (this.#queuedBytes > MAX_QUEUED_BYTES / 2) return
    for (const source of this.#paused) {
      const queued = this.#queuedBy.get(source)
      if (queued !== undefined && (queued.count >= RESUME_BELOW || queued.bytes >= RESUME_BELOW_BYTES)) continue
      this.#paused.delete(source)
      source.resume()
    }
  }
}

function remember (into: Set<string> | Map<string, number>, id: string, value = 0): void {
  if (into.size >= MAX_REMEMBERED) into.delete(into.keys().next().value!)
  if (into instanceof Set) into.add(id)
  else into.set(id, value)
}
