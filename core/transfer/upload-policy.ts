// Whom we serve a file's chunks, how many of their requests at once, and how fast (PROTOCOL §5.3):
// pure rules the node applies to every REQUEST on a file stream. Chat goes first on a connection
// because file streams are opened at the mux's lowest priority; a relayed connection stays within the
// relay's per-circuit rate, which counts both directions and every stream.
import { Priority } from '../connection/mux-stream.ts'
import { MAX_MESSAGE_BYTES } from '../connection/mux-messages.ts'
import { RELAY_LIMITS } from '../relay/relay-limits.ts'
import type { BucketRate } from '../limits/token-bucket.ts'
import { MAX_REQUESTS_PER_PEER, type FileShape } from './protocol-limits.ts'
import { piecesOf, RejectCode } from './transfer-messages.ts'

/** File streams are bulk: the mux sends every chat and sync message queued before their next piece. */
export const FILE_STREAM_PRIORITY = Priority.BULK

export interface UploadLimits {
  /** Requests of one peer queued with us at once (the protocol's cap: more are answered BUSY). */
  requestsPerPeer: number
  /** Requests of all peers queued with us at once, across all files. */
  requests: number
  /** The share of a relayed circuit's rate file streams may take: the rest is for chat and the other direction. */
  relayedShare: number
}

export const UPLOAD_LIMITS: UploadLimits = { requestsPerPeer: MAX_REQUESTS_PER_PEER, requests: 64, relayedShare: 0.75 }

export interface ServeContext {
  /** The peer is in the conversation the file was offered in: a member of the channel, or the other person of the private one. */
  member: boolean
  /** The user blocked the peer. */
  blocked: boolean
  /** We still share the file: the user did not cancel the transfer or remove the file. */
  sharing: boolean
}

/** Whether we serve a peer's file stream at all: undefined to serve it, or the REJECT code that closes it. */
export function refusal (context: ServeContext): RejectCode | undefined {
  if (!context.sharing) return RejectCode.CANCELLED
  if (!context.member || context.blocked) return RejectCode.DECLINED
  return undefined
}

export interface RequestLoad {
  /** We hold the chunk, verified. */
  held: boolean
  /** The peer's requests queued with us before this one (on this file). */
  peerQueued: number
  /** Everyone's requests queued with us before this one (all files). */
  queued: number
}

export type RequestVerdict = 'serve' | typeof RejectCode.NOT_HELD | typeof RejectCode.BUSY

/** What becomes of one REQUEST: served, or refused (the chunk is not ours, or we have too much queued). */
export function admitRequest (load: RequestLoad, limits: UploadLimits = UPLOAD_LIMITS): RequestVerdict {
  if (!load.held) return RejectCode.NOT_HELD
  if (load.peerQueued >= limits.requestsPerPeer || load.queued >= limits.requests) return RejectCode.BUSY
  return 'serve'
}

export interface UploadPath {
  /** The connection to the peer runs through a relay. */
  relayed: boolean
  /** File streams sending on that connection now, this one included. */
  uploads: number
}

/**
 * The rate one file stream may send at, as a token bucket of bytes (a burst of one largest message,
 * so a piece is never held back for good), or undefined on a direct connection: credit alone paces it.
 */
export function uploadRate (path: UploadPath, limits: UploadLimits = UPLOAD_LIMITS): BucketRate | undefined {
  if (!path.relayed) return undefined
  const share = RELAY_LIMITS.bytesPerSecondPerCircuit * limits.relayedShare / Math.max(1, path.uploads)
  return { ratePerSecond: share, burst: MAX_MESSAGE_BYTES }
}

export interface PieceToSend { index: number; offset: number; length: number }

/**
 * The requests one peer queued with us on one file stream, served in the order asked: each chunk's
 * pieces one after another, then the next chunk. A CANCEL takes a request out, or stops the chunk
 * being sent after the piece in flight.
 */
export class UploadQueue {
  readonly #shape: FileShape
  readonly #queue: number[] = []
  #pieces: PieceToSend[] = []

  constructor (shape: FileShape) {
    this.#shape = shape
  }

  /** Requests waiting or being sent. */
  get size (): number { return this.#queue.length }

  /** A REQUEST of chunk `index`: queued when served (asked twice, it is queued once), or the REJECT code that answers it. */
  request (index: number, held: boolean, queuedInAll: number, limits: UploadLimits = UPLOAD_LIMITS): RequestVerdict {
    if (this.#queue.includes(index)) return 'serve'
    const verdict = admitRequest({ held, peerQueued: this.#queue.length, queued: queuedInAll }, limits)
    if (verdict === 'serve') this.#queue.push(index)
    return verdict
  }

  cancel (index: number): void {
    const at = this.#queue.indexOf(index)
    if (at < 0) return
    this.#queue.splice(at, 1)
    if (at === 0) this.#pieces = []
  }

  /** The next piece to send, or undefined when nothing is queued. */
  next (): PieceToSend | undefined {
    const index = this.#queue[0]
    if (index === undefined) return undefined
    if (this.#pieces.length === 0) this.#pieces = piecesOf(this.#shape, index).map(p => ({ index, ...p }))
    const piece = this.#pieces.shift()!
    if (this.#pieces.length === 0) this.#queue.shift()
    return piece
  }
}
