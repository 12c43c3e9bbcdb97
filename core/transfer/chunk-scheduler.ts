// Which chunk to ask which peer for next (PROTOCOL §5.3), without I/O: rarest first across the
// bitfields of the peers serving the file, a random one among equally rare, at most a peer's limit
// outstanding with it; once every chunk that can be asked for is asked for (the end game), the last
// ones are asked of a few peers at once and the others cancelled when one arrives. A chunk that
// fails verification is asked of someone else; a peer that sent bad data `maxStrikes` times is not
// asked again. A peer that leaves or chokes gives its requests back to the pool.
import { hasChunk, MAX_REQUESTED_BYTES_PER_PEER, MAX_REQUESTS_PER_PEER, setChunk } from './protocol-limits.ts'

/** Requests a peer gets before its rate is known. */
export const INITIAL_REQUESTS = 4
/** Requests outstanding with a peer cover this long of its measured rate, so its link never idles between chunks. */
const PIPELINE_SECONDS = 0.5

export interface Assignment { peer: string; index: number }

export interface SchedulerOptions {
  chunkCount: number
  /** Chunks already held and verified (a resumed download's bitfield). */
  held?: Uint8Array
  /** In [0, 1): Math.random, or a seeded generator in tests. */
  random?: () => number
  /** Chunks failing verification from one peer before it is asked nothing more. */
  maxStrikes?: number
  /** Peers asked for one chunk at once in the end game. */
  endgameSources?: number
}

const MISSING = 0
const ARRIVED = 1
const HELD = 2

interface PeerState {
  bitfield: Uint8Array
  outstanding: Set<number>
  limit: number
  strikes: number
  banned: boolean
  choked: boolean
}

export class ChunkScheduler {
  readonly chunkCount: number
  readonly #state: Uint8Array
  readonly #availability: Uint32Array
  /** Missing chunks asked of no one, by how many usable peers hold them; #slot is each one's place in its bucket. */
  readonly #buckets: number[][] = [[]]
  readonly #slot: Int32Array
  readonly #requests = new Map<number, Set<string>>()
  readonly #excluded = new Map<number, Set<string>>()
  readonly #peers = new Map<string, PeerState>()
  readonly #random: () => number
  readonly #maxStrikes: number
  readonly #endgameSources: number
  #heldCount = 0
  #turn = 0

  constructor (options: SchedulerOptions) {
    const { chunkCount } = options
    if (!Number.isInteger(chunkCount) || chunkCount < 1) throw new RangeError(`a file has at least one chunk, not ${chunkCount}`)
    this.chunkCount = chunkCount
    this.#state = new Uint8Array(chunkCount)
    this.#availability = new Uint32Array(chunkCount)
    this.#slot = new Int32Array(chunkCount).fill(-1)
    this.#random = options.random ?? Math.random
    this.#maxStrikes = options.maxStrikes ?? 2
    this.#endgameSources = options.endgameSources ?? 3
    for (let i = 0; i < chunkCount; i++) {
      if (options.held !== undefined && hasChunk(options.held, i)) {
        this.#state[i] = HELD
        this.#heldCount++
      } else {
        this.#enter(i)
      }
    }
  }

