import { EventEmitter } from 'node:events'
import type { RawStream, RawStreamEvents } from './raw-stream.ts'
import type { CloseInfo, Stream } from '../connection/mux-stream.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { MAX_RELAY_CHUNK, RELAY_DATA } from '../relay/relay-protocol.ts'

/**
 * A byte stream to a peer carried through a member that relays it (PROTOCOL §3.7): one mux stream
 * of our connection to the relay, joined by the relay to one of its streams to the peer. Bytes go as
 * DATA messages; the stream's credit is flow control from end to end, so nobody on the way holds
 * more than a window. What runs over it is an ordinary Noise connection, which the relay can neither
 * read nor alter. The stream must be open, with manual credit.
 */
export class RelayedStream extends EventEmitter<RawStreamEvents> implements RawStream {
  readonly kind = 'relay' as const
  /** The relay's address: where the bytes really go. */
  readonly remote: { host: string; port: number }
  /** The relay's key. */
  readonly via: string
  readonly #stream: Stream
  /** Messages that came while paused, not yet consumed: at most the stream's window. */
  #held: Uint8Array[] = []
  #paused = false
  #closed = false

  constructor (stream: Stream, opts: { via: string; remote: { host: string; port: number } }) {
    super()
    this.#stream = stream
    this.via = opts.via
    this.remote = opts.remote
    stream.on('message', (message) => { this.#onMessage(message) })
    stream.on('drain', () => { this.emit('drain') })
    stream.once('close', (info) => { this.#onClose(info) })
    if (stream.status === 'closed') queueMicrotask(() => { this.#onClose(stream.closeInfo ?? { code: CloseCode.NORMAL, wireCode: 0, text: '', remote: false }) })
  }

  get bufferedBytes (): number { return this.#stream.queuedBytes }
  get destroyed (): boolean { return this.#closed }

  write (chunks: readonly Uint8Array[]): boolean {
    if (this.#closed || this.#stream.status !== 'open') return false
    let length = 0
    for (const chunk of chunks) length += chunk.length
    let room = true
    let chunk = 0
    let offset = 0
    for (let done = 0; done < length;) {
      const size = Math.min(MAX_RELAY_CHUNK, length - done)
      const message = new Uint8Array(1 + size)
      message[0] = RELAY_DATA
      for (let filled = 0; filled < size;) {
        const from = chunks[chunk]!
        const take = Math.min(from.length - offset, size - filled)
        message.set(from.subarray(offset, offset + take), 1 + filled)
        filled += take
        offset += take
        if (offset === from.length) {
          chunk++
          offset = 0
        }
      }
      done += size
      room = this.#stream.send(message)
    }
    return room
  }

  pause (): void { this.#paused = true }

  resume (): void {
    if (!this.#paused) return
    this.#paused = false
    const held = this.#held
    this.#held = []
    for (const message of held) {
      if (this.#closed) return
      this.#deliver(message)
    }
  }

  end (): void {
    if (!this.#closed) this.#stream.close(CloseCode.NORMAL)
  }

  destroy (): void {
    if (!this.#closed) this.#stream.reset(CloseCode.NORMAL)
  }

  #onMessage (message: Uint8Array): void {
    if (this.#closed) return
    if (message[0] !== RELAY_DATA || message.length < 2) {
      this.#stream.reset(CloseCode.PROTOCOL_ERROR, 'a relay stream carries DATA only')
      return
    }
    // A view of the mux's buffer, which is not ours past this event: the reader may keep what it gets.
    if (this.#paused) this.#held.push(message.slice())
    else this.#deliver(message.slice())
  }

  /** Hands the bytes on, then gives the credit back: the sender goes on only as fast as we read. */
  #deliver (message: Uint8Array): void {
    this.emit('data', message.subarray(1))
    if (this.#stream.status !== 'closed') this.#stream.consumed(message.length)
  }

  #onClose (info: CloseInfo): void {
    if (this.#closed) return
    this.#closed = true
    this.#held = []
    this.emit('close', info.code === CloseCode.NORMAL ? null : new Error(`relayed stream closed: ${info.text === '' ? `code ${info.code}` : info.text} (code ${info.code})`))
  }
}
