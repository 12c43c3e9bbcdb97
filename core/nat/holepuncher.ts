// Which hole punch to try between two NATs, and the datagrams it sends when (PROTOCOL §3.8). No I/O:
// the node's hole-punching part sends what these say. Every plan is bounded in packets and time.
import type { NatType } from '../api/contract.ts'
import type { Endpoint } from '../transport/raw-stream.ts'

/**
 * A first probe dies after this many hops: past our own NAT (so it opens our mapping) and the next
 * router, before it reaches the other side's NAT. A Linux NAT that saw the other side's datagram
 * before its own left would map its own to another port, and the punch would miss.
 */
export const LOW_TTL = 2
/** From the low-TTL probes to the real ones: both sides' mappings are open by then. */
export const OPEN_WAIT_MS = 300
/** Probes go out every 200 ms for 3 s: a few per round trip, and the rounds outlast a GO that arrived late. */
export const PROBE_INTERVAL_MS = 200
export const PROBE_ROUNDS = 15
/** The random side's sockets, each opening its own mapping toward the other side. */
export const BIRTHDAY_SOCKETS = 256
/**
 * The consistent side's probes to random ports of the random side: with 256 mappings open among
 * ~64,500 ports, 1,750 probes find one 99.9% of the time (1 - e^(-256 * 1750 / 64512)).
 */
export const BIRTHDAY_PROBES = 1_750
/** Probes to random ports leave in bursts this far apart, so a punch is ~500 datagrams a second at most. */
export const BIRTHDAY_BURST_MS = 20
export const BIRTHDAY_BURST = 10
/** A punch gives up after this, whatever it tried. */
export const PUNCH_TIMEOUT_MS = 6_000
/** Ports a NAT hands out: the ones below are seldom used for mappings. */
const LOWEST_MAPPED_PORT = 1_024

export type PunchPlan =
  | { kind: 'none'; reason: string }
  /** Both map consistently (or we do not know yet): probes to each other's candidates. */
  | { kind: 'probe' }
  /** We map randomly, they do not: many sockets of ours each open a mapping toward them. */
  | { kind: 'birthday-sockets' }
  /** They map randomly, we do not: probes to many random ports of theirs, one of which they opened. */
  | { kind: 'birthday-ports' }

export function punchPlan (local: NatType, remote: NatType): PunchPlan {
  if (local === 'random' && remote === 'random') return { kind: 'none', reason: 'both NATs give every destination a new port: only a relay joins them' }
  if (local === 'random') return { kind: 'birthday-sockets' }
  if (remote === 'random') return { kind: 'birthday-ports' }
  return { kind: 'probe' }
}

export interface ProbeStep {
  atMs: number
  to: Endpoint
  ttl?: number
  /** For birthday-sockets: which of our extra sockets sends it. */
  socket?: number
}

/** The datagrams a plan sends, in time order; bounded by its constants whatever the peer offered. */
export function probeSchedule (plan: PunchPlan, remote: readonly Endpoint[], random: () => number = Math.random): ProbeStep[] {
  const steps: ProbeStep[] = []
  switch (plan.kind) {
    case 'none':
      return steps
    case 'probe':
      for (const to of remote) steps.push({ atMs: 0, to, ttl: LOW_TTL })
      for (let round = 0; round < PROBE_ROUNDS; round++) for (const to of remote) steps.push({ atMs: OPEN_WAIT_MS + round * PROBE_INTERVAL_MS, to })
      return steps
    case 'birthday-sockets': {
      // Our mappings open toward their one address; their probes find one, which then answers it.
      const to = remote[0]
      if (to === undefined) return steps
      for (let socket = 0; socket < BIRTHDAY_SOCKETS; socket++) steps.push({ atMs: 0, to, ttl: LOW_TTL, socket })
      return steps
    }
    case 'birthday-ports': {
      const host = remote[0]?.host
      if (host === undefined) return steps
      for (const to of remote) steps.push({ atMs: 0, to, ttl: LOW_TTL })
      for (let i = 0; i < BIRTHDAY_PROBES; i++) {
        const port = LOWEST_MAPPED_PORT + Math.floor(random() * (0x10000 - LOWEST_MAPPED_PORT))
        steps.push({ atMs: OPEN_WAIT_MS + Math.floor(i / BIRTHDAY_BURST) * BIRTHDAY_BURST_MS, to: { host, port } })
      }
      return steps
    }
  }
}

/** Which side opens the UDP stream once a probe got through: the one whose probes reach a known address. */
export function dialsAfterPunch (plan: PunchPlan, opener: boolean): boolean {
  if (plan.kind === 'birthday-sockets') return false
  if (plan.kind === 'birthday-ports') return true
  return opener
}

/** Waits before punching a relayed peer again after a failure: a NAT that refused once seldom changes soon. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000]

export function retryDelay (failures: number): number {
  return RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length) - 1] ?? 0
}
