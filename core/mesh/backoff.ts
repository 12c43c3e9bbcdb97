// Reconnect delays in fixed tiers plus jitter (as hyperswarm's retry timer does): quick at first so a
// flapping link heals fast, capped so a vanished peer costs one dial a minute, jittered so a whole mesh
// that lost a peer at once does not redial it in lockstep.
import { jittered } from '../timers.ts'

const TIERS_MS = [1_000, 2_000, 5_000, 15_000, 30_000, 60_000]
const JITTER = 0.2

export function backoffDelay (attempt: number, random: () => number = Math.random): number {
  const base = TIERS_MS[Math.min(Math.max(attempt, 0), TIERS_MS.length - 1)] ?? 60_000
  return jittered(base, JITTER, random)
}
