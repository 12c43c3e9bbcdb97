import type { NetworkStatus, TrackerStatus } from '../../../core/api/contract.ts'

const latest = (a: number | null, b: number | null): number | null => a === null ? b : b === null ? a : Math.max(a, b)
const soonest = (a: number | null, b: number | null): number | null => a === null ? b : b === null ? a : Math.min(a, b)

/** Two reports from one tracker: it works if either announce got an answer; the freshest times win. */
function combine (a: TrackerStatus, b: TrackerStatus): TrackerStatus {
  const answered = [a, b].find(t => t.lastError === null && t.lastAnnounceAt !== null)
  return {
    url: a.url,
    lastAnnounceAt: latest(a.lastAnnounceAt, b.lastAnnounceAt),
    nextAnnounceAt: soonest(a.nextAnnounceAt, b.nextAnnounceAt),
    peersReturned: Math.max(a.peersReturned, b.peersReturned),
    lastError: answered !== undefined ? null : a.lastError ?? b.lastError
  }
}

/**
 * One entry per tracker URL. Around midnight UTC the core announces a channel under two days'
 * hashes and reports each tracker once per hash: a person sees one tracker, not two.
 */
export function oneStatusPerTracker (trackers: readonly TrackerStatus[]): TrackerStatus[] {
  const byUrl = new Map<string, TrackerStatus>()
  for (const t of trackers) {
    const seen = byUrl.get(t.url)
    byUrl.set(t.url, seen === undefined ? t : combine(seen, t))
  }
  return [...byUrl.values()]
}

export function withOneStatusPerTracker (status: NetworkStatus): NetworkStatus {
  return { ...status, channels: status.channels.map(c => ({ ...c, trackers: oneStatusPerTracker(c.trackers) })) }
}
