import { TokenBucket, type BucketRate } from './token-bucket.ts'

/**
 * Rate limits per remote source (an address, or an IPv6 /64) with a bounded memory: at most
 * `maxSources` buckets, the least recently heard source forgotten first, and one bucket over all
 * sources so that a flood from forged addresses is capped as a whole.
 */
export class SourceRateLimiter {
  readonly #perSource: BucketRate
  readonly #total: TokenBucket
  readonly #maxSources: number
  readonly #now: () => number
  // Map iteration order is insertion order: re-inserting on every hit keeps it least-recent first.
  readonly #buckets = new Map<string, TokenBucket>()
  #dropped = 0

  constructor (opts: { perSource: BucketRate; total: BucketRate; maxSources: number; now?: () => number }) {
    if (!Number.isSafeInteger(opts.maxSources) || opts.maxSources < 1) throw new RangeError('maxSources must be a positive integer')
    this.#perSource = opts.perSource
    this.#now = opts.now ?? Date.now
    this.#total = new TokenBucket(opts.total, this.#now)
    this.#maxSources = opts.maxSources
  }

  /** Whether one more datagram from `source` may be handled now; counts it when it may. */
  allow (source: string): boolean {
    let bucket = this.#buckets.get(source)
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxSources) this.#buckets.delete(this.#buckets.keys().next().value!)
      bucket = new TokenBucket(this.#perSource, this.#now)
    } else {
      this.#buckets.delete(source)
    }
    this.#buckets.set(source, bucket)
    if (bucket.tryTake() && this.#total.tryTake()) return true
    this.#dropped++
    return false
  }

  /** Sources currently remembered (never more than maxSources). */
  get sources (): number { return this.#buckets.size }

  /** Datagrams refused so far. */
  get dropped (): number { return this.#dropped }
}
