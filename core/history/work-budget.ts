/**
 * How much work one peer may make us do: work is charged after it is done (its size is only known
 * then), and while the peer is in debt its next request waits. A burst is allowed up to `burst`
 * units; after that, `perSecond` units a second.
 */
export class WorkBudget {
  readonly #perSecond: number
  readonly #burst: number
  readonly #now: () => number
  #balance: number
  #at: number

  constructor (opts: { perSecond: number; burst: number; now?: () => number }) {
    this.#perSecond = opts.perSecond
    this.#burst = opts.burst
    this.#now = opts.now ?? Date.now
    this.#balance = opts.burst
    this.#at = this.#now()
  }

  charge (units: number): void {
    this.#refill()
    this.#balance -= units
  }

  /** Milliseconds until the debt is paid off: 0 when the next request may run now. */
  waitMs (): number {
    this.#refill()
    return this.#balance >= 0 ? 0 : Math.ceil(-this.#balance / this.#perSecond * 1000)
  }

  #refill (): void {
    const now = this.#now()
    this.#balance = Math.min(this.#burst, this.#balance + (now - this.#at) / 1000 * this.#perSecond)
    this.#at = now
  }
}
