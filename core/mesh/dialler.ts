import { markConnected, newPeerRecord, scheduleRetry, type PeerRecord, type PeerSource } from './peer-record.ts'
import { admitRecord, chooseDials, nextDueAt } from './dial-policy.ts'
import type { ConnectionPool } from '../peers/connection-pool.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { formatHostPort } from '../wire/address.ts'
import { unrefTimer } from '../timers.ts'
import type { Logger } from '../log.ts'

export interface DiallerOptions {
  channelId: string
  /** Dials go through the node's one pool: a peer already connected for another channel is not dialled again. */
  pool: ConnectionPool
  log: Logger
  maxRecords?: number
  /** A peer we have a link with in this channel: its addresses are not dialled while the link lasts. */
  isLinked: (publicKeyHex: string) => boolean
}

const MAX_CONCURRENT_DIALS = 8
/** Dials in flight to one host: a host announcing many ports gets no more of the slots than this. */
const MAX_DIALS_PER_HOST = 2
const MAX_RECORDS = 500
const MAX_RECORDS_PER_ORIGIN = 128
const MAX_RECORDS_PER_HOST = 32
const MAX_RECORDS_PER_INTRODUCER = 16
/** When the node-wide dial budget is spent, dialling is tried again this often. */
const BUDGET_RETRY_MS = 1_000

/**
 * A channel's address book and the dials made from it: every address learnt is remembered (room
 * permitting, see admitRecord) and dialled in the order chooseDials gives, a few at a time, with
 * capped, jittered backoff after each failure.
 */
export class Dialler {
  readonly #opts: DiallerOptions
  readonly #records = new Map<string, PeerRecord>()
  /** Dials in flight. */
  #pending = 0
  /** Wakes the dial loop when the next address in backoff is due. */
  #timer: NodeJS.Timeout | null = null
  #timerAt = Infinity
  #queued = false
  #destroyed = false

  constructor (opts: DiallerOptions) {
    this.#opts = opts
  }

