// One file's download driven by real file streams: a DownloadSession decides, this carries out what
// it decides. Messages go out through the streams the registry gives it, chunks go to the chunk
// store (hashed off the event loop by the node's ChunkHasher), time passes in ticks, and progress is
// told at most twice a second. Without the piece layer it first fetches one from a peer and checks it
// against the root; only then is the store opened, which resumes from the chunks it saved before.
import { EventEmitter } from 'node:events'
import { BitChatError } from '../api/errors.ts'
import { throttled } from '../timers.ts'
import { ChunkStore } from './chunk-store.ts'
import { DownloadSession, type DownloadCommand, type DropReason } from './download-session.ts'
import type { FileManifest } from './file-manifest.ts'
import type { ChunkHashing } from './hash-worker.ts'
import { checkPieceLayer, type PieceLayer } from './merkle.ts'
import { bitfieldBytes, CHUNK_HASH_BYTES, fileShape, setChunk, type FileShape } from './protocol-limits.ts'
import { CANCEL, HAVE, LAYER_REQUEST, REQUEST, type TransferMessage } from './transfer-messages.ts'

/** How often the session's clock moves: requests time out, rates are measured, busy peers asked again. */
export const TICK_MS = 1_000
/** Progress is told at most this often (PROTOCOL: `file.progress` is rate-limited). */
export const PROGRESS_MS = 500

/**
 * Received chunks waiting to be hashed and written beyond which the peers are held back (their
 * streams' credit kept) until half of it is written: a disk slower than the link costs time, not memory.
 */
export const WRITE_BUDGET_BYTES = 32 * 1024 * 1024

/** What the downloader sends through: the file's streams, one per peer, kept by the registry. */
export interface DownloadLinks {
  send: (peer: string, message: Uint8Array) => void
  /** To every peer with a stream of this file. */
  broadcast: (message: Uint8Array) => void
  /** Closes the stream with the peer: it broke the protocol, sent bad data, or will not serve. */
  drop: (peer: string, reason: DropReason) => void
  /** True: every peer's stream stops returning credit (the writes fell behind); false: they return it again. */
  hold: (holding: boolean) => void
}

export interface DownloaderOptions {
  manifest: FileManifest
  /** Where the file is saved; the `.part` file and its bitfield wait there until it is done. */
  folder: string
  saveAs?: string
  /** The piece layer, when the node kept it from before (the 'layer' event gives it); fetched from a peer otherwise. */
  pieceLayer?: PieceLayer
  hashChunk: ChunkHashing
  links: DownloadLinks
  now?: () => number
  random?: () => number
  tickMs?: number
  progressMs?: number
  saveEveryBytes?: number
  /** WRITE_BUDGET_BYTES unless given (smaller in tests). */
  writeBudgetBytes?: number
}

export type TransferState = 'running' | 'paused' | 'complete' | 'cancelled' | 'failed' | 'closed'

export interface TransferProgress {
  state: TransferState
  verifiedBytes: number
  size: number
  bytesPerSecond: number
  /** Peers serving us the file now. */
  peers: number
}

interface DownloaderEvents {
  progress: [TransferProgress]
  /** The piece layer, fetched and checked: the node may keep it to skip fetching it after a restart. */
  layer: [PieceLayer]
  /** The store is open: its verified chunks may be served to others. */
  store: [ChunkStore]
  /** `error` says why when the store paused it (disk full, folder read-only or gone). */
  paused: [{ reason: 'user' | 'store'; error?: BitChatError }]
  resumed: []
  /** The file is whole, checked against its root, and saved at this path. */
  completed: [string]
  cancelled: []
  /** Given up: the store could not be opened or the file not finished for a reason a resume cannot mend. */
  failed: [BitChatError]
  'peer-dropped': [string, DropReason]
}

