import type { CloseInfo, Stream } from '../connection/mux-stream.ts'
import { CloseCode } from '../connection/close-codes.ts'
import type { TokenBucket } from '../limits/token-bucket.ts'
import type { Clock } from '../timers.ts'
import { RELAY_DATA } from './relay-protocol.ts'

export type SpliceDirection = 'forward' | 'back'

export interface SpliceOptions {
  clock: Clock
  /** Charged for every byte passed on (the circuit's own rate, the relay's total): credit waits while any is in debt. */
  buckets: readonly TokenBucket[]
  /** Bytes passed on, in either direction. */
  counted: (bytes: number) => void
  /**
   * Sees each DATA message before it is passed on, and may give another in its place: how a test
   * plays a relay that reads or alters what it carries. An honest relay has none.
   */
  inspect?: (message: Uint8Array, direction: SpliceDirection) => Uint8Array
  /** Once, when either stream ends: the other has been told. */
  ended: (info: CloseInfo) => void
}

/**
 * Two open streams (both with manual credit) joined byte for byte: each DATA message from one is
 * sent on the other as it came. Credit for the next bytes goes back only once these have left for
 * the next hop (and the rates allow), so flow control runs from end to end and the relay holds at
 * most a window and a queue per direction.
 */
export class Splice {
  readonly #a: Stream
  readonly #b: Stream
  readonly #opts: SpliceOptions
  readonly #legs: Leg[]
  #ended = false

  constructor (a: Stream, b: Stream, opts: SpliceOptions) {
    this.#a = a
    this.#b = b
    this.#opts = opts
    this.#legs = [new Leg(this, a, b, 'forward', opts), new Leg(this, b, a, 'back', opts)]
    a.once('close', (info) => { this.#closed(info, b) })
    b.once('close', (info) => { this.#closed(info, a) })
  }

  get ended (): boolean { return this.#ended }

  /** Ends both streams now: queued bytes are dropped. */
  end (code: CloseCode, text = ''): void {
    if (this.#ended) return
    this.#a.reset(code, text)
    this.#b.reset(code, text)
  }

  #closed (info: CloseInfo, other: Stream): void {
    if (this.#ended) return
    this.#ended = true
    for (const leg of this.#legs) leg.stop()
    // What one end sent before it closed still reaches the other (a CLOSE of the connection inside).
    other.close(info.code, info.text)
    this.#opts.ended(info)
  }
}

/** One direction: messages from `from` sent on `to`, credit returned to `from` as they leave. */
class Leg {
  readonly splice: Splice
  readonly from: Stream
  readonly to: Stream
  readonly direction: SpliceDirection
  readonly opts: SpliceOptions
  #unreturned = 0
  #waitingDrain = false
  #cancelWait: (() => void) | null = null

  constructor (splice: Splice, from: Stream, to: Stream, direction: SpliceDirection, opts: SpliceOptions) {
    this.splice = splice
    this.from = from
    this.to = to
    this.direction = direction
    this.opts = opts
    from.on('message', (message) => { this.#onMessage(message) })
    to.on('drain', () => {
      this.#waitingDrain = false
      this.#release()
    })
  }

  stop (): void {
    this.#cancelWait?.()
    this.#cancelWait = null
  }

  #onMessage (message: Uint8Array): void {
    if (this.splice.ended) return
    if (message[0] !== RELAY_DATA || message.length < 2) {
      this.splice.end(CloseCode.PROTOCOL_ERROR, 'a relay stream carries DATA only')
      return
    }
    // The mux lends the message for this event only; the queue of the other stream keeps it longer.
    const copy = message.slice()
    const out = this.opts.inspect?.(copy, this.direction) ?? copy
    this.#unreturned += message.length
    for (const bucket of this.opts.buckets) bucket.take(out.length)
    this.opts.counted(out.length)
    if (this.to.status !== 'open') return
    if (!this.to.send(out)) this.#waitingDrain = true
    this.#release()
  }

  #release (): void {
    if (this.#waitingDrain || this.#cancelWait !== null || this.#unreturned === 0 || this.splice.ended) return
    const wait = Math.max(0, ...this.opts.buckets.map(b => b.debtMs()))
    if (wait > 0) {
      this.#cancelWait = this.opts.clock.after(wait, () => {
        this.#cancelWait = null
        this.#release()
      })
      return
    }
    const bytes = this.#unreturned
    this.#unreturned = 0
    this.from.consumed(bytes)
  }
}