  get records (): PeerRecord[] { return [...this.#records.values()] }

  /**
   * An address learnt from `source`: remembered, and dialled when its turn comes. A key from PEX
   * (`introducer` said who listens there) is only a claim the dial must confirm; a key from our own
   * earlier session there (a stored address) is what that session proved.
   */
  add (host: string, port: number, source: PeerSource, publicKeyHex: string | null, introducer: string | null = null): void {
    if (this.#destroyed) return
    const record = this.#recordFor(host, port, source, introducer)
    if (record === null) return
    if (source === 'pex') record.claimedKey = publicKeyHex
    else if (publicKeyHex !== null && record.publicKey === null) record.publicKey = publicKeyHex
    this.#dialSoon()
  }

  /**
   * Where a connected peer listens, so it is redialled there if its session drops. A peer that
   * dialled us gets a record for it; one we dialled already has its own.
   */
  markListening (host: string, port: number, publicKeyHex: string, createIfMissing: boolean): void {
    const known = this.#records.get(formatHostPort(host, port))
    const record = known ?? (createIfMissing ? this.#recordFor(host, port, 'incoming') : null)
    if (record !== null) markConnected(record, publicKeyHex, Date.now())
  }

  /** The link with this peer is gone: its addresses are dialled again after their backoff. */
  linkLost (publicKeyHex: string): void {
    for (const record of this.#records.values()) {
      if (record.publicKey === publicKeyHex && record.status.kind === 'connected') this.#retryLater(record)
    }
    this.#dialSome()
  }

  destroy (): void {
    this.#destroyed = true
    if (this.#timer !== null) clearTimeout(this.#timer)
  }

  /** The record of an address, made (room permitting) when new; a sighting refreshes it. */
  #recordFor (host: string, port: number, source: PeerSource, introducer: string | null = null): PeerRecord | null {
    const key = formatHostPort(host, port)
    const now = Date.now()
    let record = this.#records.get(key)
    if (record === undefined) {
      const limits = { max: this.#opts.maxRecords ?? MAX_RECORDS, maxPerOrigin: MAX_RECORDS_PER_ORIGIN, maxPerHost: MAX_RECORDS_PER_HOST, maxPerIntroducer: MAX_RECORDS_PER_INTRODUCER }
      const admission = admitRecord([...this.#records.values()], { host, origin: source, introducer }, limits)
      if (admission.kind === 'refuse') {
        this.#opts.log.debug('ignored an address', { address: key, reason: admission.reason })
        return null
      }
      for (const victim of admission.evict) this.#records.delete(formatHostPort(victim.host, victim.port))
      record = newPeerRecord(host, port, source, now, introducer)
      this.#records.set(key, record)
    } else {
      record.sources.add(source)
      record.lastSeenAt = now
    }
    return record
  }

  /** One dial round for a whole list of addresses learnt together (a PEX, a tracker answer). */
  #dialSoon (): void {
    if (this.#queued) return
    this.#queued = true
    queueMicrotask(() => {
      this.#queued = false
      this.#dialSome()
    })
  }

  /**
   * Starts the dials the policy picks for the free slots, and sets a timer for when the next
   * address in backoff is due. Called whenever an address is learnt or a dial or link ends.
   */
  #dialSome (): void {
    if (this.#destroyed) return
    const now = Date.now()
    const records = [...this.#records.values()]
    for (const record of records) {
      const key = record.publicKey ?? record.claimedKey
      if (key !== null && this.#opts.isLinked(key) && record.status.kind !== 'connecting' && record.status.kind !== 'self') record.status = { kind: 'connected' }
    }
    const slots = MAX_CONCURRENT_DIALS - this.#pending
    for (const record of chooseDials(records, now, { slots, maxPerHost: MAX_DIALS_PER_HOST })) this.#dial(record)
    const due = nextDueAt(records)
    if (due !== null) this.#wakeAt(due)
  }

  #wakeAt (at: number): void {
    if (this.#timer !== null && this.#timerAt <= at) return
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timerAt = at
    this.#timer = unrefTimer(() => {
      this.#timer = null
      this.#timerAt = Infinity
      this.#dialSome()
    }, Math.max(0, at - Date.now()))
  }

  /**
   * Dials one address through the pool (when the node-wide budget has no room, again a moment
   * later). A member whose key is known here and who is connected already (for another channel)
   * is not dialled: the channel is offered on that connection instead.
   */
  #dial (record: PeerRecord): void {
    const { pool, channelId } = this.#opts
    if (record.publicKey !== null && pool.offerTo(record.publicKey, channelId)) {
      record.status = { kind: 'connected' }
      return
    }
    record.status = { kind: 'connecting' }
    this.#pending++
    // A member said who listens here: anyone else fails the handshake before learning anything of ours.
    const expected = record.publicKey === null ? record.claimedKey : null
    pool.dial({ kind: 'tcp', host: record.host, port: record.port }, channelId, expected).then((outcome) => {
      this.#pending--
      if (this.#destroyed) return
      switch (outcome.kind) {
        case 'connected':
          markConnected(record, outcome.keyHex, Date.now())
          break
        case 'self':
          record.status = { kind: 'self' }
          break
        case 'busy':
          record.status = { kind: 'idle' }
          this.#wakeAt(Date.now() + BUDGET_RETRY_MS)
          return
        case 'failed':
          this.#opts.log.debug('dial failed', { address: formatHostPort(record.host, record.port), reason: outcome.reason })
          // Whom the handshake reached, even if the channel was not linked with them (not invited, not joined).
          if (outcome.keyHex !== undefined && outcome.code !== CloseCode.UNEXPECTED_IDENTITY) record.publicKey = outcome.keyHex
          // The claim was false (or is stale): whoever listens there now is welcome on the next try.
          if (outcome.code === CloseCode.UNEXPECTED_IDENTITY) record.claimedKey = null
          this.#retryLater(record)
      }
      this.#dialSome()
    }, (err: unknown) => {
      this.#pending--
      this.#opts.log.error('dial went wrong', { error: (err as Error).message })
      this.#retryLater(record)
    })
  }

  #retryLater (record: PeerRecord): void {
    if (this.#destroyed || record.status.kind === 'self') return
    scheduleRetry(record, Date.now())
  }
}