export class Downloader extends EventEmitter<DownloaderEvents> {
  readonly manifest: FileManifest
  readonly shape: FileShape
  /** REQUESTs sent, all peers: what a resumed download fetched again is told by this. */
  requestsSent = 0
  /** Times the peers were held back because writes fell behind. */
  holds = 0
  /** Verified chunks, by the peer that sent them. */
  readonly chunksFrom = new Map<string, number>()
  readonly #opts: DownloaderOptions
  readonly #now: () => number
  /** What each peer's BITFIELD and HAVEs say it holds: a new session (once the store opens) starts from them. */
  readonly #peerBits = new Map<string, Uint8Array>()
  readonly #progress: { call: () => void; cancel: () => void }
  #session: DownloadSession
  #store: ChunkStore | null = null
  #layer: PieceLayer | null
  #timer: NodeJS.Timeout | null = null
  #state: TransferState = 'running'
  #writingBytes = 0
  #holding = false

  constructor (opts: DownloaderOptions) {
    super()
    this.#opts = opts
    this.manifest = opts.manifest
    this.shape = fileShape(opts.manifest.size, Math.log2(opts.manifest.chunkSize))
    this.#now = opts.now ?? Date.now
    this.#layer = opts.pieceLayer ?? null
    this.#session = this.#newSession(undefined, this.#layer !== null || this.shape.chunkCount === 1)
    this.#progress = throttled(() => { this.emit('progress', this.progress()) }, opts.progressMs ?? PROGRESS_MS)
  }

