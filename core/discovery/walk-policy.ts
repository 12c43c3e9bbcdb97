// How a DHT lookup walks toward an infohash, as pure functions of what it knows: whom to ask next,
// when it has settled (and may announce), and how long an answer may take before the walk stops
// waiting for it. bittorrent-dht's walk ends only when every query has answered or timed out, so
// one dead node among those asked held the announce back by its whole 2 s timeout; here a query
// that is slow (or goes to a node that failed lately) is still answered if it can be, but no
// longer waited for: the walk asks the next node instead, as libtorrent's short timeout does.

export type WalkState = 'new' | 'asked' | 'answered' | 'failed'

export interface WalkNode {
  /** XOR distance to the target; null for a router whose id is not known until it answers. */
  readonly distance: Uint8Array | null
  readonly state: WalkState
  /** When it was asked (state 'asked'). */
  readonly askedAt: number
  /** It did not answer lately: asked all the same, never waited for. */
  readonly suspect: boolean
}

export interface WalkLimits {
  /** Answered nodes closest to the target that settle the walk (and are announced to). */
  k: number
  /** Queries waited for at once. */
  parallel: number
  /** An answer later than this is no longer waited for. */
  slowAfterMs: number
  /** Queries the walk may still send. */
  budget: number
}

export interface WalkStep<N> {
  /** Ask these now. */
  ask: N[]
  /** Nothing closer is left to ask or wait for: `closest` are the nodes to announce to. */
  settled: boolean
  /** Answered, closest first, at most k. */
  closest: N[]
  /** When a query waited for turns slow (and the walk must look again), or null. */
  nextCheckAt: number | null
}

/**
 * The walk's next step. Going from the closest node outward until k have answered: a node not
 * asked yet is asked (while fewer than `parallel` are waited for and the budget lasts), a query
 * still young is waited for, and slow, suspect or failed nodes are passed over. The walk has
 * settled when nothing in that window is asked or waited for. Routers (no distance yet) come first:
 * they are where a walk with a thin routing table starts.
 */
export function walkStep<N extends WalkNode> (nodes: readonly N[], now: number, limits: WalkLimits): WalkStep<N> {
  const waitedFor = (n: WalkNode): boolean => n.state === 'asked' && !n.suspect && now - n.askedAt < limits.slowAfterMs
  let waiting = nodes.filter(waitedFor).length
  let budget = limits.budget
  let blocked = false
  let nextCheckAt: number | null = null
  const later = (at: number): void => { nextCheckAt = nextCheckAt === null ? at : Math.min(nextCheckAt, at) }
  const ask: N[] = []
  const closest: N[] = []
  for (const node of [...nodes].sort(byDistance)) {
    if (closest.length >= limits.k) break
    if (node.state === 'answered') {
      if (node.distance !== null) closest.push(node)
    } else if (waitedFor(node)) {
      blocked = true
      later(node.askedAt + limits.slowAfterMs)
    } else if (node.state === 'new' && budget > 0) {
      if (node.suspect) {
        ask.push(node)
        budget--
      } else if (waiting < limits.parallel) {
        ask.push(node)
        budget--
        waiting++
        blocked = true
        later(now + limits.slowAfterMs)
      } else {
        blocked = true
      }
    }
  }
  return { ask, settled: !blocked, closest, nextCheckAt }
}

/** Closest first; unknown distances (routers) before any known one. */
export function byDistance (a: WalkNode, b: WalkNode): number {
  if (a.distance === null || b.distance === null) return (a.distance === null ? 0 : 1) - (b.distance === null ? 0 : 1)
  return Buffer.compare(a.distance, b.distance)
}

export function xorDistance (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0)
  return out
}

/** Before any answer was timed: what a DHT node on the internet takes at most, as TCP's first RTO. */
export const INITIAL_SLOW_AFTER_MS = 1_000
/** Never less: a loaded event loop can hold a loopback answer back this long. */
export const MIN_SLOW_AFTER_MS = 200

export interface RttEstimate { srtt: number; rttvar: number }

/** TCP's smoothed round-trip time and its variation (RFC 6298), updated with one answer's time. */
export function updateRtt (estimate: RttEstimate | null, sampleMs: number): RttEstimate {
  if (estimate === null) return { srtt: sampleMs, rttvar: sampleMs / 2 }
  return { srtt: 0.875 * estimate.srtt + 0.125 * sampleMs, rttvar: 0.75 * estimate.rttvar + 0.25 * Math.abs(estimate.srtt - sampleMs) }
}

/** How long an answer is waited for: TCP's retransmission timeout (srtt + 4·rttvar), within bounds. */
export function slowAfterMs (estimate: RttEstimate | null): number {
  if (estimate === null) return INITIAL_SLOW_AFTER_MS
  return Math.round(Math.min(INITIAL_SLOW_AFTER_MS, Math.max(MIN_SLOW_AFTER_MS, estimate.srtt + 4 * estimate.rttvar)))
}
