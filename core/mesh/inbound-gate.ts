// Who may hold an inbound connection: the admission and eviction policy of the listening port, as
// pure functions of the connections held now. It knows sources, ages and handshake progress only,
// never sockets or sessions, so any transport can apply it.

export interface InboundLimits {
  /** Connections still in their handshake, over all sources. */
  maxPending: number
  maxPendingPerSource: number
  /** Inbound connections in all, handshaking or established. */
  maxInbound: number
  maxInboundPerSource: number
}

export interface InboundConnection<Id> {
  readonly id: Id
  /** What limits apply to: see sourceOf(). */
  readonly source: string
  readonly openedAt: number
  readonly established: boolean
  /** Has sent bytes: a dialler that means to talk does so at once, an idle socket never does. */
  readonly spoke: boolean
}

export type Admission<Id> =
  | { kind: 'admit'; evict: Id[] }
  | { kind: 'refuse'; reason: string }

/**
 * Whether a new connection from `source` may be accepted, and which half-open connections must make
 * way for it. Per-source caps keep one host from taking everything; the global handshake budget, when
 * full, gives up its least promising half-open connection rather than turning the newcomer away, so
 * idle sockets can never lock out a dialler who means to talk. Established sessions are never evicted
 * for a newcomer that has proven nothing yet: when they alone fill a cap, the newcomer is refused.
 */
export function admitConnection<Id> (current: readonly InboundConnection<Id>[], source: string, limits: InboundLimits): Admission<Id> {
  const evict: Id[] = []
  let live = current
  const rules: Array<{ counts: (c: InboundConnection<Id>) => boolean; max: number; victims: (c: InboundConnection<Id>) => boolean; reason: string }> = [
    { counts: c => !c.established && c.source === source, max: limits.maxPendingPerSource, victims: c => c.source === source, reason: 'too many handshakes from this address' },
    { counts: c => c.source === source, max: limits.maxInboundPerSource, victims: c => c.source === source, reason: 'too many connections from this address' },
    { counts: c => !c.established, max: limits.maxPending, victims: () => true, reason: 'too many handshakes' },
    { counts: () => true, max: limits.maxInbound, victims: () => true, reason: 'too many connections' }
  ]
  for (const rule of rules) {
    if (count(live, rule.counts) < rule.max) continue
    const victim = leastPromisingPending(live.filter(c => !c.established && rule.victims(c)), live)
    if (victim === null) return { kind: 'refuse', reason: rule.reason }
    evict.push(victim.id)
    live = live.filter(c => c !== victim)
  }
  return { kind: 'admit', evict }
}

/**
 * Whether connection `id` (in `current`, handshaking) may become an established session. Established
 * sessions may fill what the handshake budget leaves of the inbound cap; past that, the source
 * holding the most established sessions gives up its newest one when it holds at least two more than
 * the newcomer's source would, so that many members from a few addresses cannot keep out members from
 * elsewhere. Otherwise the newcomer is refused.
 */
export function admitEstablished<Id> (current: readonly InboundConnection<Id>[], id: Id, limits: InboundLimits): Admission<Id> {
  const newcomer = current.find(c => c.id === id)
  if (newcomer === undefined) return { kind: 'refuse', reason: 'unknown connection' }
  const established = current.filter(c => c.established && c.id !== id)
  if (established.length < limits.maxInbound - limits.maxPending) return { kind: 'admit', evict: [] }
  const perSource = new Map<string, InboundConnection<Id>[]>()
  for (const c of established) {
    const group = perSource.get(c.source)
    if (group === undefined) perSource.set(c.source, [c])
    else group.push(c)
  }
  let largest: InboundConnection<Id>[] = []
  for (const group of perSource.values()) if (group.length > largest.length) largest = group
  const mine = perSource.get(newcomer.source)?.length ?? 0
  if (largest.length < mine + 2) return { kind: 'refuse', reason: 'too many members connected' }
  const newest = largest.reduce((a, b) => b.openedAt > a.openedAt ? b : a)
  return { kind: 'admit', evict: [newest.id] }
}

/**
 * Of the half-open `pool`, the one to drop first: from the source holding the most half-open
 * connections (in `all`), silent before talking, oldest first.
 */
function leastPromisingPending<Id> (pool: readonly InboundConnection<Id>[], all: readonly InboundConnection<Id>[]): InboundConnection<Id> | null {
  const pendingBySource = new Map<string, number>()
  for (const c of all) if (!c.established) pendingBySource.set(c.source, (pendingBySource.get(c.source) ?? 0) + 1)
  let best: InboundConnection<Id> | null = null
  for (const c of pool) {
    if (best === null || worse(c, best, pendingBySource)) best = c
  }
  return best
}

function worse<Id> (a: InboundConnection<Id>, b: InboundConnection<Id>, pendingBySource: Map<string, number>): boolean {
  const crowdA = pendingBySource.get(a.source) ?? 0
  const crowdB = pendingBySource.get(b.source) ?? 0
  if (crowdA !== crowdB) return crowdA > crowdB
  if (a.spoke !== b.spoke) return !a.spoke
  return a.openedAt < b.openedAt
}

function count<T> (items: readonly T[], predicate: (item: T) => boolean): number {
  let n = 0
  for (const item of items) if (predicate(item)) n++
  return n
}
