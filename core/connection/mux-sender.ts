// What goes to the transport, and when. Control frames first (those queued, then the PONG owed, then
// CREDIT grants), then streams from the highest priority down, round-robin one message per turn within
// a priority, small frames packed into shared bodies: a bulk stream with megabytes queued delays a chat
// message by at most the one body already handed on.
import { BodyWriter, varintLength } from './mux-body.ts'
import { CREDIT, PONG } from './mux-messages.ts'
import { Priority, type StreamState } from './mux-stream.ts'

interface Ring { streams: StreamState[]; head: number }

export interface MuxSenderOptions {
  send: (body: Uint8Array) => void
  writable: () => boolean
  bodyPrefix: Uint8Array
  bodyRoomAfter: number
  defer: ((flush: () => void) => void) | undefined
  maxControlBytes: number
  /** A message of `s` was handed on: the mux ends a stream that was closing, raises 'drain'. */
  sent: (s: StreamState) => void
}

export class MuxSender {
  readonly #writable: () => boolean
  readonly #defer: ((flush: () => void) => void) | undefined
  readonly #sent: (s: StreamState) => void
  readonly #writer: BodyWriter
  readonly #maxControlBytes: number
  readonly #rings: Ring[] = [Priority.BULK, Priority.SYNC, Priority.CHAT].map(() => ({ streams: [], head: 0 }))
  #control: Uint8Array[] = []
  #controlHead = 0
  #controlBytes = 0
  #creditDue: StreamState[] = []
  /** Only the latest PING is answered: a peer's PINGs cannot pile up while it does not read. */
  #pongDue: number | null = null
  #flushing = false
  #flushRequested = false
  #stopped = false

  constructor (opts: MuxSenderOptions) {
    this.#writable = opts.writable
    this.#defer = opts.defer
    this.#sent = opts.sent
    this.#writer = new BodyWriter(opts.bodyPrefix, opts.send, opts.bodyRoomAfter)
    this.#maxControlBytes = opts.maxControlBytes
  }

  /** False, and nothing queued, when the control queue would pass its bound. */
  queueControl (frame: Uint8Array): boolean {
    if (this.#controlBytes + frame.length > this.#maxControlBytes) return false
    this.#control.push(frame)
    this.#controlBytes += frame.length
    return true
  }

  answerPing (nonce: number): void {
    this.#pongDue = nonce
  }

  /** `s` owes the peer a CREDIT frame; its size is worked out when it is written, so grants coalesce. */
  creditDue (s: StreamState): void {
    if (s.creditDue) return
    s.creditDue = true
    this.#creditDue.push(s)
  }

  /** Puts `s` in its ring if it can send its next message now. */
  markReady (s: StreamState): void {
    if (s.inRing || !isReady(s)) return
    s.inRing = true
    this.#rings[s.priority]!.streams.push(s)
  }

  /** A flush now, or through `defer` so that frames made in one go share bodies. */
  requestFlush (): void {
    if (this.#defer === undefined) {
      this.flush()
      return
    }
    if (this.#flushRequested) return
    this.#flushRequested = true
    this.#defer(() => {
      this.#flushRequested = false
      this.flush()
    })
  }

  /**
   * Hands frames to the transport while it takes them; re-entered (from a send or an event) it leaves
   * the work to the outer call. Each time the transport says it takes more, at most one body goes out.
   */
  flush (): void {
    if (this.#flushing) return
    this.#flushing = true
    try {
      while (!this.#stopped) {
        if (!this.#writable()) return
        const frame = this.#nextControlFrame()
        if (frame !== null) {
          this.#writer.frame(frame)
          continue
        }
        const s = this.#nextReadyStream()
        if (s === null) break
        // A message that would overflow the body being gathered waits: that body goes first, then
        // the transport is asked again, so a chat message is never behind more than one body.
        if (!this.#writer.fits(varintLength(s.id) + s.queue[s.head]!.length)) {
          this.#retry(s)
          this.#writer.flush()
          continue
        }
        this.#sendOne(s)
      }
      this.#writer.flush()
    } finally {
      this.#flushing = false
    }
  }

  /** The connection ends: `last` (its CLOSE) goes at once whatever the transport says, then nothing more. */
  stop (last?: Uint8Array): void {
    if (last !== undefined && !this.#stopped) {
      this.#writer.frame(last)
      this.#writer.flush()
    }
    this.#stopped = true
    this.#control = []
    this.#controlHead = 0
    this.#controlBytes = 0
    this.#creditDue = []
    this.#pongDue = null
    for (const ring of this.#rings) {
      ring.streams = []
      ring.head = 0
    }
  }

  /** One message of `s`, then `s` goes to the back of its ring: one message per turn. */
  #sendOne (s: StreamState): void {
    const message = s.queue[s.head]!
    s.queue[s.head++] = undefined
    if (s.head === s.queue.length) {
      s.queue = []
      s.head = 0
    }
    s.queuedBytes -= message.length
    s.sendCredit -= message.length
    this.markReady(s)
    this.#writer.data(s.id, message)
    this.#sent(s)
  }

  #nextControlFrame (): Uint8Array | null {
    if (this.#controlHead < this.#control.length) {
      const frame = this.#control[this.#controlHead++]!
      this.#controlBytes -= frame.length
      if (this.#controlHead === this.#control.length) {
        this.#control = []
        this.#controlHead = 0
      }
      return frame
    }
    if (this.#pongDue !== null) {
      const nonce = this.#pongDue
      this.#pongDue = null
      return PONG.encode({ nonce })
    }
    while (this.#creditDue.length > 0) {
      const s = this.#creditDue.pop()!
      s.creditDue = false
      const bytes = s.consumed + s.window - s.granted
      if (s.status === 'closed' || bytes <= 0) continue
      s.granted += bytes
      return CREDIT.encode({ id: s.id, bytes })
    }
    return null
  }

  #nextReadyStream (): StreamState | null {
    for (let p = this.#rings.length - 1; p >= 0; p--) {
      const ring = this.#rings[p]!
      while (ring.head < ring.streams.length) {
        const s = ring.streams[ring.head++]!
        if (ring.head === ring.streams.length) {
          ring.streams = []
          ring.head = 0
        }
        s.inRing = false
        // A stream may have closed or run out of credit since it joined the ring.
        if (isReady(s)) return s
      }
    }
    return null
  }

  /** Gives `s` its turn back, first in its ring: it was chosen but its message had to wait. */
  #retry (s: StreamState): void {
    if (s.inRing) return
    s.inRing = true
    const ring = this.#rings[s.priority]!
    if (ring.head > 0) ring.streams[--ring.head] = s
    else ring.streams.unshift(s)
  }
}

/** Established, not closed, and the next queued message fits the credit the peer gave. */
function isReady (s: StreamState): boolean {
  if (!s.established || (s.status !== 'open' && s.status !== 'closing') || s.head === s.queue.length) return false
  return s.queue[s.head]!.length <= s.sendCredit
}
