import type { Bound, UpperBound } from './bounds.ts'
import type { RangeSummary } from './fingerprint.ts'

/** One consecutive piece of a split range. */
export interface RangePart {
  upper: UpperBound
  summary: RangeSummary
}

/**
 * Read access to one channel's log in reconciliation order (see bounds.ts). The store implements
 * it over SQLite; tests use an in-memory one. `cost` counts the entries read so far, so a caller
 * can charge a peer for the work its ranges made us do.
 */
export interface HistoryIndex {
  summarize (lower: Bound, upper: UpperBound): RangeSummary
  /**
   * Cuts [lower, upper) into at most `parts` consecutive ranges holding about the same number of
   * entries, the last ending at `upper`. Conflicting versions (same author and seq) stay together.
   */
  split (lower: Bound, upper: UpperBound, parts: number): RangePart[]
  /** The ids in [lower, upper), in order; only asked for ranges known to be small. */
  ids (lower: Bound, upper: UpperBound): Uint8Array[]
  has (id: Uint8Array): boolean
  readonly cost: number
}
