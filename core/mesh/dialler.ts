import { newPeerRecord, scheduleRetry, type PeerRecord, type PeerSource } from './peer-record.ts'
import { admitRecord, chooseDials, nextDueAt, yieldDelay } from './dial-policy.ts'
import type { ConnectionPool } from '../peers/connection-pool.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { formatHostPort } from '../wire/address.ts'
import { systemClock, type Clock } from '../timers.ts'
import type { Logger } from '../log.ts'

export interface DiallerOptions {
  channelId: string
  /** Dials go through the node's one pool: a peer already connected for another channel is not dialled again. */
  pool: ConnectionPool
  /** Our key: of two members who learn of each other at once, the one the duplicate rule keeps as dialler dials first. */
  ownKeyHex: string
  log: Logger
  maxRecords?: number
  clock?: Clock
  random?: () => number
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
 * A channel's addresses whose owner is not known yet, and the dials made to find out: every such
 * address is remembered (room permitting, see admitRecord) and dialled in the order chooseDials
 * gives, a few at a time, with capped, jittered backoff after each failure. Once a handshake proves
 * whose an address is, it becomes a route of that peer in the node's peer book, which redials it
 * for every channel that wants it.
 */
export class Dialler {
  readonly #opts: DiallerOptions
  readonly #clock: Clock
  readonly #records = new Map<string, PeerRecord>()
  /** Dials in flight. */
  #pending = 0
  /** Wakes the dial loop when the next address in backoff is due. */
  #timer: (() => void) | null = null
  #timerAt = Infinity
  #queued = false
  #destroyed = false

  constructor (opts: DiallerOptions) {
    this.#opts = opts
    this.#clock = opts.clock ?? systemClock
  }

