// The node's files on its connections: which files we share (our originals by path, downloads by
// their chunk store), which downloads run, and the file streams (one per file and peer) that carry
// both. The pool hands it the streams peers open and the connections it keeps; the node says who may
// have a file (`peersFor`: the peers of the conversation it was offered in) and nothing else of
// channels. Hashing received chunks takes one thread for all downloads.
import { EventEmitter } from 'node:events'
import type { BitChatError } from '../api/errors.ts'
import { fromHex, toHex } from '../codec/hex.ts'
import { CloseCode } from '../connection/close-codes.ts'
import type { Connection } from '../connection/connection.ts'
import type { Stream } from '../connection/mux-stream.ts'
import type { Logger } from '../log.ts'
import type { DropReason } from './download-session.ts'
import { Downloader, type DownloaderOptions } from './downloader.ts'
import type { FileManifest } from './file-manifest.ts'
import { FileStream } from './file-stream.ts'
import { ChunkHasher } from './hash-worker.ts'
import type { PieceLayer } from './merkle.ts'
import { bitfieldBytes, fileShape, ROOT_BYTES, type FileShape } from './protocol-limits.ts'
import { SharedFile } from './shared-file.ts'
import { FILE_PROTOCOL, REJECT, RejectCode, type TransferMessage } from './transfer-messages.ts'
import { refusal, uploadRate, UPLOAD_LIMITS, type UploadLimits } from './upload-policy.ts'
import { Uploader } from './uploader.ts'

export interface TransfersOptions {
  pool: { connectionTo: (keyHex: string) => Connection | undefined }
  /** The peers (keys, hex) of the conversation the file was offered in: whom we ask for it, and whom we serve it. */
  peersFor: (rootHex: string) => readonly string[]
  isBlocked?: (keyHex: string) => boolean
  log: Logger
  uploadLimits?: UploadLimits
  now?: () => number
  /** Downloads' tuning (tests): their clock's tick, progress interval, bitfield saves. */
  download?: Pick<DownloaderOptions, 'tickMs' | 'progressMs' | 'saveEveryBytes' | 'random' | 'writeBudgetBytes'>
}

export interface ShareRequest {
  manifest: FileManifest
  pieceLayer: PieceLayer
  /** Where the file is; its size and modification time now are what it is checked against before each read. */
  path: string
}

export interface DownloadRequest {
  manifest: FileManifest
  folder: string
  saveAs?: string
  /** Kept from an earlier run (the downloader's 'layer' event): not fetched again. */
  pieceLayer?: PieceLayer
}

interface Link {
  readonly connection: Connection
  readonly stream: FileStream
  readonly uploader: Uploader
}

interface FileEntry {
  readonly root: Uint8Array
  readonly rootHex: string
  readonly shape: FileShape
  shared: SharedFile | undefined
  download: Downloader | undefined
  readonly links: Map<string, Link>
}

interface TransfersEvents {
  /** A file we shared could not be read as offered (changed, removed): it is shared no more. */
  'share-stopped': [string, BitChatError]
}

export class Transfers extends EventEmitter<TransfersEvents> {
  readonly #opts: TransfersOptions
  readonly #files = new Map<string, FileEntry>()
  readonly #hasher = new ChunkHasher()
  #closed = false

  constructor (opts: TransfersOptions) {
    super()
    this.#opts = opts
  }

