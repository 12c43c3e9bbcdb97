// A UDX stream (reliable, ordered, congestion-controlled, over UDP) as a RawStream.
import { EventEmitter } from 'node:events'
import type { UdxStream } from 'udx-native'
import type { RawStream, RawStreamEvents } from './raw-stream.ts'

/** Silence after which a UDX stream sends a keepalive: NAT mappings of UDP expire within tens of seconds. */
const KEEPALIVE_MS = 5_000
/**
 * What a paused stream holds for its reader, at most. udx-native goes on receiving and acknowledging
 * while paused (its native read stop is not reachable from JavaScript), so the sender is not slowed:
 * an honest one stays within the mux's credit windows, far below this, and one past it is dropped.
 */
export const MAX_HELD_BYTES = 16 * 1024 * 1024
/** What all paused UDP streams of the process hold together, at most: many peers may not add up to more. */
export const MAX_HELD_IN_ALL = 64 * 1024 * 1024
let heldInAll = 0

export class UdxRawStream extends EventEmitter<RawStreamEvents> implements RawStream {
  readonly kind = 'udp' as const
  readonly remote: { host: string; port: number }
  readonly #stream: UdxStream
  #paused = false
  #held: Uint8Array[] = []
  #heldBytes = 0

  constructor (stream: UdxStream) {
    super()
    this.#stream = stream
    this.remote = { host: stream.remoteHost ?? '', port: stream.remotePort }
    stream.setKeepalive(KEEPALIVE_MS)
    stream.on('data', (chunk: Buffer) => { this.#onData(chunk) })
    stream.on('drain', () => { this.emit('drain') })
    // A stream whose peer ended its side has nothing more to give: end ours too, so it closes.
    stream.on('end', () => { stream.end() })
    let failure: Error | null = null
    stream.on('error', (err: Error) => { failure = err })
    stream.on('close', () => {
      this.#release()
      this.emit('close', failure)
    })
  }

  get bufferedBytes (): number { return this.#stream._writableState.buffered }
  get destroyed (): boolean { return this.#stream.destroyed }

  write (chunks: readonly Uint8Array[]): boolean {
    if (this.#stream.destroyed) return false
    let room = true
    for (const chunk of chunks) room = this.#stream.write(chunk)
    return room
  }

  pause (): void { this.#paused = true }

  resume (): void {
    this.#paused = false
    // The reader may pause again while taking what was held: the rest waits for the next resume.
    while (!this.#paused && this.#held.length > 0 && !this.#stream.destroyed) {
      const chunk = this.#held.shift()!
      this.#heldBytes -= chunk.length
      heldInAll -= chunk.length
      this.emit('data', chunk)
    }
  }

  #onData (chunk: Buffer): void {
    if (!this.#paused && this.#held.length === 0) {
      this.emit('data', chunk)
      return
    }
    if (this.#heldBytes + chunk.length > MAX_HELD_BYTES || heldInAll + chunk.length > MAX_HELD_IN_ALL) {
      this.#stream.destroy(new Error(`the peer sent more than we hold while asked to wait (${this.#heldBytes} bytes held)`))
      return
    }
    this.#held.push(chunk)
    this.#heldBytes += chunk.length
    heldInAll += chunk.length
  }

  /** Lets go of what was held for a reader that will not come back (the stream is gone). */
  #release (): void {
    heldInAll -= this.#heldBytes
    this.#heldBytes = 0
    this.#held = []
  }
  end (): void { this.#stream.end() }
  destroy (): void { this.#stream.destroy() }
}