  get records (): PeerRecord[] { return [...this.#records.values()] }

  /**
   * An address learnt from `source`. One whose owner is known (a stored address, a route the peer
   * book already has) goes to the peer book, and the channel wants that peer; a peer list naming
   * a peer the node knows adds a route to it and nothing more (another member's word does not make
   * us seek anyone), unless it may not be dialled directly ('Hide my IP address'): then the peer book
   * seeks it through relays. Any other address is remembered here and dialled when its turn comes; a key from
   * PEX (`introducer` said who listens there) is only a claim the dial must confirm, and decides who
   * dials first (yieldDelay): the other member has most likely just learnt of us from the same list.
   */
  add (host: string, port: number, source: PeerSource, publicKeyHex: string | null, introducer: string | null = null): void {
    if (this.#destroyed) return
    const { pool, channelId } = this.#opts
    const route = { kind: 'tcp' as const, host, port }
    if (source === 'pex' && publicKeyHex !== null && pool.peers.get(publicKeyHex) !== undefined) {
      pool.peers.learn(publicKeyHex, route, source, false)
      return
    }
    if (source === 'pex' && publicKeyHex !== null && !pool.directAllowed(publicKeyHex, true)) {
      // Hiding our address from this member: it is sought through relays (the member who named it is
      // connected to it), its address kept as a claim for when a direct dial is allowed again.
      if (pool.peers.learn(publicKeyHex, route, source, false)) pool.peers.want(publicKeyHex, channelId)
      return
    }
    const owner = source === 'pex' ? null : publicKeyHex ?? pool.peers.ownerOf(route)
    if (owner !== null) {
      if (pool.peers.learn(owner, route, source, false)) pool.peers.want(owner, channelId)
      return
    }
    const fresh = !this.#records.has(formatHostPort(host, port))
    const record = this.#recordFor(host, port, source, introducer)
    if (record === null) return
    if (source === 'pex') record.claimedKey = publicKeyHex
    if (fresh && record.claimedKey !== null) {
      const wait = yieldDelay(this.#opts.ownKeyHex, record.claimedKey, this.#opts.random)
      // Its dial, if it comes meanwhile, hands the address over instead (see #dialSome).
      if (wait > 0) record.status = { kind: 'backoff', until: this.#clock.now() + wait }
    }
    this.#dialSoon()
  }

  destroy (): void {
    this.#destroyed = true
    this.#timer?.()
  }

  /** The record of an address, made (room permitting) when new; a sighting refreshes it. */
  #recordFor (host: string, port: number, source: PeerSource, introducer: string | null = null): PeerRecord | null {
    const key = formatHostPort(host, port)
    const now = this.#clock.now()
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
    const now = this.#clock.now()
    const records = [...this.#records.values()]
    for (const record of records) {
      const key = record.publicKey ?? record.claimedKey
      if (key !== null && record.status.kind !== 'connecting' && this.#wantedHere(key)) this.#handOver(record, key)
    }
    const slots = MAX_CONCURRENT_DIALS - this.#pending
    // A dial shows our address to whoever is there: with 'Hide my IP address', only to a contact's
    // key (a handshake here reached it before, or a member said it listens here). The rest wait here.
    const dialable = [...this.#records.values()].filter(r => this.#opts.pool.directAllowed(r.publicKey ?? r.claimedKey, r.publicKey === null))
    for (const record of chooseDials(dialable, now, { slots, maxPerHost: MAX_DIALS_PER_HOST })) this.#dial(record)
    const due = nextDueAt(dialable)
    if (due !== null) this.#wakeAt(due)
  }

  #wakeAt (at: number): void {
    if (this.#timer !== null && this.#timerAt <= at) return
    this.#timer?.()
    this.#timerAt = at
    this.#timer = this.#clock.after(Math.max(0, at - this.#clock.now()), () => {
      this.#timer = null
      this.#timerAt = Infinity
      this.#dialSome()
    })
  }

  /** Connected to this peer, and this channel wants it (it is linked here, or being offered on that connection). */
  #wantedHere (keyHex: string): boolean {
    const peer = this.#opts.pool.peers.get(keyHex)
    return peer?.status.kind === 'connected' && peer.wantedBy.has(this.#opts.channelId)
  }

  /**
   * The owner of this address is known now and this channel has it: the address becomes one of its
   * routes in the peer book (proven when our own handshake there reached it). Kept here when the
   * book has no room.
   */
  #handOver (record: PeerRecord, keyHex: string): void {
    const route = { kind: 'tcp' as const, host: record.host, port: record.port }
    const proven = record.publicKey === keyHex
    const taken = proven ? this.#opts.pool.peers.proven(keyHex, route, record.sources) : [...record.sources].every(source => this.#opts.pool.peers.learn(keyHex, route, source, false))
    if (taken) this.#records.delete(formatHostPort(record.host, record.port))
  }

  /** Dials one address through the pool (when the node-wide budget has no room, again a moment later). */
  #dial (record: PeerRecord): void {
    const { pool, channelId } = this.#opts
    record.status = { kind: 'connecting' }
    this.#pending++
    // Whom a handshake here reached before, or whom a member said listens here: anyone else fails the
    // handshake before learning anything of ours, and a peer already connected is not dialled twice.
    const expected = record.publicKey ?? record.claimedKey
    pool.dial({ kind: 'tcp', host: record.host, port: record.port }, channelId, expected).then((outcome) => {
      this.#pending--
      if (this.#destroyed) return
      switch (outcome.kind) {
        case 'connected':
          record.publicKey = outcome.keyHex
          pool.peers.want(outcome.keyHex, channelId)
          this.#handOver(record, outcome.keyHex)
          if (this.#records.has(formatHostPort(record.host, record.port))) this.#retryLater(record)
          break
        case 'self':
          record.status = { kind: 'self' }
          break
        case 'busy':
          record.status = { kind: 'idle' }
          this.#wakeAt(this.#clock.now() + BUDGET_RETRY_MS)
          return
        case 'failed':
          this.#opts.log.debug('dial failed', { address: formatHostPort(record.host, record.port), reason: outcome.reason })
          // Whom the handshake reached, even if the channel was not linked with them (not invited, not joined).
          if (outcome.keyHex !== undefined && outcome.code !== CloseCode.UNEXPECTED_IDENTITY) record.publicKey = outcome.keyHex
          // The key expected was wrong (or is stale): whoever listens there now is welcome on the next try.
          if (outcome.code === CloseCode.UNEXPECTED_IDENTITY) {
            record.claimedKey = null
            record.publicKey = null
          }
          // The dial found nobody where a member said this member listens (behind a NAT, most likely, or
          // gone): the peer book takes it over, and tries a relay first, then that address and a relay in turn.
          if (outcome.keyHex === undefined && outcome.code === null && record.claimedKey !== null) {
            const route = { kind: 'tcp' as const, host: record.host, port: record.port }
            if (pool.peers.unanswered(record.claimedKey, route, 'pex')) {
              this.#records.delete(formatHostPort(record.host, record.port))
              pool.peers.want(record.claimedKey, channelId)
              break
            }
          }
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
    scheduleRetry(record, this.#clock.now())
  }
}
