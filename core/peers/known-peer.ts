// What the node knows of one peer identity, whatever channels it shares with us: the routes it can
// be reached by, whether a connection to it is up, and how its redials are going. Routes are ranked
// and bounded here by pure functions; core/peers/peer-book.ts does the dialling.
import type { PeerSource } from '../api/contract.ts'
import { TRANSPORT_PREFERENCE, type Route } from '../transport/raw-stream.ts'

export interface KnownRoute extends Route {
  /** Every way this route reached us (a tracker answer we dialled, the peer's own profile, a stored address...). */
  sources: Set<PeerSource>
  lastSeenAt: number
  /** When a dial over it last proved this peer's key; null if none ever did. */
  succeededAt: number | null
  failures: number
}

export type KnownPeerStatus =
  | { kind: 'idle' }
  /** `route` null: through a relay. */
  | { kind: 'connecting'; route: KnownRoute | null }
  | { kind: 'connected' }
  | { kind: 'backoff'; until: number }

export interface KnownPeer {
  readonly keyHex: string
  /** Best first (see rankRoutes), at most MAX_ROUTES_PER_PEER. */
  routes: KnownRoute[]
  /** The route the current connection was dialled over; null when the peer dialled us (or none is up). */
  via: KnownRoute | null
  status: KnownPeerStatus
  /** Redials in a row that did not reach the peer; reset by a connection. */
  failures: number
  /** Channels that want a link with this peer: it is redialled while any does. */
  wantedBy: Set<string>
  lastSeenAt: number
}

/** Routes kept per peer: a member listens at one or two; more are stale or planted by someone. */
export const MAX_ROUTES_PER_PEER = 8

export function newKnownPeer (keyHex: string, now: number): KnownPeer {
  return { keyHex, routes: [], via: null, status: { kind: 'idle' }, failures: 0, wantedBy: new Set(), lastSeenAt: now }
}



/** A claim only other members made (PEX) weighs as this many failures when routes are ranked. */
const HEARSAY_WEIGHT = 2

/**
 * Routes in the order they are tried: the better transport, then fewest failures since the route
 * last worked (so a peer that moved is sought at its other routes), a route only other members
 * claim counting as two failures (it is tried once the peer's own routes have failed twice, and a
 * planted claim never jumps ahead of a route that just failed once), then routes that reached the
 * peer before (latest success first), then the most recently seen.
 */
export function rankRoutes (routes: readonly KnownRoute[]): KnownRoute[] {
  return [...routes].sort((a, b) =>
    TRANSPORT_PREFERENCE[b.kind] - TRANSPORT_PREFERENCE[a.kind] ||
    weight(a) - weight(b) ||
    (b.succeededAt ?? -1) - (a.succeededAt ?? -1) ||
    b.lastSeenAt - a.lastSeenAt)
}

function weight (route: KnownRoute): number {
  return route.failures + (hearsay(route) ? HEARSAY_WEIGHT : 0)
}

/**
 * The order in which routes are kept when there are too many: routes that worked (latest first),
 * then any but hearsay, then fewest failures, then most recently seen. A member flooding claims
 * about a peer only ever pushes out other claims.
 */
function keepOrder (a: KnownRoute, b: KnownRoute): number {
  return (b.succeededAt ?? -1) - (a.succeededAt ?? -1) ||
    Number(hearsay(a)) - Number(hearsay(b)) ||
    a.failures - b.failures ||
    b.lastSeenAt - a.lastSeenAt
}

/** Only other members said the peer is there (PEX), and no dial there has reached it: a claim, not a fact. */
export function hearsay (route: KnownRoute): boolean {
  return route.succeededAt === null && route.sources.size === 1 && route.sources.has('pex')
}

/**
 * Adds a route to a peer (or refreshes it); `proven` when a handshake over it just proved the
 * peer's key. The list stays bounded (see keepOrder; the newcomer itself may be what goes) and
 * ranked for dialling.
 */
export function addRoute (peer: KnownPeer, route: Route, source: PeerSource, now: number, proven: boolean): void {
  let known = peer.routes.find(r => r.kind === route.kind && r.host === route.host && r.port === route.port)
  if (known === undefined) {
    known = { kind: route.kind, host: route.host, port: route.port, sources: new Set(), lastSeenAt: now, succeededAt: null, failures: 0 }
    peer.routes.push(known)
  }
  known.sources.add(source)
  known.lastSeenAt = now
  if (proven) {
    known.succeededAt = now
    known.failures = 0
  }
  peer.lastSeenAt = now
  peer.routes = rankRoutes([...peer.routes].sort(keepOrder).slice(0, MAX_ROUTES_PER_PEER))
}

/** A dial over `route` reached the peer: its past failures no longer count against it. */
export function routeSucceeded (peer: KnownPeer, route: KnownRoute, now: number): void {
  route.succeededAt = now
  route.failures = 0
  route.lastSeenAt = now
  peer.lastSeenAt = now
  peer.routes = rankRoutes(peer.routes)
}

/** A dial over `route` did not reach the peer: the next redial tries a route that has failed less. */
export function routeFailed (peer: KnownPeer, route: KnownRoute): void {
  route.failures++
  peer.routes = rankRoutes(peer.routes)
}
