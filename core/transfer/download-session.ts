// One file's download as a state machine without I/O (PROTOCOL §5.3): events in (a peer's bitfield,
// HAVE, PIECE and REJECT; the store's verdict on a chunk; a peer leaving; pause, resume, cancel; the
// clock), commands out (REQUEST or CANCEL to a peer, a chunk to verify and write, HAVE to everyone,
// a peer to drop, done). Chunks are assembled from their pieces here and handed whole to the store,
// which hashes them against the piece layer; the scheduler decides who is asked for what.
import { ChunkScheduler, requestLimit } from './chunk-scheduler.ts'
import { chunkLength, MAX_LAYER_HASHES, type FileShape } from './protocol-limits.ts'
import { RejectCode } from './transfer-messages.ts'

/** A peer asked for chunks that sends no piece for this long: its requests are given up and asked of others. */
export const REQUEST_TIMEOUT_MS = 30_000
/** A peer that answered BUSY, or stalled, is asked no more for this long. */
export const BUSY_BACKOFF_MS = 5_000
/** How much the latest tick's rate counts in a peer's measured rate. */
const RATE_WEIGHT = 0.5

export type DownloadEvent =
  /** A peer's file stream is up: its INTEREST matched, and this is its BITFIELD. */
  | { type: 'peer-joined'; peer: string; bitfield: Uint8Array }
  | { type: 'have'; peer: string; index: number }
  | { type: 'piece'; peer: string; index: number; offset: number; data: Uint8Array }
  | { type: 'rejected'; peer: string; code: RejectCode; index?: number }
  /** A LAYER message: hashes `first` onwards of the piece layer. */
  | { type: 'layer'; peer: string; first: number; hashes: Uint8Array[] }
  /** The store's verdict on the piece layer this session handed it with `check-layer`. */
  | { type: 'layer-verified' }
  | { type: 'layer-failed' }
  /** The store's verdict on a chunk this session handed it with `write-chunk`. */
  | { type: 'chunk-verified'; index: number }
  | { type: 'chunk-failed'; index: number }
  /** The store could not write chunk `index` (disk full, folder read-only): the download pauses until resumed. */
  | { type: 'store-failed'; index: number; code: string }
  | { type: 'peer-left'; peer: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' }
  /** Time passed: requests time out, busy peers are asked again, rates are measured. */
  | { type: 'tick' }

export type DropReason = 'bad-data' | 'protocol' | 'declined' | 'stalled'

export type DownloadCommand =
  | { type: 'request'; peer: string; index: number }
  | { type: 'cancel'; peer: string; index: number }
  /** LAYER_REQUEST: hashes `first` to `first + count - 1` of the piece layer. */
  | { type: 'request-layer'; peer: string; first: number; count: number }
  /** The whole piece layer as `peer` sent it: to check against the root. The store answers layer-verified or layer-failed. */
  | { type: 'check-layer'; peer: string; hashes: Uint8Array[] }
  /** Chunk `index` as `peer` sent it: to verify against the piece layer, then write. The store answers chunk-verified or chunk-failed. */
  | { type: 'write-chunk'; index: number; peer: string; data: Uint8Array }
  /** Tell every peer of the file that we now hold chunk `index` (HAVE). */
  | { type: 'have'; index: number }
  /** Close the file stream with the peer: it broke the protocol, sent bad data too often, or will not serve. */
  | { type: 'drop-peer'; peer: string; reason: DropReason }
  | { type: 'paused'; reason: 'user' | 'store'; code?: string }
  | { type: 'resumed' }
  | { type: 'done' }
  | { type: 'failed'; code: 'cancelled' }

export type DownloadState = 'running' | 'paused' | 'done' | 'cancelled'

export interface DownloadOptions {
  shape: FileShape
  /** Verified chunks kept from before (the store's bitfield): a resumed download asks only for the rest. */
  held?: Uint8Array
  /** Whether the store holds the piece layer already (no need for a file of one chunk); asked of a peer first if not. */
  layerHeld?: boolean
  now: () => number
  random?: () => number
  maxStrikes?: number
}

export interface DownloadProgress {
  verifiedBytes: number
  size: number
  /** Bytes a second received from all peers, as measured at the last ticks. */
  bytesPerSecond: number
  peers: number
}

/** The piece layer being fetched: `hashes` once asked of `peer` (all of it at once), `checking` once with the store. */
interface LayerFetch { askedAt: number; peer?: string; hashes?: Array<Uint8Array | undefined>; received?: number; checking?: boolean }

interface Assembly { data: Uint8Array; received: number }

interface PeerRecord {
  assemblies: Map<number, Assembly>
  requestedAt: Map<number, number>
  /** Chunks we cancelled with this peer: pieces of them still in flight are dropped, not an error. */
  cancelled: Set<number>
  busyUntil: number
  /** Its bitfield or a HAVE says it holds a chunk, so it can give the piece layer. */
  holdsAny: boolean
  /** When the peer last sent a piece we asked for. */
  lastPieceAt: number
  bytesSinceTick: number
  bytesPerSecond: number
}

export class DownloadSession {
  readonly shape: FileShape
  readonly #scheduler: ChunkScheduler
  readonly #peers = new Map<string, PeerRecord>()
  /** Peers dropped for bad data: not taken back if they come again. */
  readonly #banned = new Set<string>()
  /** Chunks with the store, and whose bytes they are. */
  readonly #verifying = new Map<number, string>()
  readonly #now: () => number
  #state: DownloadState = 'running'
  #verifiedBytes = 0
  #lastTick: number
  /** Undefined once the piece layer is held; else the fetch of it, from one peer at a time. */
  #layer: LayerFetch | undefined

  constructor (options: DownloadOptions) {
    this.shape = options.shape
    this.#now = options.now
    this.#lastTick = options.now()
    this.#scheduler = new ChunkScheduler({
      chunkCount: options.shape.chunkCount,
      ...(options.held === undefined ? {} : { held: options.held }),
      ...(options.random === undefined ? {} : { random: options.random }),
      ...(options.maxStrikes === undefined ? {} : { maxStrikes: options.maxStrikes })
    })
    for (let i = 0; i < this.shape.chunkCount; i++) if (this.#scheduler.held(i)) this.#verifiedBytes += chunkLength(this.shape, i)
    this.#layer = options.layerHeld === false && this.shape.chunkCount > 1 ? { askedAt: 0 } : undefined
  }

  get state (): DownloadState { return this.#state }

  progress (): DownloadProgress {
    let bytesPerSecond = 0
    for (const p of this.#peers.values()) bytesPerSecond += p.bytesPerSecond
    return { verifiedBytes: this.#verifiedBytes, size: this.shape.size, bytesPerSecond, peers: this.#peers.size }
  }

  /** Commands to carry out for the first moment (a resumed download of a complete file is done at once). */
  start (): DownloadCommand[] {
    return this.#scheduler.complete && this.#state === 'running' ? this.#finish() : []
  }

  handle (event: DownloadEvent): DownloadCommand[] {
    if (this.#state === 'done' || this.#state === 'cancelled') return []
    const out: DownloadCommand[] = []
    switch (event.type) {
      case 'peer-joined': this.#join(event.peer, event.bitfield, out); break
      case 'have':
        this.#scheduler.peerHas(event.peer, event.index)
        if (this.#peers.has(event.peer)) this.#peers.get(event.peer)!.holdsAny = true
        break
      case 'layer': this.#layerPart(event.peer, event.first, event.hashes, out); break
      case 'layer-verified':
        if (this.#layer?.checking === true) this.#layer = undefined
        break
      case 'layer-failed': this.#layerFailed(out); break
      case 'piece': this.#piece(event.peer, event.index, event.offset, event.data, out); break
      case 'rejected': this.#rejected(event.peer, event.code, event.index, out); break
      case 'chunk-verified': this.#verified(event.index, out); break
      case 'chunk-failed': this.#failed(event.index, out); break
      case 'store-failed':
        if (this.#verifying.delete(event.index)) this.#scheduler.unwritten(event.index)
        this.#pause('store', out, event.code)
        break
      case 'peer-left': this.#leave(event.peer); break
      case 'pause': this.#pause('user', out); break
      case 'resume':
        if (this.#state === 'paused') {
          this.#state = 'running'
          out.push({ type: 'resumed' })
        }
        break
      case 'cancel':
        this.#cancelAll(out)
        this.#state = 'cancelled'
        out.push({ type: 'failed', code: 'cancelled' })
        return out
      case 'tick': this.#tick(out); break
    }
    if (this.#state === 'running') this.#requestMore(out)
    return out
  }

  #join (peer: string, bitfield: Uint8Array, out: DownloadCommand[]): void {
    if (this.#banned.has(peer)) {
      out.push({ type: 'drop-peer', peer, reason: 'bad-data' })
      return
    }
    if (this.#peers.has(peer)) this.#leave(peer)
    this.#peers.set(peer, { assemblies: new Map(), requestedAt: new Map(), cancelled: new Set(), busyUntil: 0, holdsAny: bitfield.some(b => b !== 0), lastPieceAt: 0, bytesSinceTick: 0, bytesPerSecond: 0 })
    this.#scheduler.addPeer(peer, bitfield, requestLimit(0, this.shape.chunkBytes))
  }

  #piece (peer: string, index: number, offset: number, data: Uint8Array, out: DownloadCommand[]): void {
    const p = this.#peers.get(peer)
    if (p === undefined) return
    const length = chunkLength(this.shape, index)
    if (!p.requestedAt.has(index)) {
      // Pieces of a chunk we cancelled may still be on their way; any other unasked piece is a broken promise.
      if (!p.cancelled.has(index)) return this.#drop(peer, 'protocol', out)
      if (offset + data.length === length) p.cancelled.delete(index)
      return
    }
    p.bytesSinceTick += data.length
    p.lastPieceAt = this.#now()
    let assembly = p.assemblies.get(index)
    // Offset 0 again: the peer restarted the chunk (a CANCEL and a new REQUEST crossed its sending).
    if (assembly === undefined || offset === 0) {
      if (offset !== 0) return this.#drop(peer, 'protocol', out)
      assembly = { data: new Uint8Array(length), received: 0 }
      p.assemblies.set(index, assembly)
    }
    if (offset !== assembly.received) return this.#drop(peer, 'protocol', out)
    assembly.data.set(data, offset)
    assembly.received += data.length
    if (assembly.received < length) return
    p.assemblies.delete(index)
    p.requestedAt.delete(index)
    for (const other of this.#scheduler.arrived(peer, index)) this.#cancel(other.peer, index, out)
    this.#verifying.set(index, peer)
    out.push({ type: 'write-chunk', index, peer, data: assembly.data })
  }

  #rejected (peer: string, code: RejectCode, index: number | undefined, out: DownloadCommand[]): void {
    const p = this.#peers.get(peer)
    if (p === undefined) return
    if (index !== undefined && (code === RejectCode.NOT_HELD || code === RejectCode.BUSY)) {
      // A REJECT of a chunk not asked for (one we just cancelled) changes nothing.
      if (!p.requestedAt.has(index)) return
      this.#forgetRequest(p, index)
      this.#scheduler.drop(peer, index, code === RejectCode.NOT_HELD)
      if (code === RejectCode.BUSY) {
        // The peer takes what it already queued and no more for a while: asking as many again would only be refused again.
        p.busyUntil = this.#now() + BUSY_BACKOFF_MS
        const queued = this.#scheduler.outstanding(peer).length
        if (queued === 0) this.#scheduler.setChoked(peer, true)
        else this.#scheduler.setLimit(peer, queued)
      }
      return
    }
    this.#drop(peer, 'declined', out)
  }

  #verified (index: number, out: DownloadCommand[]): void {
    if (!this.#verifying.delete(index) || this.#scheduler.held(index)) return
    this.#scheduler.verified(index)
    this.#verifiedBytes += chunkLength(this.shape, index)
    out.push({ type: 'have', index })
    if (this.#scheduler.complete) out.push(...this.#finish())
  }

  #failed (index: number, out: DownloadCommand[]): void {
    const peer = this.#verifying.get(index)
    if (peer === undefined) return
    this.#verifying.delete(index)
    if (this.#scheduler.failed(peer, index)) {
      this.#banned.add(peer)
      this.#drop(peer, 'bad-data', out)
    }
  }

  #pause (reason: 'user' | 'store', out: DownloadCommand[], code?: string): void {
    if (this.#state !== 'running') return
    this.#cancelAll(out)
    this.#state = 'paused'
    out.push(code === undefined ? { type: 'paused', reason } : { type: 'paused', reason, code })
  }

  #tick (out: DownloadCommand[]): void {
    const now = this.#now()
    const layer = this.#layer
    if (layer?.peer !== undefined && layer.checking !== true && now - layer.askedAt >= REQUEST_TIMEOUT_MS) this.#drop(layer.peer, 'stalled', out)
    const seconds = Math.max(now - this.#lastTick, 1) / 1000
    this.#lastTick = now
    for (const [peer, p] of this.#peers) {
      p.bytesPerSecond = RATE_WEIGHT * (p.bytesSinceTick / seconds) + (1 - RATE_WEIGHT) * p.bytesPerSecond
      p.bytesSinceTick = 0
      if (p.busyUntil !== 0 && p.busyUntil <= now) {
        p.busyUntil = 0
        this.#scheduler.setChoked(peer, false)
      }
      if (p.busyUntil === 0) this.#scheduler.setLimit(peer, requestLimit(p.bytesPerSecond, this.shape.chunkBytes))
      // Requests queue behind one another at the peer: it stalls when no piece came since the oldest was asked.
      if (p.requestedAt.size === 0 || now - Math.max(p.lastPieceAt, Math.min(...p.requestedAt.values())) < REQUEST_TIMEOUT_MS) continue
      // A peer that stopped sending is asked nothing for a while: what it was asked goes to others.
      p.busyUntil = now + BUSY_BACKOFF_MS
      this.#scheduler.setChoked(peer, true)
      for (const index of [...p.requestedAt.keys()]) this.#cancel(peer, index, out)
    }
  }

  /** Asks one peer that holds chunks for the whole piece layer, a message's worth of hashes a request. */
  #askLayer (out: DownloadCommand[]): void {
    const layer = this.#layer!
    if (layer.peer !== undefined) return
    const peer = [...this.#peers].find(([, p]) => p.holdsAny && p.busyUntil === 0)?.[0]
    if (peer === undefined) return
    this.#layer = { askedAt: this.#now(), peer, hashes: new Array<Uint8Array | undefined>(this.shape.chunkCount), received: 0 }
    for (let first = 0; first < this.shape.chunkCount; first += MAX_LAYER_HASHES) {
      out.push({ type: 'request-layer', peer, first, count: Math.min(MAX_LAYER_HASHES, this.shape.chunkCount - first) })
    }
  }

  #layerPart (peer: string, first: number, hashes: Uint8Array[], out: DownloadCommand[]): void {
    const layer = this.#layer
    if (!this.#peers.has(peer)) return
    // Only the ranges asked, of the peer asked, once each.
    const asked = layer?.peer === peer && layer.hashes !== undefined && layer.checking !== true && first % MAX_LAYER_HASHES === 0 &&
      hashes.length === Math.min(MAX_LAYER_HASHES, this.shape.chunkCount - first) && layer.hashes[first] === undefined
    if (!asked) return this.#drop(peer, 'protocol', out)
    hashes.forEach((hash, i) => { layer.hashes![first + i] = hash })
    layer.received! += hashes.length
    if (layer.received !== this.shape.chunkCount) return
    layer.checking = true
    out.push({ type: 'check-layer', peer, hashes: layer.hashes as Uint8Array[] })
  }

  #layerFailed (out: DownloadCommand[]): void {
    const peer = this.#layer?.peer
    if (peer === undefined || this.#layer?.checking !== true) return
    this.#layer = { askedAt: 0 }
    this.#banned.add(peer)
    this.#drop(peer, 'bad-data', out)
  }

  #requestMore (out: DownloadCommand[]): void {
    if (this.#layer !== undefined) return this.#askLayer(out)
    for (const { peer, index } of this.#scheduler.next()) {
      const p = this.#peers.get(peer)!
      p.cancelled.delete(index)
      p.requestedAt.set(index, this.#now())
      out.push({ type: 'request', peer, index })
    }
  }

  #cancelAll (out: DownloadCommand[]): void {
    for (const [peer, p] of this.#peers) {
      for (const index of [...p.requestedAt.keys()]) {
        this.#scheduler.drop(peer, index)
        this.#cancel(peer, index, out)
      }
    }
  }

  /** CANCEL one request: its partial chunk is thrown away, its late pieces ignored. */
  #cancel (peer: string, index: number, out: DownloadCommand[]): void {
    const p = this.#peers.get(peer)
    if (p === undefined || !p.requestedAt.has(index)) return
    this.#forgetRequest(p, index)
    p.cancelled.add(index)
    out.push({ type: 'cancel', peer, index })
  }

  #forgetRequest (p: PeerRecord, index: number): void {
    p.requestedAt.delete(index)
    p.assemblies.delete(index)
  }

  #drop (peer: string, reason: DropReason, out: DownloadCommand[]): void {
    this.#leave(peer)
    out.push({ type: 'drop-peer', peer, reason })
  }

  #leave (peer: string): void {
    if (!this.#peers.delete(peer)) return
    if (this.#layer?.peer === peer && this.#layer.checking !== true) this.#layer = { askedAt: 0 }
    this.#scheduler.removePeer(peer)
  }

  #finish (): DownloadCommand[] {
    this.#state = 'done'
    const out: DownloadCommand[] = []
    for (const [peer, p] of this.#peers) for (const index of p.requestedAt.keys()) out.push({ type: 'cancel', peer, index })
    out.push({ type: 'done' })
    return out
  }
}
