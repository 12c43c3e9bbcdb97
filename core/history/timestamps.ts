/** How far ahead of our clock an author's clock may run before its messages wait for ours to catch up. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000
/** How far behind the channel's creation time a message may be stamped (the creator's clock may run ahead). */
export const MAX_BEFORE_CREATION_MS = 24 * 60 * 60_000

export type TimestampVerdict =
  | { kind: 'ok' }
  /** Stamped in the future: accepted once our clock reaches `dueAt`. */
  | { kind: 'later'; dueAt: number }
  /** Stamped before the channel existed: never accepted. */
  | { kind: 'refused' }

/**
 * Author clocks are trusted only within bounds: a message cannot sort before the channel began
 * or stay pinned below every later message by claiming a time that has not come.
 */
export function checkTimestamp (timestamp: number, now: number, channelCreatedAtMs: number): TimestampVerdict {
  if (timestamp < channelCreatedAtMs - MAX_BEFORE_CREATION_MS) return { kind: 'refused' }
  if (timestamp > now + MAX_CLOCK_AHEAD_MS) return { kind: 'later', dueAt: timestamp - MAX_CLOCK_AHEAD_MS }
  return { kind: 'ok' }
}
