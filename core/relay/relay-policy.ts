// Which connected members to ask to relay us to a peer we cannot reach directly (PROTOCOL §3.7): pure.

/** A member we hold a direct connection to, as a possible relay to one target. */
export interface RelayCandidate {
  keyHex: string
  /** Its latest peer list (PEX) names the target: it is connected to them, or was a moment ago. */
  neighbour: boolean
  /** It is in a channel with us in which the target is a known member. */
  sharesChannel: boolean
  rttMs: number | null
  /** When it last refused a circuit to this target, or could not make one; null if never. */
  failedAt: number | null
}

/** Relays asked in one attempt at most: one after the other, so a target gets at most this many requests. */
export const RELAYS_PER_ATTEMPT = 2
/** A relay that refused a target is not asked for it again this soon. */
export const RELAY_RETRY_MS = 60_000

/**
 * The relays to ask, best first: only members with a reason to know the target (asking one that
 * has none would tell it whom we look for, for nothing); not one that failed for this target within
 * RELAY_RETRY_MS; those whose peer list names the target first, then those that never failed for
 * it (then the longest ago), then the nearest (round-trip time, unknown last), then by key.
 */
export function chooseRelays (target: string, candidates: readonly RelayCandidate[], now: number, max = RELAYS_PER_ATTEMPT): string[] {
  return candidates
    .filter(c => c.keyHex !== target && (c.neighbour || c.sharesChannel) && (c.failedAt === null || now - c.failedAt >= RELAY_RETRY_MS))
    .sort((a, b) =>
      Number(b.neighbour) - Number(a.neighbour) ||
      (a.failedAt ?? -Infinity) - (b.failedAt ?? -Infinity) ||
      (a.rttMs ?? Infinity) - (b.rttMs ?? Infinity) ||
      (a.keyHex < b.keyHex ? -1 : a.keyHex > b.keyHex ? 1 : 0))
    .slice(0, max)
    .map(c => c.keyHex)
}
