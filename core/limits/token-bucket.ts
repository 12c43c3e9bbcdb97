// A token bucket: `burst` tokens at most, refilled at `ratePerSecond`. Time comes from the caller's
// clock, so tests drive it by hand.

export interface BucketRate {
  ratePerSecond: number
  burst: number
}

export class TokenBucket {
  readonly #rate: BucketRate
  readonly #now: () => number
  #tokens: number
  #updatedAt: number

  constructor (rate: BucketRate, now: () => number = Date.now) {
    if (!(rate.ratePerSecond > 0) || !(rate.burst >= 1)) throw new RangeError('a token bucket needs a positive rate and a burst of at least 1')
    this.#rate = rate
    this.#now = now
    this.#tokens = rate.burst
    this.#updatedAt = now()
  }

  /** Takes `count` tokens when the bucket holds them; false (and nothing taken) otherwise. */
  tryTake (count = 1): boolean {
    this.#refill()
    if (this.#tokens < count) return false
    this.#tokens -= count
    return true
  }

  /**
   * Takes `count` tokens even when that overdraws the bucket (the work is already done, say) and
   * returns how many milliseconds must pass before the balance is back to zero: 0 when not in debt.
   */
  take (count: number): number {
    this.#refill()
    this.#tokens -= count
    return this.debtMs()
  }

  /** Milliseconds until the bucket is out of debt; 0 when it is not. */
  debtMs (): number {
    this.#refill()
    return this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens / this.#rate.ratePerSecond * 1000)
  }

  /** Milliseconds until `count` tokens are available; 0 when they are now. */
  waitMs (count = 1): number {
    this.#refill()
    return this.#tokens >= count ? 0 : Math.ceil((count - this.#tokens) / this.#rate.ratePerSecond * 1000)
  }

  #refill (): void {
    const now = this.#now()
    const elapsed = Math.max(0, now - this.#updatedAt)
    this.#updatedAt = now
    this.#tokens = Math.min(this.#rate.burst, this.#tokens + elapsed * this.#rate.ratePerSecond / 1000)
  }
}
