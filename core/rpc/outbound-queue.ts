// What a carrier (stdout, a WebSocket) writes to one client, held back while that client does not
// read. Replies are kept, in order: the carrier stops reading requests while replies wait, and cuts
// the client off if they still pile up. Notifications are bounded: a newer snapshot of the same
// thing (a channel's summary) takes the place of a waiting one, and past the bound new ones are
// dropped. So a reader that stops reading costs a bounded amount of memory, never the node.
import type { Logger } from '../log.ts'
import { errorMessage } from '../error-message.ts'

export type Outgoing = { kind: 'reply' } | { kind: 'notification'; coalesceKey: string | null }

/** Sizes in UTF-16 code units of JSON text, about the memory they hold. */
export interface OutboundLimits {
  /** Handed to the client's stream and not yet flushed; past it, messages wait here. */
  inFlight: number
  /** Notifications waiting here; past it, new ones are dropped. */
  queuedNotifications: number
  /** Replies waiting here; past it, the client is cut off. */
  queuedReplies: number
}

export const DEFAULT_OUTBOUND_LIMITS: OutboundLimits = {
  inFlight: 1024 * 1024,
  queuedNotifications: 1024 * 1024,
  queuedReplies: 64 * 1024 * 1024
}

export interface OutboundQueueOptions {
  /** Writes one message; `done` once it has left our buffers (flushed, or failed). */
  write (text: string, done: () => void): void
  /** The client's replies overflowed: close that client. */
  onOverflow (): void
  limits?: OutboundLimits
  log: Logger
}

interface Entry {
  /** Replaced in place by a newer snapshot with the same key while it waits. */
  text: string
  readonly kind: 'reply' | 'notification'
  readonly coalesceKey: string | null
}

export class OutboundQueue {
  readonly #opts: OutboundQueueOptions
  readonly #limits: OutboundLimits
  /** Entries before #head are written and let go of (null), so their text can be collected. */
  #entries: Array<Entry | null> = []
  #head = 0
  readonly #waitingSnapshots = new Map<string, Entry>()
  #inFlight = 0
  #queuedReplies = 0
  #queuedNotifications = 0
  /** Notifications dropped since the client last caught up. */
  #dropped = 0
  #closed = false
  #flowWaiters: Array<() => void> = []

  constructor (opts: OutboundQueueOptions) {
    this.#opts = opts
    this.#limits = opts.limits ?? DEFAULT_OUTBOUND_LIMITS
  }

  /** True while replies wait here: the carrier should not read more requests. */
  get repliesWaiting (): boolean { return this.#queuedReplies > 0 }

  /** Resolves once no reply waits here (or the queue is closed). */
  whenRepliesFlow (): Promise<void> {
    if (!this.repliesWaiting || this.#closed) return Promise.resolve()
    return new Promise(resolve => { this.#flowWaiters.push(resolve) })
  }

  send (text: string, what: Outgoing): void {
    if (this.#closed) return
    const size = text.length
    if (what.kind === 'reply') {
      if (this.#queuedReplies + size > this.#limits.queuedReplies) {
        this.#opts.log.warn('closing a client that does not read its replies', { waiting: this.#queuedReplies })
        this.close()
        this.#opts.onOverflow()
        return
      }
      this.#queuedReplies += size
      this.#entries.push({ text, kind: 'reply', coalesceKey: null })
    } else {
      const waiting = what.coalesceKey === null ? undefined : this.#waitingSnapshots.get(what.coalesceKey)
      const freed = waiting?.text.length ?? 0
      if (this.#queuedNotifications - freed + size > this.#limits.queuedNotifications) {
        if (this.#dropped === 0) this.#opts.log.warn('a client is not reading: dropping notifications until it catches up')
        this.#dropped++
        return
      }
      this.#queuedNotifications += size - freed
      if (waiting !== undefined) {
        waiting.text = text
      } else {
        const entry: Entry = { text, kind: 'notification', coalesceKey: what.coalesceKey }
        if (what.coalesceKey !== null) this.#waitingSnapshots.set(what.coalesceKey, entry)
        this.#entries.push(entry)
      }
    }
    this.#flush()
  }

  /** Drops whatever waits; later sends are ignored. */
  close (): void {
    if (this.#closed) return
    this.#closed = true
    this.#entries = []
    this.#head = 0
    this.#waitingSnapshots.clear()
    this.#queuedReplies = 0
    this.#queuedNotifications = 0
    this.#releaseWaiters()
  }

  #flush (): void {
    while (!this.#closed && this.#inFlight < this.#limits.inFlight && this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head] as Entry
      this.#entries[this.#head++] = null
      const size = entry.text.length
      if (entry.kind === 'reply') {
        this.#queuedReplies -= size
      } else {
        this.#queuedNotifications -= size
        if (entry.coalesceKey !== null) this.#waitingSnapshots.delete(entry.coalesceKey)
      }
      this.#inFlight += size
      let finished = false
      const done = (): void => {
        if (finished) return
        finished = true
        this.#inFlight -= size
        this.#flush()
      }
      try {
        this.#opts.write(entry.text, done)
      } catch (err) {
        this.#opts.log.warn('could not send a message to a client', { error: errorMessage(err) })
        done()
      }
    }
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head)
      this.#head = 0
    }
    if (this.#head === this.#entries.length) {
      this.#entries = []
      this.#head = 0
      if (this.#dropped > 0 && this.#inFlight === 0) {
        this.#opts.log.info('a client caught up after notifications were dropped', { dropped: this.#dropped })
        this.#dropped = 0
      }
    }
    if (!this.repliesWaiting) this.#releaseWaiters()
  }

  #releaseWaiters (): void {
    for (const resolve of this.#flowWaiters.splice(0)) resolve()
  }
}