  get state (): TransferState { return this.#state }
  get pieceLayer (): PieceLayer | null { return this.#layer }
  get store (): ChunkStore | null { return this.#store }
  /** Peers are held back: the chunks received and not yet written are over WRITE_BUDGET_BYTES. */
  get holding (): boolean { return this.#holding }

  progress (): TransferProgress {
    const p = this.#session.progress()
    return { state: this.#state, verifiedBytes: this.#store?.verifiedBytes ?? 0, size: this.shape.size, bytesPerSecond: Math.round(p.bytesPerSecond), peers: p.peers }
  }

  /** What our BITFIELD says on a new stream: the chunks verified so far (none before the store is open). */
  bitfield (): Uint8Array {
    return this.#store?.bitfield() ?? new Uint8Array(bitfieldBytes(this.shape))
  }

  /** Opens the store when the piece layer is known, and starts the clock. Streams may join before or after. */
  async start (): Promise<void> {
    if (this.#layer !== null || this.shape.chunkCount === 1) await this.#openStore(this.#layer ?? this.manifest.root)
    if (this.#state === 'failed') return
    this.#timer = setInterval(() => { this.#tick() }, this.#opts.tickMs ?? TICK_MS)
    this.#timer.unref()
    this.#run(this.#session.start())
  }

  /** A message from a peer's file stream that is the downloader's: BITFIELD, HAVE, PIECE, REJECT, LAYER. */
  peerMessage (peer: string, message: TransferMessage): void {
    if (!this.#active()) return
    switch (message.type) {
      case 'bitfield':
        this.#peerBits.set(peer, new Uint8Array(message.bitfield))
        this.#run(this.#session.handle({ type: 'peer-joined', peer, bitfield: message.bitfield }))
        break
      case 'have': {
        const bits = this.#peerBits.get(peer)
        if (bits !== undefined) setChunk(bits, message.index)
        this.#run(this.#session.handle({ type: 'have', peer, index: message.index }))
        break
      }
      case 'piece': this.#run(this.#session.handle({ type: 'piece', peer, index: message.index, offset: message.offset, data: message.data })); break
      case 'reject': this.#run(this.#session.handle(message.index === undefined ? { type: 'rejected', peer, code: message.code } : { type: 'rejected', peer, code: message.code, index: message.index })); break
      case 'layer': this.#run(this.#session.handle({ type: 'layer', peer, first: message.first, hashes: message.hashes })); break
      default: break
    }
  }

  peerLeft (peer: string): void {
    this.#peerBits.delete(peer)
    if (this.#active()) this.#run(this.#session.handle({ type: 'peer-left', peer }))
  }

  /** Stops asking for chunks; what was verified is saved. */
  async pause (): Promise<void> {
    if (this.#state !== 'running') return
    this.#run(this.#session.handle({ type: 'pause' }))
    await this.#store?.pause()
  }

  /** Takes a paused download up again, from what the store saved (a store paused by an error is tried again). */
  async resume (): Promise<void> {
    if (this.#state !== 'paused') return
    const store = this.#store
    if (store?.state === 'paused') {
      try {
        await store.resume()
      } catch (err) {
        this.emit('paused', { reason: 'store', error: coded(err) })
        return
      }
      // What the store holds after reopening is what counts: chunks an error cost are asked for again.
      this.#state = 'running'
      this.#renew()
      this.emit('resumed')
    } else {
      this.#run(this.#session.handle({ type: 'resume' }))
      this.#state = 'running'
    }
    this.#progress.call()
  }

  /** Stops for good: requests are cancelled and the `.part` file removed. */
  async cancel (): Promise<void> {
    if (this.#state === 'complete' || this.#state === 'cancelled' || this.#state === 'closed') return
    this.#run(this.#session.handle({ type: 'cancel' }))
    this.#stop('cancelled')
    await this.#store?.discard()
    this.emit('cancelled')
  }

  /** The node is stopping: what was verified is saved, and a later downloader of the same folder resumes from it. */
  async close (): Promise<void> {
    if (this.#state === 'complete' || this.#state === 'cancelled' || this.#state === 'closed') return
    this.#stop('closed')
    await this.#store?.close()
  }

  #active (): boolean {
    return this.#state === 'running' || this.#state === 'paused'
  }

  #newSession (held: Uint8Array | undefined, layerHeld: boolean): DownloadSession {
    return new DownloadSession({
      shape: this.shape,
      layerHeld,
      now: this.#now,
      ...(held === undefined ? {} : { held }),
      ...(this.#opts.random === undefined ? {} : { random: this.#opts.random })
    })
  }

  /** A session anew from the store's bitfield, every peer joined again with what it holds: after the layer came, or the store reopened. */
  #renew (): void {
    this.#session = this.#newSession(this.#store!.bitfield(), true)
    for (const [peer, bitfield] of this.#peerBits) this.#run(this.#session.handle({ type: 'peer-joined', peer, bitfield }))
  }

  /** `layer` is the file's root for a file of one chunk: its only hash. */
  async #openStore (layer: PieceLayer): Promise<void> {
    this.#layer = layer
    try {
      this.#store = await ChunkStore.open({
        folder: this.#opts.folder,
        manifest: this.manifest,
        pieceLayer: layer,
        hashChunk: this.#opts.hashChunk,
        ...(this.#opts.saveAs === undefined ? {} : { saveAs: this.#opts.saveAs }),
        ...(this.#opts.saveEveryBytes === undefined ? {} : { saveEveryBytes: this.#opts.saveEveryBytes })
      })
    } catch (err) {
      this.#stop('failed')
      this.emit('failed', coded(err))
      return
    }
    this.emit('store', this.#store)
  }

  async #layerArrived (hashes: Uint8Array[]): Promise<void> {
    const layer = new Uint8Array(hashes.length * CHUNK_HASH_BYTES)
    hashes.forEach((hash, i) => { layer.set(hash, i * CHUNK_HASH_BYTES) })
    if (!checkPieceLayer(layer, this.manifest.root, this.manifest.size, this.manifest.chunkSize)) {
      this.#run(this.#session.handle({ type: 'layer-failed' }))
      return
    }
    this.#layer = layer
    this.emit('layer', layer)
    await this.#openStore(layer)
    if (!this.#active() || this.#store === null) return
    // Our streams said we held nothing while the layer was fetched: what a resumed store holds is told now.
    for (let i = 0; i < this.shape.chunkCount; i++) if (this.#store.has(i)) this.#opts.links.broadcast(HAVE.encode({ index: i }, this.shape))
    const paused = this.#state === 'paused'
    this.#renew()
    if (paused) this.#run(this.#session.handle({ type: 'pause' }))
    this.#run(this.#session.start())
  }

  #tick (): void {
    if (!this.#active()) return
    this.#run(this.#session.handle({ type: 'tick' }))
    this.#progress.call()
  }

  #run (commands: DownloadCommand[]): void {
    const { links } = this.#opts
    for (const c of commands) {
      switch (c.type) {
        case 'request':
          this.requestsSent++
          links.send(c.peer, REQUEST.encode({ index: c.index }, this.shape))
          break
        case 'cancel': links.send(c.peer, CANCEL.encode({ index: c.index }, this.shape)); break
        case 'request-layer': links.send(c.peer, LAYER_REQUEST.encode({ first: c.first, count: c.count }, this.shape)); break
        case 'check-layer': void this.#layerArrived(c.hashes); break
        case 'write-chunk': void this.#write(c.index, c.peer, c.data); break
        case 'have': links.broadcast(HAVE.encode({ index: c.index }, this.shape)); break
        case 'drop-peer':
          links.drop(c.peer, c.reason)
          this.emit('peer-dropped', c.peer, c.reason)
          break
        case 'paused':
          this.#state = 'paused'
          this.emit('paused', c.reason === 'store' && this.#store?.pausedBy != null ? { reason: 'store', error: this.#store.pausedBy } : { reason: c.reason })
          this.#progress.call()
          break
        case 'resumed':
          this.#state = 'running'
          this.emit('resumed')
          break
        case 'done': void this.#complete(); break
        case 'failed': break
      }
    }
  }

  async #write (index: number, peer: string, data: Uint8Array): Promise<void> {
    const store = this.#store
    if (store === null) return
    this.#writing(data.length)
    try {
      await store.write(index, data)
    } catch (err) {
      this.#writing(-data.length)
      if (!this.#active() || store !== this.#store) return
      const code = err instanceof BitChatError ? err.code : 'INTERNAL'
      this.#run(this.#session.handle(code === 'CHUNK_REJECTED' ? { type: 'chunk-failed', index } : { type: 'store-failed', index, code }))
      return
    }
    this.#writing(-data.length)
    if (!this.#active() || store !== this.#store) return
    this.chunksFrom.set(peer, (this.chunksFrom.get(peer) ?? 0) + 1)
    this.#run(this.#session.handle({ type: 'chunk-verified', index }))
    this.#progress.call()
  }

  async #complete (): Promise<void> {
    const store = this.#store!
    let saved: string
    try {
      saved = await store.complete()
    } catch (err) {
      if (!this.#active()) return
      // Chunks found changed on disk are fetched again; a disk error pauses until resumed.
      if (store.state === 'downloading' && coded(err).code === 'DOWNLOAD_CORRUPT') {
        this.#renew()
        this.#run(this.#session.start())
        return
      }
      if (store.state === 'paused') {
        this.#renew()
        this.#state = 'paused'
        this.#run(this.#session.handle({ type: 'pause' }).filter(c => c.type !== 'paused'))
        this.emit('paused', { reason: 'store', error: coded(err) })
        return
      }
      this.#stop('failed')
      this.emit('failed', coded(err))
      return
    }
    if (!this.#active()) return
    this.#stop('complete')
    this.emit('progress', this.progress())
    this.emit('completed', saved)
  }

  #writing (bytes: number): void {
    this.#writingBytes += bytes
    const budget = this.#opts.writeBudgetBytes ?? WRITE_BUDGET_BYTES
    const holding = this.#holding ? this.#writingBytes > budget / 2 : this.#writingBytes > budget
    if (holding === this.#holding) return
    this.#holding = holding
    if (holding) this.holds++
    this.#opts.links.hold(holding)
  }

  #stop (state: TransferState): void {
    this.#state = state
    if (this.#timer !== null) clearInterval(this.#timer)
    this.#timer = null
    this.#progress.cancel()
  }
}

function coded (err: unknown): BitChatError {
  return err instanceof BitChatError ? err : new BitChatError('INTERNAL', (err as Error).message)
}
