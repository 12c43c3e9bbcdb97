import { AUTHOR_KEY_BYTES } from '../wire/group-message.ts'

/**
 * A point in the order every log entry is kept in for reconciliation: author key (bytewise),
 * then sequence number. A range [lower, upper) holds the entries whose (author, seq) is at least
 * `lower` and below `upper`; entries that share an (author, seq) — conflicting versions — always
 * fall in the same range. `null` as an upper bound is the end of the order.
 */
export interface Bound {
  author: Uint8Array
  seq: number
}

export type UpperBound = Bound | null

export const MIN_BOUND: Bound = Object.freeze({ author: new Uint8Array(AUTHOR_KEY_BYTES), seq: 0 })

export function compareBounds (a: Bound, b: Bound): number {
  return Buffer.compare(a.author, b.author) || a.seq - b.seq
}

/** Upper bounds compare with the end (null) after every bound. */
export function compareUpper (a: UpperBound, b: UpperBound): number {
  if (a === null) return b === null ? 0 : 1
  if (b === null) return -1
  return compareBounds(a, b)
}

export function isBelow (point: Bound, upper: UpperBound): boolean {
  return upper === null || compareBounds(point, upper) < 0
}
