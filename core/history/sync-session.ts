import type { Bound, UpperBound } from './bounds.ts'
import type { HistoryIndex } from './history-index.ts'
import { ALONE, answerRanges, openingRanges, type PushJob, type Spread, type WireRange } from './reconciler.ts'
import { WorkBudget } from './work-budget.ts'
import { encodeHistory, encodeRanges, encodeWant } from '../wire/messages.ts'
import { MAX_FRAME_IDS } from '../wire/ranges.ts'
import { unrefTimer } from '../timers.ts'
import type { Logger } from '../log.ts'

/** The connection a sync session talks over. */
export interface SyncLink {
  send (frame: Uint8Array): void
  /** Bytes written but not yet taken by the peer. */
  readonly bufferedBytes: number
  readonly closed: boolean
}

/** The channel's log, as one sync session reads it. */
export interface SyncSource {
  /** A fresh view whose `cost` starts at 0, so each frame's work can be charged to the peer. */
  index (): HistoryIndex
  messagesInRange (after: Bound & { messageId: string }, upper: UpperBound, limit: number): { messageId: string; author: Uint8Array; seq: number; raw: Uint8Array }[]
  rawMessage (messageId: string): Uint8Array | undefined
  /** False for ids we refused or hold back: they are not asked for again. */
  wanted (id: Uint8Array): boolean
}

/** The other sync sessions of the same channel, so that a catch-up is fetched once, not once per member. */
export interface SyncPeers {
  /** This session's share of a large catch-up among the channel's sessions. */
  spread (): Spread
  /** True while another session of the channel is `busy`. */
  busyElsewhere (): boolean
}

const NO_PEERS: SyncPeers = { spread: () => ALONE, busyElsewhere: () => false }

export interface SyncTimings {
  /** How often the dialling side reconciles everything again (anti-entropy). */
  periodicMs: number
  /** How long a change waits before it starts an exchange, so a burst of changes costs one. */
  triggerDelayMs: number
  /** An exchange the peer stopped answering is given up after this. */
  exchangeTimeoutMs: number
}

export const DEFAULT_SYNC_TIMINGS: SyncTimings = { periodicMs: 30_000, triggerDelayMs: 1_000, exchangeTimeoutMs: 60_000 }

/** Unsent bytes on the link above which pushing waits for the peer to read (flow control). */
const HIGH_WATER_BYTES = 512 * 1024
const PUSH_BATCH = 64
/** Frames of a peer waiting for their answer; an honest peer has at most two in flight (its own exchange's, and its answer in ours). */
const MAX_PENDING_FRAMES = 2
/** Sends we promised and have not made yet; more is dropped (the next exchange asks again). */
const MAX_PUSH_JOBS = 512
/** Ids kept for a peer until its sends are made: ids it wants, and ids a range is sent without. */
const MAX_HELD_IDS = 8 * MAX_FRAME_IDS
/** Work a peer may make us do, counted in log entries read: a burst, then a steady rate. */
export interface WorkLimits { burst: number; perSecond: number }
export const DEFAULT_WORK: WorkLimits = { burst: 2_000_000, perSecond: 400_000 }
/** Finding one message by its id (an id a peer listed or wants) costs about as much as reading this many entries in order. */
export const ID_LOOKUP_COST = 8

type Job =
  | { kind: 'range'; after: Bound & { messageId: string }; upper: UpperBound; except: ReadonlySet<string> }
  | { kind: 'ids'; ids: string[] }

/**
 * Reconciliation with one peer over one connection (PROTOCOL §4.2): opens exchanges, answers the
 * peer's RANGES frames within a work budget, and sends what the peer lacks as fast as the peer
 * reads it, never faster. Stateless between frames: every frame describes the whole order.
 */
export class SyncSession {
  readonly #link: SyncLink
  readonly #source: SyncSource
  readonly #opener: boolean
  readonly #timings: SyncTimings
  readonly #log: Logger
  readonly #budget: WorkBudget
  readonly #now: () => number
  readonly #incoming: WireRange[][] = []
  readonly #jobs: Job[] = []
  #heldIds = 0
  /** When our last frame that expects an answer went out; 0 when none is outstanding. */
  #awaitingSince = 0
  /** When the peer last sent us HISTORY; 0 when it never has. */
  #historyAt = 0
  #periodic: NodeJS.Timeout | null = null
  #trigger: NodeJS.Timeout | null = null
  #processLater: NodeJS.Timeout | null = null
  #pumpLater: NodeJS.Timeout | null = null
  #stopped = false
  readonly #peers: SyncPeers
  /** Since when we have held back exchanges because another session was receiving history; 0 when not. */
  #deferredSince = 0
  /** Ranges were left to other members: once the channel is quiet, one exchange without sharing out checks nothing was missed. */
  #followUp = false
  /** The running exchange is that check: it fetches everything we lack. */
  #unshared = false