  /** Roots (hex) we share or download now. */
  get roots (): string[] { return [...this.#files.keys()] }

  download (rootHex: string): Downloader | undefined { return this.#files.get(rootHex)?.download }
  /** Whether we serve the file now, and from where (a path for an original or a finished download). */
  shared (rootHex: string): SharedFile | undefined { return this.#files.get(rootHex)?.shared }
  /** The peers with a file stream of this file open now. */
  linkedPeers (rootHex: string): string[] { return [...this.#files.get(rootHex)?.links.keys() ?? []] }
  uploader (rootHex: string, peer: string): Uploader | undefined { return this.#files.get(rootHex)?.links.get(peer)?.uploader }

  /** Serves our file at `path` to the peers of its conversation that ask for it. Throws FILE_ERROR when it is not the file hashed. */
  async share (request: ShareRequest): Promise<void> {
    const file = await SharedFile.original(request.path, request.manifest, request.pieceLayer, this.#opts.now)
    const entry = this.#entry(request.manifest)
    const before = entry.shared
    entry.shared = file
    await before?.close()
  }

  /** Serves the file no more: its streams are told (REJECT 4) and closed, unless we download it. */
  async unshare (rootHex: string): Promise<void> {
    const entry = this.#files.get(rootHex)
    if (entry?.shared === undefined) return
    const file = entry.shared
    entry.shared = undefined
    await file.close()
    if (entry.download === undefined) this.#forget(entry, RejectCode.CANCELLED)
  }

  /**
   * Starts (or, from the `.part` file in `folder`, resumes) a download, and opens the file's stream to
   * every connected peer of its conversation. Returns the downloader, whose events tell progress,
   * completion and failure.
   */
  async startDownload (request: DownloadRequest): Promise<Downloader> {
    const entry = this.#entry(request.manifest)
    if (entry.download !== undefined) return entry.download
    const downloader = new Downloader({
      ...this.#opts.download,
      manifest: request.manifest,
      folder: request.folder,
      hashChunk: this.#hasher.hash,
      links: {
        send: (peer, message) => { entry.links.get(peer)?.stream.send(message) },
        broadcast: (message) => { for (const link of entry.links.values()) link.stream.send(message) },
        drop: (peer, reason) => { this.#drop(entry, peer, reason) },
        hold: (holding) => {
          for (const link of entry.links.values()) {
            if (holding) link.stream.hold()
            else link.stream.release()
          }
        }
      },
      ...(request.saveAs === undefined ? {} : { saveAs: request.saveAs }),
      ...(request.pieceLayer === undefined ? {} : { pieceLayer: request.pieceLayer }),
      ...(this.#opts.now === undefined ? {} : { now: this.#opts.now })
    })
    entry.download = downloader
    downloader.on('store', (store) => {
      if (entry.shared === undefined) entry.shared = SharedFile.fromStore(store, downloader.pieceLayer!)
    })
    downloader.on('completed', (saved) => { void this.#completed(entry, downloader, saved) })
    downloader.on('cancelled', () => { void this.#ended(entry, downloader) })
    downloader.on('failed', () => { void this.#ended(entry, downloader) })
    await downloader.start()
    this.#connect(entry)
    return downloader
  }

  /** The peers of a file's conversation changed (or, with no root, of any): streams are opened to those connected now. */
  refresh (rootHex?: string): void {
    for (const entry of this.#files.values()) if (rootHex === undefined || entry.rootHex === rootHex) this.#connect(entry)
  }

  /** For the pool's `onAdopted`: a connection kept, new or replacing another; the downloads that peer may serve open their streams on it. */
  onConnection (connection: Connection): void {
    for (const entry of this.#files.values()) {
      if (entry.download !== undefined && this.#opts.peersFor(entry.rootHex).includes(connection.remoteKeyHex)) this.#open(entry, connection)
    }
  }

  /** For the pool's `onOtherStream`: takes a file stream (true), leaves other protocols (false). */
  onStream (connection: Connection, stream: Stream): boolean {
    if (stream.protocol !== FILE_PROTOCOL) return false
    const entry = stream.topic.length === ROOT_BYTES ? this.#files.get(toHex(stream.topic)) : undefined
    if (entry === undefined || this.#closed) {
      // Without the file's shape nothing can be said on its stream: it is refused as a stream.
      connection.reset(stream, CloseCode.NORMAL, 'file not shared here')
      return true
    }
    const peer = connection.remoteKeyHex
    const refused = refusal({
      member: this.#opts.peersFor(entry.rootHex).includes(peer),
      blocked: this.#opts.isBlocked?.(peer) === true,
      sharing: entry.shared !== undefined || entry.download !== undefined
    })
    if (refused !== undefined) {
      const refusing = FileStream.accept(connection, stream, entry.shape, new Uint8Array(bitfieldBytes(entry.shape)))
      refusing.send(REJECT.encode({ code: refused }, entry.shape))
      refusing.close()
      return true
    }
    this.#attach(entry, connection, FileStream.accept(connection, stream, entry.shape, this.#bitfield(entry)))
    return true
  }

  /** Stops every download (resumable from its folder) and stream; shares end with it. */
  async close (): Promise<void> {
    this.#closed = true
    for (const entry of this.#files.values()) {
      for (const link of entry.links.values()) link.stream.reset(CloseCode.SHUTTING_DOWN)
      await entry.download?.close()
      await entry.shared?.close()
    }
    this.#files.clear()
    await this.#hasher.close()
  }

  #entry (manifest: FileManifest): FileEntry {
    const rootHex = toHex(manifest.root)
    let entry = this.#files.get(rootHex)
    if (entry === undefined) {
      entry = { root: fromHex(rootHex), rootHex, shape: fileShape(manifest.size, Math.log2(manifest.chunkSize)), shared: undefined, download: undefined, links: new Map() }
      this.#files.set(rootHex, entry)
    }
    return entry
  }

  #bitfield (entry: FileEntry): Uint8Array {
    return entry.download?.bitfield() ?? entry.shared?.bitfield() ?? new Uint8Array(bitfieldBytes(entry.shape))
  }

  #connect (entry: FileEntry): void {
    if (entry.download === undefined || this.#closed) return
    for (const peer of this.#opts.peersFor(entry.rootHex)) {
      const connection = this.#opts.pool.connectionTo(peer)
      if (connection !== undefined) this.#open(entry, connection)
    }
  }

  #open (entry: FileEntry, connection: Connection): void {
    const peer = connection.remoteKeyHex
    const link = entry.links.get(peer)
    if (!connection.established || connection.closed || (link !== undefined && link.connection === connection && !link.stream.closed)) return
    this.#attach(entry, connection, FileStream.open(connection, entry.root, entry.shape, this.#bitfield(entry)))
  }

  #attach (entry: FileEntry, connection: Connection, stream: FileStream): void {
    const peer = stream.peer
    entry.links.get(peer)?.stream.reset(CloseCode.DUPLICATE, 'a newer stream of the same file')
    const uploads = (): number => [...this.#files.values()].filter(e => e.links.get(peer)?.connection === connection).length
    const rate = uploadRate({ relayed: connection.transport === 'relay', uploads: uploads() + 1 }, this.#opts.uploadLimits)
    const uploader = new Uploader({
      stream,
      file: () => entry.shared,
      queuedInAll: () => this.#queued(),
      limits: this.#opts.uploadLimits ?? UPLOAD_LIMITS,
      onFileFailed: (file, err) => { void this.#shareFailed(entry, file, err) },
      ...(rate === undefined ? {} : { rate }),
      ...(this.#opts.now === undefined ? {} : { now: this.#opts.now })
    })
    if (entry.download?.holding === true) stream.hold()
    const link: Link = { connection, stream, uploader }
    entry.links.set(peer, link)
    stream.on('message', (message) => { this.#route(entry, link, message) })
    stream.once('close', () => {
      uploader.stop()
      if (entry.links.get(peer) !== link) return
      entry.links.delete(peer)
      entry.download?.peerLeft(peer)
    })
  }

  #route (entry: FileEntry, link: Link, message: TransferMessage): void {
    switch (message.type) {
      case 'request':
      case 'cancel':
      case 'layer-request':
        link.uploader.handle(message)
        return
      default:
        break
    }
    if (entry.download !== undefined) {
      entry.download.peerMessage(link.stream.peer, message)
      return
    }
    // Not downloading: pieces and layers were never asked for; a refusal of the whole file ends the stream.
    if (message.type === 'piece' || message.type === 'layer') link.stream.reset(CloseCode.PROTOCOL_ERROR, `${message.type} not asked for`)
    else if (message.type === 'reject' && message.index === undefined) link.stream.close()
  }

  #drop (entry: FileEntry, peer: string, reason: DropReason): void {
    const link = entry.links.get(peer)
    if (link === undefined) return
    if (reason === 'protocol' || reason === 'bad-data') link.stream.reset(CloseCode.PROTOCOL_ERROR, reason)
    else link.stream.close()
  }

  #queued (): number {
    let queued = 0
    for (const entry of this.#files.values()) for (const link of entry.links.values()) queued += link.uploader.queued
    return queued
  }

  async #completed (entry: FileEntry, downloader: Downloader, saved: string): Promise<void> {
    if (entry.download !== downloader) return
    entry.download = undefined
    // The saved file is served from now on, as an original is: checked against its size and time.
    const fromStore = entry.shared?.path === undefined ? entry.shared : undefined
    try {
      entry.shared = await SharedFile.original(saved, downloader.manifest, downloader.pieceLayer!, this.#opts.now)
    } catch (err) {
      entry.shared = undefined
      this.emit('share-stopped', entry.rootHex, err as BitChatError)
      this.#forget(entry, RejectCode.CANCELLED)
    }
    await fromStore?.close()
  }

  async #ended (entry: FileEntry, downloader: Downloader): Promise<void> {
    if (entry.download !== downloader) return
    entry.download = undefined
    const fromStore = entry.shared?.path === undefined ? entry.shared : undefined
    if (fromStore === undefined) return
    entry.shared = undefined
    await fromStore.close()
    this.#forget(entry, RejectCode.CANCELLED)
  }

  async #shareFailed (entry: FileEntry, file: SharedFile, err: BitChatError): Promise<void> {
    if (entry.shared !== file) return
    entry.shared = undefined
    await file.close()
    this.#opts.log.warn('a shared file stopped being shared', { root: entry.rootHex.slice(0, 16), code: err.code })
    this.emit('share-stopped', entry.rootHex, err)
    if (entry.download === undefined) this.#forget(entry, RejectCode.CANCELLED)
  }

  /** Neither shared nor downloaded any more: every stream of the file is told so and closed. */
  #forget (entry: FileEntry, code: RejectCode): void {
    for (const link of entry.links.values()) {
      link.uploader.stop()
      link.stream.send(REJECT.encode({ code }, entry.shape))
      link.stream.close()
    }
    entry.links.clear()
    this.#files.delete(entry.rootHex)
  }
}
