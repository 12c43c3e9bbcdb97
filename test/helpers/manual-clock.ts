// A Clock whose time moves only when a test says so: minutes of backoff run in an instant, in order.
import type { Clock } from '../../core/timers.ts'

export class ManualClock implements Clock {
  #now: number
  #timers: Array<{ at: number; fn: () => void; seq: number }> = []
  #seq = 0

  constructor (start = 1_000_000) {
    this.#now = start
  }

  now (): number { return this.#now }

  after (ms: number, fn: () => void): () => void {
    const timer = { at: this.#now + ms, fn, seq: this.#seq++ }
    this.#timers.push(timer)
    return () => { this.#timers = this.#timers.filter(t => t !== timer) }
  }

  /** Timers waiting to fire. */
  get pending (): number { return this.#timers.length }

  /** Moves time on by `ms`, firing every timer due on the way (and those they set, if due too). */
  advance (ms: number): void {
    const end = this.#now + ms
    for (;;) {
      const next = this.#timers.filter(t => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (next === undefined) break
      this.#timers = this.#timers.filter(t => t !== next)
      this.#now = next.at
      next.fn()
    }
    this.#now = end
  }
}
