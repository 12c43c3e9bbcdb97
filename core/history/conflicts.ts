/**
 * An author who signs two different entries under one sequence number is showing members
 * different histories. Both are kept as evidence, but no more than this many per (author, seq):
 * otherwise one author could make every member store without end.
 */
export const MAX_VERSIONS_PER_SEQ = 2

export type VersionDecision =
  | { kind: 'first' }
  | { kind: 'conflict'; evict: string | null }
  | { kind: 'refused' }

/**
 * What to do with a new entry `id` (hex) when `held` are the ids already stored under its
 * (author, seq). The lowest ids win, so every member ends up with the same versions whatever
 * order they arrived in, and reconciliation settles instead of trading evictions forever.
 */
export function decideVersion (held: readonly string[], id: string): VersionDecision {
  if (held.length === 0) return { kind: 'first' }
  if (held.length < MAX_VERSIONS_PER_SEQ) return { kind: 'conflict', evict: null }
  const highest = held.reduce((a, b) => (a > b ? a : b))
  return id < highest ? { kind: 'conflict', evict: highest } : { kind: 'refused' }
}
