import { slowAfterMs, updateRtt, type RttEstimate } from './walk-policy.ts'
import type { Clock } from '../timers.ts'

/** Failed nodes remembered at most: a node's other nodes keep naming dead ones for many minutes. */
const MAX_SUSPECTS = 1_024
/** A node that failed this long ago is waited for again. */
const SUSPECT_FOR_MS = 15 * 60_000

/**
 * What the DHT node has seen of other nodes' answers, shared by all its lookups: how long answers
 * take (so a lookup knows when to stop waiting), and which addresses did not answer lately (asked
 * again, but never waited for: other nodes keep naming a dead node long after it went).
 */
export class DhtNodeHealth {
  readonly #clock: Clock
  #rtt: RttEstimate | null = null
  /** Address → when it last failed; the oldest first (a Map keeps insertion order). */
  readonly #suspects = new Map<string, number>()

  constructor (clock: Clock) {
    this.#clock = clock
  }

  get slowAfterMs (): number { return slowAfterMs(this.#rtt) }

  answered (address: string, rttMs: number): void {
    this.#rtt = updateRtt(this.#rtt, rttMs)
    this.#suspects.delete(address)
  }

  failed (address: string): void {
    this.#suspects.delete(address)
    this.#suspects.set(address, this.#clock.now())
    if (this.#suspects.size > MAX_SUSPECTS) {
      const oldest = this.#suspects.keys().next().value
      if (oldest !== undefined) this.#suspects.delete(oldest)
    }
  }

  suspect (address: string): boolean {
    const at = this.#suspects.get(address)
    if (at === undefined) return false
    if (this.#clock.now() - at < SUSPECT_FOR_MS) return true
    this.#suspects.delete(address)
    return false
  }
}
