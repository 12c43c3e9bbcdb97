// Serving one file to one peer on its file stream (PROTOCOL §5.3): REQUESTs queued under the upload
// policy (REJECT 1 for a chunk we lack, 2 beyond the queue's bounds), their PIECEs read and sent in
// order as the stream takes them (a full stream waits for 'drain', so credit paces us), at the
// relayed rate when the connection runs through a relay; LAYER_REQUESTs answered from the piece
// layer. The stream's bulk priority puts chat first.
import { setTimeout as sleep } from 'node:timers/promises'
import { BitChatError } from '../api/errors.ts'
import { TokenBucket, type BucketRate } from '../limits/token-bucket.ts'
import { CHUNK_HASH_BYTES } from './protocol-limits.ts'
import type { FileStream } from './file-stream.ts'
import type { SharedFile } from './shared-file.ts'
import { LAYER, PIECE, REJECT, RejectCode, type TransferMessage } from './transfer-messages.ts'
import { UPLOAD_LIMITS, UploadQueue, type PieceToSend, type UploadLimits } from './upload-policy.ts'

/**
 * PIECEs read from disk ahead of the one being sent: reads overlap the sending and one another
 * instead of costing a turn of the event loop each (at most ~480 KiB held per stream).
 */
const READ_AHEAD = 8

export interface UploaderOptions {
  stream: FileStream
  /** The file as we hold it now (a download's chunks become the saved file); undefined once we stopped sharing it. */
  file: () => SharedFile | undefined
  /** Requests queued with us on every file stream: the node-wide bound of the upload policy. */
  queuedInAll: () => number
  /** The stream's pace over a relayed connection (`uploadRate`); undefined: credit alone paces it. */
  rate?: BucketRate
  limits?: UploadLimits
  /** The file could not be read as offered (changed, gone): it must stop being shared. */
  onFileFailed: (file: SharedFile, err: BitChatError) => void
  now?: () => number
}

export class Uploader {
  readonly #opts: UploaderOptions
  readonly #queue: UploadQueue
  readonly #bucket: TokenBucket | null
  #pumping = false
  #stopped = false
  /** Bytes of PIECE data sent: for progress and tests. */
  bytesSent = 0

  constructor (opts: UploaderOptions) {
    this.#opts = opts
    this.#queue = new UploadQueue(opts.stream.shape)
    this.#bucket = opts.rate === undefined ? null : new TokenBucket(opts.rate, opts.now)
  }

  /** Requests of this peer queued with us. */
  get queued (): number { return this.#stopped ? 0 : this.#queue.size }

  /** A message of the peer's that asks something of us: REQUEST, CANCEL, LAYER_REQUEST. */
  handle (message: TransferMessage): void {
    if (this.#stopped) return
    const { stream } = this.#opts
    switch (message.type) {
      case 'request': {
        const file = this.#opts.file()
        const verdict = this.#queue.request(message.index, file?.has(message.index) === true, this.#opts.queuedInAll(), this.#opts.limits ?? UPLOAD_LIMITS)
        if (verdict === 'serve') void this.#pump()
        else stream.send(REJECT.encode({ code: verdict, index: message.index }, stream.shape))
        break
      }
      case 'cancel': this.#queue.cancel(message.index); break
      case 'layer-request': {
        const file = this.#opts.file()
        if (file === undefined) {
          stream.send(REJECT.encode({ code: RejectCode.NO_LAYER }, stream.shape))
          return
        }
        const hashes: Uint8Array[] = []
        for (let i = message.first; i < message.first + message.count; i++) hashes.push(file.pieceLayer.slice(i * CHUNK_HASH_BYTES, (i + 1) * CHUNK_HASH_BYTES))
        stream.send(LAYER.encode({ first: message.first, hashes }, stream.shape))
        break
      }
      default: break
    }
  }

  /** Nothing more is sent (the stream closed, the file stopped being shared). */
  stop (): void {
    this.#stopped = true
  }

  async #pump (): Promise<void> {
    if (this.#pumping) return
    this.#pumping = true
    const { stream } = this.#opts
    const reads: Array<{ piece: PieceToSend; file: SharedFile; data: Promise<Uint8Array> }> = []
    try {
      for (;;) {
        for (let file = this.#opts.file(); file !== undefined && reads.length < READ_AHEAD;) {
          const piece = this.#queue.next()
          if (piece === undefined) break
          const data = file.read(piece.index, piece.offset, piece.length)
          // Awaited in turn below; one that fails after the pump stopped is nobody's concern.
          data.catch(() => {})
          reads.push({ piece, file, data })
        }
        const next = reads.shift()
        if (next === undefined || this.#stopped || stream.closed) return
        let data: Uint8Array
        try {
          data = await next.data
        } catch (err) {
          if (this.#stopped) return
          const coded = err instanceof BitChatError ? err : new BitChatError('FILE_ERROR', `"${next.file.manifest.name}" could not be read: ${(err as Error).message}`)
          this.#opts.onFileFailed(next.file, coded)
          return
        }
        if (this.#stopped || stream.closed) return
        const debtMs = this.#bucket?.take(data.length) ?? 0
        if (debtMs > 0) await sleep(debtMs)
        this.bytesSent += data.length
        const { index, offset } = next.piece
        if (!stream.send(PIECE.encode({ index, offset, data }, stream.shape))) await this.#drained()
      }
    } finally {
      this.#pumping = false
    }
  }

  async #drained (): Promise<void> {
    const { stream } = this.#opts
    if (stream.closed) return
    await new Promise<void>(resolve => {
      const done = (): void => {
        stream.off('drain', done)
        stream.off('close', done)
        resolve()
      }
      stream.on('drain', done)
      stream.on('close', done)
    })
  }
}
