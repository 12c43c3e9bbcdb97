// One file's stream with one peer (PROTOCOL §5.3): protocol `bitchat/files/1` on the connection's
// mux at bulk priority, its topic the file's root. It says INTEREST and BITFIELD first, reads every
// message against the file's shape and in the order the protocol sets, and ends the stream (RESET 5)
// on anything the protocol does not allow; the connection and its other streams stay.
import { EventEmitter } from 'node:events'
import { CloseCode } from '../connection/close-codes.ts'
import type { Connection } from '../connection/connection.ts'
import type { CloseInfo, Stream, StreamOptions } from '../connection/mux-stream.ts'
import { WireError } from '../wire/codec.ts'
import type { FileShape } from './protocol-limits.ts'
import { BITFIELD, decodeTransferMessage, FILE_PROTOCOL, FILE_STREAM_VERSION, INTEREST, StreamOrder, type TransferMessage } from './transfer-messages.ts'
import { FILE_STREAM_PRIORITY } from './upload-policy.ts'

/**
 * Bytes a peer may send on one file stream before we consume any: about 16 pieces. Less would make
 * the sender wait a round trip for credit between bursts and leave a fast link idle.
 */
export const FILE_STREAM_WINDOW = 1024 * 1024

// Credit is returned by hand so that a download whose disk falls behind can stop its peers (hold()).
const STREAM_OPTIONS: StreamOptions = { priority: FILE_STREAM_PRIORITY, window: FILE_STREAM_WINDOW, manualCredit: true }

interface FileStreamEvents {
  /** A message after INTEREST, read and checked: BITFIELD first, then the rest. */
  message: [TransferMessage]
  /** The stream takes more after a send() that returned false. */
  drain: []
  close: [CloseInfo]
}

export class FileStream extends EventEmitter<FileStreamEvents> {
  /** The peer's key, hex. */
  readonly peer: string
  readonly shape: FileShape
  readonly #stream: Stream
  readonly #order = new StreamOrder()
  #holding = false
  /** Bytes received while holding: their credit goes back at release(). */
  #held = 0

  private constructor (stream: Stream, peer: string, shape: FileShape, bitfield: Uint8Array) {
    super()
    this.peer = peer
    this.shape = shape
    this.#stream = stream
    stream.on('message', (message) => { this.#receive(message) })
    stream.on('drain', () => { this.emit('drain') })
    stream.once('close', (info) => { this.emit('close', info) })
    this.send(INTEREST.encode({ version: FILE_STREAM_VERSION, size: shape.size, chunkLog2: Math.log2(shape.chunkBytes) }, shape))
    this.send(BITFIELD.encode({ bitfield }, shape))
  }

  /** Opens the file's stream to the peer at the other end of `connection`; `bitfield` is what we hold, verified. */
  static open (connection: Connection, root: Uint8Array, shape: FileShape, bitfield: Uint8Array): FileStream {
    return new FileStream(connection.open(FILE_PROTOCOL, root, STREAM_OPTIONS), connection.remoteKeyHex, shape, bitfield)
  }

  /** Takes a stream the peer opened for a file we know. */
  static accept (connection: Connection, stream: Stream, shape: FileShape, bitfield: Uint8Array): FileStream {
    connection.accept(stream, STREAM_OPTIONS)
    return new FileStream(stream, connection.remoteKeyHex, shape, bitfield)
  }

  get closed (): boolean { return this.#stream.status === 'closed' || this.#stream.status === 'closing' }

  /** Queues one encoded message; false when the stream's queue is full: wait for 'drain'. Nothing is sent once closed. */
  send (message: Uint8Array): boolean {
    if (this.closed) return false
    return this.#stream.send(message)
  }

  /** Ends the stream after what is queued (a REJECT that refuses the file, say). */
  close (code: CloseCode = CloseCode.NORMAL, text = ''): void {
    if (!this.closed) this.#stream.close(code, text)
  }

  /** Ends the stream now, dropping what is queued. */
  reset (code: CloseCode, text = ''): void {
    if (this.#stream.status !== 'closed') this.#stream.reset(code, text)
  }

  /**
   * Keeps the credit of what arrives from now on: once the window is used up the peer sends nothing
   * more on this stream (the connection and its chat go on), until release().
   */
  hold (): void {
    this.#holding = true
  }

  release (): void {
    this.#holding = false
    const held = this.#held
    this.#held = 0
    if (held > 0 && this.#stream.status !== 'closed') this.#stream.consumed(held)
  }

  get holding (): boolean { return this.#holding }

  #receive (bytes: Uint8Array): void {
    if (this.#holding) this.#held += bytes.length
    else this.#stream.consumed(bytes.length)
    let message: TransferMessage
    try {
      message = decodeTransferMessage(bytes, this.shape)
      this.#order.check(message)
    } catch (err) {
      if (!(err instanceof WireError)) throw err
      this.reset(CloseCode.PROTOCOL_ERROR, err.message)
      return
    }
    if (message.type !== 'interest') this.emit('message', message)
  }
}
