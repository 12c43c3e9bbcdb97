// Which known addresses to dial next and which to forget when the address book is full, as pure
// functions of the records. Addresses come from trackers, the DHT, the LAN and other members,
// any of which can be flooded with addresses that lead nowhere: the policy keeps such floods from
// holding every dial slot or crowding out an address that works.
import type { PeerSource, PeerStatus } from './peer-record.ts'
import { jittered } from '../timers.ts'

export interface DialCandidate {
  readonly host: string
  readonly status: PeerStatus
  readonly failures: number
  readonly lastSeenAt: number
  /** How the address first reached us. */
  readonly origin: PeerSource
  /** The member whose PEX taught it, if one did. */
  readonly introducer: string | null
}

export interface DialLimits {
  /** Dials that may be started now. */
  slots: number
  /** Dials in flight to one host at most, so one host's many ports cannot take every slot. */
  maxPerHost: number
}

export interface RecordLimits {
  max: number
  /** Addresses first learnt one way (LAN, PEX, a tracker...), so no one way can fill the book. */
  maxPerOrigin: number
  maxPerHost: number
  /** Addresses one member's PEX may have in the book at once, so no one member can make us dial without end. */
  maxPerIntroducer: number
}

/**
 * The records to dial now, best first: addresses never tried, then those that failed (fewest
 * failures first). Among equals, hosts offering fewer addresses come first (a real member is one address, a tarpit host is
 * hundreds), then the most recently seen. No host gets more than `maxPerHost` dials in flight.
 */
export function chooseDials<R extends DialCandidate> (records: readonly R[], now: number, limits: DialLimits): R[] {
  if (limits.slots <= 0) return []
  const perHost = countBy(records, r => r.host)
  const inFlight = countBy(records.filter(r => r.status.kind === 'connecting'), r => r.host)
  const ready = records.filter(r => isDue(r, now)).sort((a, b) => dialOrder(a, b, perHost))
  const chosen: R[] = []
  for (const record of ready) {
    if (chosen.length >= limits.slots) break
    const busy = inFlight.get(record.host) ?? 0
    if (busy >= limits.maxPerHost) continue
    inFlight.set(record.host, busy + 1)
    chosen.push(record)
  }
  return chosen
}

/** When the next record in backoff becomes due, or null when none is waiting. */
export function nextDueAt (records: readonly DialCandidate[]): number | null {
  let next: number | null = null
  for (const r of records) if (r.status.kind === 'backoff' && (next === null || r.status.until < next)) next = r.status.until
  return next
}

/** How long the end whose dial would be dropped as a duplicate waits for the other end's dial. */
export const YIELD_MS = 1_000
const YIELD_JITTER = 0.5

/**
 * The wait before first dialling a member whose key we know (another member named it): none when
 * the duplicate rule (core/connection/replace-policy.ts) would keep our dial, that is when our key
 * is the lower; otherwise a jittered moment for its dial to arrive first, when ours is not needed.
 * Short and bounded, so a member that cannot dial us (behind a NAT) is still reached by our dial.
 */
export function yieldDelay (ourKeyHex: string, theirKeyHex: string, random: () => number = Math.random): number {
  return ourKeyHex < theirKeyHex ? 0 : jittered(YIELD_MS, YIELD_JITTER, random)
}

export type RecordAdmission<R> = { kind: 'admit'; evict: R[] } | { kind: 'refuse'; reason: string }

/**
 * Whether an address from `host`, learnt by `origin`, may be added to the book, and which records
 * must be forgotten for it: per host, per origin and in all, the least useful record in the same
 * group makes way (see evictionOrder). Records being dialled or known to be ourselves are never
 * forgotten; when only those fill a group, the newcomer is refused.
 */
export function admitRecord<R extends DialCandidate> (records: readonly R[], newcomer: { host: string; origin: PeerSource; introducer?: string | null }, limits: RecordLimits): RecordAdmission<R> {
  const evict: R[] = []
  let live = records
  const introducer = newcomer.introducer ?? null
  const groups: Array<{ within: (r: R) => boolean; max: number; reason: string }> = [
    ...(introducer === null ? [] : [{ within: (r: R) => r.introducer === introducer, max: limits.maxPerIntroducer, reason: 'this member told us of too many addresses' }]),
    { within: r => r.host === newcomer.host, max: limits.maxPerHost, reason: 'too many addresses at this host' },
    { within: r => r.origin === newcomer.origin, max: limits.maxPerOrigin, reason: `too many addresses from ${newcomer.origin}` },
    { within: () => true, max: limits.max, reason: 'the address book is full' }
  ]
  for (const group of groups) {
    const members = live.filter(group.within)
    if (members.length < group.max) continue
    const perHost = countBy(live, r => r.host)
    const victim = members.filter(isForgettable).sort((a, b) => evictionOrder(a, b, perHost))[0]
    if (victim === undefined) return { kind: 'refuse', reason: group.reason }
    evict.push(victim)
    live = live.filter(r => r !== victim)
  }
  return { kind: 'admit', evict }
}

function isDue (r: DialCandidate, now: number): boolean {
  return r.status.kind === 'idle' || (r.status.kind === 'backoff' && r.status.until <= now)
}

function isForgettable (r: DialCandidate): boolean {
  return r.status.kind === 'idle' || r.status.kind === 'backoff'
}

function dialOrder (a: DialCandidate, b: DialCandidate, perHost: ReadonlyMap<string, number>): number {
  return a.failures - b.failures ||
    (perHost.get(a.host) ?? 0) - (perHost.get(b.host) ?? 0) ||
    b.lastSeenAt - a.lastSeenAt
}

/** Forget first: most failures, from the host with the most addresses, seen longest ago. */
function evictionOrder (a: DialCandidate, b: DialCandidate, perHost: ReadonlyMap<string, number>): number {
  return b.failures - a.failures ||
    (perHost.get(b.host) ?? 0) - (perHost.get(a.host) ?? 0) ||
    a.lastSeenAt - b.lastSeenAt
}

function countBy<T> (items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const item of items) {
    const k = key(item)
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return counts
}