  get heldCount (): number { return this.#heldCount }
  get complete (): boolean { return this.#heldCount === this.chunkCount }
  /** Every missing chunk some peer could give is already asked for: the last ones go to several peers. */
  get endgame (): boolean {
    for (let a = 1; a < this.#buckets.length; a++) if (this.#buckets[a]!.length > 0) return false
    return this.#requests.size > 0 || this.#heldCount < this.chunkCount
  }

  held (index: number): boolean { return this.#state[index] === HELD }
  /** Peers a chunk is asked of now. */
  requestedFrom (index: number): string[] { return [...this.#requests.get(index) ?? []] }
  outstanding (peer: string): number[] { return [...this.#peers.get(peer)?.outstanding ?? []] }
  isBanned (peer: string): boolean { return this.#peers.get(peer)?.banned ?? false }
  hasPeer (peer: string): boolean { return this.#peers.has(peer) }

  /** A peer serving the file, with the chunks its BITFIELD says it holds, asked for at most `limit` at once. */
  addPeer (peer: string, bitfield: Uint8Array, limit: number): void {
    if (this.#peers.has(peer)) throw new Error(`peer ${peer} is already scheduled`)
    this.#peers.set(peer, { bitfield: new Uint8Array(bitfield), outstanding: new Set(), limit, strikes: 0, banned: false, choked: false })
    for (let i = 0; i < this.chunkCount; i++) if (hasChunk(bitfield, i)) this.#changeAvailability(i, 1)
  }

  /** The peer's HAVE: it now holds chunk `index`. */
  peerHas (peer: string, index: number): void {
    const p = this.#peers.get(peer)
    if (p === undefined || hasChunk(p.bitfield, index)) return
    setChunk(p.bitfield, index)
    if (!p.banned) this.#changeAvailability(index, 1)
  }

  setLimit (peer: string, limit: number): void {
    const p = this.#peers.get(peer)
    if (p !== undefined) p.limit = limit
  }

  /** The peer left: what was asked of it goes back to the pool. Returns those chunks. */
  removePeer (peer: string): number[] {
    const p = this.#peers.get(peer)
    if (p === undefined) return []
    const dropped = this.#dropAll(peer, p)
    if (!p.banned) this.#forget(p)
    this.#peers.delete(peer)
    for (const set of this.#excluded.values()) set.delete(peer)
    return dropped
  }

  /** The peer is too busy (or serves again): while choked it is asked nothing, and what was asked of it goes back. */
  setChoked (peer: string, choked: boolean): number[] {
    const p = this.#peers.get(peer)
    if (p === undefined) return []
    p.choked = choked
    return choked ? this.#dropAll(peer, p) : []
  }

  /** One request given up (refused, timed out, cancelled by us); `notHeld` when the peer said it lacks the chunk. */
  drop (peer: string, index: number, notHeld = false): void {
    const p = this.#peers.get(peer)
    if (p === undefined) return
    if (p.outstanding.has(index)) this.#unrequest(peer, p, index)
    if (notHeld && hasChunk(p.bitfield, index)) {
      p.bitfield[index >> 3]! &= ~(0x80 >> (index & 7))
      if (!p.banned) this.#changeAvailability(index, -1)
    }
  }

  /** New requests to send: every usable peer's free slots filled, one at a time round the peers. */
  next (): Assignment[] {
    const assignments: Assignment[] = []
    const peers = [...this.#peers.entries()].filter(([, p]) => !p.banned && !p.choked)
    if (peers.length === 0) return assignments
    const start = this.#turn++ % peers.length
    const order = [...peers.slice(start), ...peers.slice(0, start)]
    let progress = true
    while (progress) {
      progress = false
      for (const [peer, p] of order) {
        if (p.outstanding.size >= p.limit) continue
        const index = this.#pickRarest(peer, p) ?? this.#pickEndgame(peer, p)
        if (index === undefined) continue
        this.#request(peer, p, index)
        assignments.push({ peer, index })
        progress = true
      }
    }
    return assignments
  }

  /** All of chunk `index` came from `peer` and goes to be verified. Returns the other requests of it, to cancel. */
  arrived (peer: string, index: number): Assignment[] {
    if (this.#state[index] !== MISSING) return []
    const others = [...this.#requests.get(index) ?? []].filter(other => other !== peer)
    for (const other of [peer, ...others]) {
      const p = this.#peers.get(other)
      if (p !== undefined && p.outstanding.has(index)) this.#unrequest(other, p, index)
    }
    this.#leave(index)
    this.#state[index] = ARRIVED
    return others.map(other => ({ peer: other, index }))
  }

  verified (index: number): void {
    if (this.#state[index] === HELD) return
    this.#leave(index)
    for (const [peer, p] of this.#peers) if (p.outstanding.has(index)) this.#unrequest(peer, p, index)
    this.#state[index] = HELD
    this.#heldCount++
    this.#excluded.delete(index)
  }

  /** Chunk `index` arrived but could not be kept (the store could not write it): it is missing again, no one's fault. */
  unwritten (index: number): void {
    if (this.#state[index] !== ARRIVED) return
    this.#state[index] = MISSING
    this.#enter(index)
  }

  /**
   * Chunk `index` from `peer` failed verification: asked of someone else from now on, and a strike
   * against the peer. Returns whether the peer is now banned (its requests are back in the pool).
   */
  failed (peer: string, index: number): boolean {
    if (this.#state[index] === ARRIVED) {
      this.#state[index] = MISSING
      this.#enter(index)
    }
    let excluded = this.#excluded.get(index)
    if (excluded === undefined) this.#excluded.set(index, excluded = new Set())
    excluded.add(peer)
    const p = this.#peers.get(peer)
    if (p === undefined || p.banned) return p?.banned ?? false
    p.strikes++
    if (p.strikes < this.#maxStrikes) return false
    this.#dropAll(peer, p)
    this.#forget(p)
    p.banned = true
    return true
  }

  #pickRarest (peer: string, p: PeerState): number | undefined {
    for (let a = 1; a < this.#buckets.length; a++) {
      const bucket = this.#buckets[a]!
      const n = bucket.length
      if (n === 0) continue
      // A random place among the equally rare, then the first one the peer can give.
      const start = Math.floor(this.#random() * n)
      for (let k = 0; k < n; k++) {
        const index = bucket[(start + k) % n]!
        if (hasChunk(p.bitfield, index) && !this.#isExcluded(index, peer)) return index
      }
    }
    return undefined
  }

  #pickEndgame (peer: string, p: PeerState): number | undefined {
    if (!this.endgame) return undefined
    let best: number | undefined
    let bestAsked = this.#endgameSources
    for (const [index, askedOf] of this.#requests) {
      if (askedOf.size >= bestAsked || askedOf.has(peer) || !hasChunk(p.bitfield, index) || this.#isExcluded(index, peer)) continue
      best = index
      bestAsked = askedOf.size
    }
    return best
  }

  #isExcluded (index: number, peer: string): boolean {
    return this.#excluded.get(index)?.has(peer) ?? false
  }

  #request (peer: string, p: PeerState, index: number): void {
    this.#leave(index)
    p.outstanding.add(index)
    let askedOf = this.#requests.get(index)
    if (askedOf === undefined) this.#requests.set(index, askedOf = new Set())
    askedOf.add(peer)
  }

  #unrequest (peer: string, p: PeerState, index: number): void {
    p.outstanding.delete(index)
    const askedOf = this.#requests.get(index)
    askedOf?.delete(peer)
    if (askedOf !== undefined && askedOf.size === 0) {
      this.#requests.delete(index)
      if (this.#state[index] === MISSING) this.#enter(index)
    }
  }

  #dropAll (peer: string, p: PeerState): number[] {
    const dropped = [...p.outstanding]
    for (const index of dropped) this.#unrequest(peer, p, index)
    return dropped
  }

  /** A peer no longer counts towards how rare its chunks are. */
  #forget (p: PeerState): void {
    for (let i = 0; i < this.chunkCount; i++) if (hasChunk(p.bitfield, i)) this.#changeAvailability(i, -1)
  }

  #changeAvailability (index: number, by: number): void {
    const pooled = this.#slot[index]! >= 0
    if (pooled) this.#leave(index)
    this.#availability[index] = this.#availability[index]! + by
    if (pooled) this.#enter(index)
  }

  /** Into the pool: a missing chunk asked of no one. */
  #enter (index: number): void {
    if (this.#slot[index]! >= 0) return
    const a = this.#availability[index]!
    while (this.#buckets.length <= a) this.#buckets.push([])
    const bucket = this.#buckets[a]!
    this.#slot[index] = bucket.length
    bucket.push(index)
  }

  #leave (index: number): void {
    const slot = this.#slot[index]!
    if (slot < 0) return
    const bucket = this.#buckets[this.#availability[index]!]!
    const last = bucket.pop()!
    if (last !== index) {
      bucket[slot] = last
      this.#slot[last] = slot
    }
    this.#slot[index] = -1
  }
}

/**
 * How many requests a peer measured at `bytesPerSecond` gets at once: half a second of its data
 * (at least 2), and never more than the protocol's cap or what the in-memory budget per peer takes
 * of chunks this size (at least one).
 */
export function requestLimit (bytesPerSecond: number, chunkBytes: number): number {
  const byMemory = Math.max(1, Math.floor(MAX_REQUESTED_BYTES_PER_PEER / chunkBytes))
  const byRate = bytesPerSecond > 0 ? Math.max(2, Math.ceil(bytesPerSecond * PIPELINE_SECONDS / chunkBytes) + 1) : INITIAL_REQUESTS
  return Math.min(MAX_REQUESTS_PER_PEER, byMemory, byRate)
}