  constructor (opts: { link: SyncLink; source: SyncSource; opener: boolean; log: Logger; timings?: SyncTimings; work?: WorkLimits; now?: () => number; peers?: SyncPeers }) {
    this.#link = opts.link
    this.#source = opts.source
    this.#peers = opts.peers ?? NO_PEERS
    this.#opener = opts.opener
    this.#timings = opts.timings ?? DEFAULT_SYNC_TIMINGS
    this.#log = opts.log
    this.#now = opts.now ?? Date.now
    const work = opts.work ?? DEFAULT_WORK
    this.#budget = new WorkBudget({ perSecond: work.perSecond, burst: work.burst, now: this.#now })
  }

  /** The dialling side opens an exchange at once and then periodically; the other side answers. */
  start (): void {
    if (!this.#opener) return
    this.#open()
    this.#periodic = setInterval(() => { this.#open() }, this.#timings.periodicMs)
    this.#periodic.unref()
  }

  stop (): void {
    this.#stopped = true
    if (this.#periodic !== null) clearInterval(this.#periodic)
    if (this.#trigger !== null) clearTimeout(this.#trigger)
    if (this.#processLater !== null) clearTimeout(this.#processLater)
    if (this.#pumpLater !== null) clearTimeout(this.#pumpLater)
    this.#incoming.length = 0
    this.#jobs.length = 0
  }

  /** Something changed that this peer may lack or hold (a gap, new history from elsewhere): reconcile soon. */
  trigger (): void {
    if (this.#stopped || this.#trigger !== null) return
    this.#trigger = unrefTimer(() => {
      this.#trigger = null
      this.#open()
    }, this.#timings.triggerDelayMs)
  }

  /** The peer sent us a HISTORY message: while more keeps coming, we do not open an exchange with it. */
  noteHistory (): void {
    this.#historyAt = this.#now()
  }

  /** True when no exchange is running and nothing is waiting to be sent. */
  get idle (): boolean {
    return this.#awaitingSince === 0 && this.#incoming.length === 0 && this.#jobs.length === 0 && !this.#followUp
  }

  /** True while the peer is sending us history. */
  get receiving (): boolean {
    return this.#historyAt !== 0 && this.#now() - this.#historyAt < this.#timings.triggerDelayMs
  }

  /**
   * True while the peer sends us history or we check what shared-out ranges missed: an exchange
   * another session opened now would fetch the same entries again.
   */
  get busy (): boolean {
    return this.#unshared || this.receiving
  }

  onRanges (ranges: WireRange[]): void {
    if (this.#stopped) return
    if (this.#incoming.length >= MAX_PENDING_FRAMES) {
      this.#log.warn('peer sent RANGES faster than they are answered: dropped one')
      return
    }
    this.#incoming.push(ranges)
    this.#process()
  }

  onWant (ids: Uint8Array[]): void {
    if (this.#stopped) return
    const room = MAX_HELD_IDS - this.#heldIds
    const taken = ids.slice(0, Math.max(0, room)).map(id => Buffer.from(id).toString('hex'))
    if (taken.length === 0 || this.#jobs.length >= MAX_PUSH_JOBS) return
    this.#heldIds += taken.length
    this.#jobs.push({ kind: 'ids', ids: taken })
    this.pump()
  }

  /**
   * Sends queued entries while the link takes them; call again when the link drains. What is read
   * to send them is charged like answering ranges, so asking for the whole log again and again,
   * or for ids by the thousand, is paced by the same budget.
   */
  pump (): void {
    if (this.#pumpLater !== null) return
    while (!this.#stopped && !this.#link.closed && this.#link.bufferedBytes < HIGH_WATER_BYTES) {
      const job = this.#jobs[0]
      if (job === undefined) return
      const wait = this.#budget.waitMs()
      if (wait > 0) {
        this.#pumpLater = unrefTimer(() => {
          this.#pumpLater = null
          this.pump()
        }, wait)
        return
      }
      if (job.kind === 'ids') {
        const batch = job.ids.splice(0, PUSH_BATCH)
        this.#budget.charge(batch.length * ID_LOOKUP_COST)
        for (const id of batch) {
          this.#heldIds--
          const raw = this.#source.rawMessage(id)
          if (raw !== undefined) this.#link.send(encodeHistory({ raw }))
        }
        if (job.ids.length === 0) this.#jobs.shift()
        continue
      }
      const rows = this.#source.messagesInRange(job.after, job.upper, PUSH_BATCH)
      this.#budget.charge(rows.length + 1)
      // A deleted entry (its id kept, its bytes gone) is not sent: the peer buries it on the deletion.
      for (const row of rows) if (row.raw.length > 0 && !job.except.has(row.messageId)) this.#link.send(encodeHistory({ raw: row.raw }))
      const last = rows.at(-1)
      if (last === undefined || rows.length < PUSH_BATCH) {
        this.#jobs.shift()
        this.#heldIds -= job.except.size
      } else {
        job.after = { author: last.author, seq: last.seq, messageId: last.messageId }
      }
    }
  }

  #open (): void {
    if (this.#stopped || this.#link.closed) return
    const now = this.#now()
    if (this.#incoming.length > 0 || (this.#awaitingSince !== 0 && now - this.#awaitingSince < this.#timings.exchangeTimeoutMs)) {
      // An exchange is running; the check that follows shared-out ranges must still come after it.
      if (this.#followUp) this.trigger()
      return
    }
    // While either side is still sending what the last exchange found, a new one would find the same
    // difference and have it sent again (a catch-up of n entries resent about once a second): wait.
    // The same while another member sends us history: this one would send the same entries.
    if (this.#jobs.length > 0 || this.receiving || this.#holdBack()) {
      this.trigger()
      return
    }
    this.#unshared = this.#followUp
    this.#followUp = false
    this.#send(openingRanges(this.#source.index()), false)
  }

  /**
   * True while another session of the channel receives history, for at most one periodic interval:
   * a member that keeps sending us history must not keep us from reconciling with everyone else.
   */
  #holdBack (): boolean {
    if (!this.#peers.busyElsewhere()) {
      this.#deferredSince = 0
      return false
    }
    const now = this.#now()
    if (this.#deferredSince === 0) this.#deferredSince = now
    if (now - this.#deferredSince < this.#timings.periodicMs) return true
    this.#deferredSince = 0
    return false
  }

  /** Answers the peer's waiting frames, one per turn of the event loop: a burst of costly frames must not hold the node for seconds. */
  #process (): void {
    if (this.#processLater !== null) return
    while (!this.#stopped && this.#incoming.length > 0) {
      const wait = this.#budget.waitMs()
      if (wait > 0) {
        this.#processLater = unrefTimer(() => {
          this.#processLater = null
          this.#process()
        }, wait)
        return
      }
      const ranges = this.#incoming.shift()!
      this.#awaitingSince = 0
      // An all-skip frame ends the exchange: it is never answered.
      if (ranges.every(r => r.mode.kind === 'skip')) {
        this.#exchangeEnded()
        continue
      }
      // An exchange begun while another member sends us history is put off: we open one when it is done.
      if (ranges.length === 1 && ranges[0]!.upper === null && this.#holdBack()) {
        this.#send([{ upper: null, mode: { kind: 'skip' } }], true)
        this.#exchangeEnded()
        this.trigger()
        continue
      }
      this.#answer(ranges)
      // A frame arriving in this same turn waits for the next.
      this.#processLater = unrefTimer(() => {
        this.#processLater = null
        this.#process()
      }, 0)
      return
    }
  }

  #answer (ranges: WireRange[]): void {
    const index = this.#source.index()
    const answer = answerRanges(index, ranges, (id) => this.#source.wanted(id), undefined, this.#unshared ? ALONE : this.#peers.spread())
    // Each listed id is looked up (do we hold it?) and remembered while its range is sent.
    const listed = ranges.reduce((n, r) => n + (r.mode.kind === 'ids' ? r.mode.ids.length : 0), 0)
    this.#budget.charge(index.cost + ranges.length + listed * ID_LOOKUP_COST)
    for (let i = 0; i < answer.want.length; i += MAX_FRAME_IDS) this.#link.send(encodeWant({ ids: answer.want.slice(i, i + MAX_FRAME_IDS) }))
    this.#send(answer.reply, answer.done)
    this.#queue(answer.push)
    if (answer.leftToOthers) {
      this.#followUp = true
      this.trigger()
    }
    if (answer.done) this.#exchangeEnded()
  }

  #exchangeEnded (): void {
    this.#unshared = false
  }

  #send (ranges: WireRange[], done: boolean): void {
    if (this.#link.closed) return
    this.#link.send(encodeRanges({ ranges }))
    this.#awaitingSince = done ? 0 : this.#now()
  }

  #queue (jobs: PushJob[]): void {
    for (const job of jobs) {
      if (this.#jobs.length >= MAX_PUSH_JOBS || this.#heldIds + job.except.size > MAX_HELD_IDS) {
        this.#log.debug('push queue full: the rest waits for the next exchange')
        break
      }
      this.#heldIds += job.except.size
      this.#jobs.push({ kind: 'range', after: { ...job.lower, messageId: '' }, upper: job.upper, except: job.except })
    }
    this.pump()
  }
}
