import { addRoute, hearsay, newKnownPeer, routeFailed, routeSucceeded, type KnownPeer, type KnownRoute } from './known-peer.ts'
import type { DialOutcome } from './dial-outcome.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { backoffDelay } from '../mesh/backoff.ts'
import { systemClock, type Clock } from '../timers.ts'
import type { PeerSource } from '../api/contract.ts'
import type { Route } from '../transport/raw-stream.ts'
import type { Logger } from '../log.ts'

export interface PeerBookOptions {
  /** Dials `route` with the PSK of `channelId`, expecting `keyHex` there (the pool's dial). */
  dial: (route: Route, channelId: string, keyHex: string) => Promise<DialOutcome>
  /** Offers a channel on the connection kept to this peer; false when there is none. */
  offer: (keyHex: string, channelId: string) => boolean
  /** Whether the channel is still joined. */
  hasChannel: (channelId: string) => boolean
  log: Logger
  /** A peer the user blocked is not redialled. */
  isBlocked?: (keyHex: string) => boolean
  /** Reaches the peer through another member with the PSK of `channelId` (PROTOCOL §3.7): tried when it has no route, and every other attempt when its routes fail. */
  relay?: (keyHex: string, channelId: string) => Promise<DialOutcome>
  /** Whether the peer's direct routes may be dialled ('Hide my IP address': only a contact's); when not, only `relay` reaches it. All may unless given. */
  directAllowed?: (keyHex: string, hearsay: boolean) => boolean
  maxPeers?: number
  clock?: Clock
}

/** Identities remembered at most; past it the least recently seen one no channel wants makes way. */
const MAX_PEERS = 2_000
/** When the node-wide dial budget is spent, a redial is tried again this soon. */
const BUSY_RETRY_MS = 1_000
/** Dial refusals that mean the peer is not (or no longer) in that channel with us. */
export const NOT_IN_CHANNEL: ReadonlySet<CloseCode> = new Set<CloseCode>([CloseCode.NOT_JOINED, CloseCode.NOT_INVITED, CloseCode.LEFT_CHANNEL])
/**
 * Redials in a row after which a peer is no longer sought (about 25 minutes at the backoff's cap):
 * discovery finds it again when it is back, and a crowd of identities that came once and vanished
 * cannot keep us dialling.
 */
export const MAX_REDIALS = 30

/**
 * The node's one record per peer identity (PROTOCOL §3.5): the routes it can be reached by and the
 * channels that want a link with it. When the connection to a wanted peer is lost, the peer is
 * redialled once for all those channels, over its best route first, with capped, jittered backoff,
 * the PSK taken from each wanted channel in turn (a peer that left one is still found by another);
 * the pool then attaches every shared channel on the new connection. Addresses whose owner is not
 * yet known stay with each channel's dialler until a handshake tells whose they are.
 */
export class PeerBook {
  readonly #opts: PeerBookOptions
  readonly #clock: Clock
  readonly #peers = new Map<string, KnownPeer>()
  readonly #timers = new Map<string, () => void>()
  #closed = false

  constructor (opts: PeerBookOptions) {
    this.#opts = opts
    this.#clock = opts.clock ?? systemClock
  }

  get (keyHex: string): KnownPeer | undefined { return this.#peers.get(keyHex) }
  get size (): number { return this.#peers.size }

  /** The peers a channel wants a link with. */
  wantedIn (channelId: string): KnownPeer[] {
    return [...this.#peers.values()].filter(p => p.wantedBy.has(channelId))
  }

  /** Every way a route of this peer reached us. */
  sourcesOf (keyHex: string): PeerSource[] {
    const sources = new Set<PeerSource>()
    for (const route of this.#peers.get(keyHex)?.routes ?? []) for (const s of route.sources) sources.add(s)
    return [...sources]
  }

  /**
   * Whose route this is, if any peer's. A scan: at most MAX_PEERS × MAX_ROUTES_PER_PEER routes, and
   * only addresses that come without a key (tracker, DHT and LAN answers) are looked up.
   */
  ownerOf (route: Route): string | null {
    for (const peer of this.#peers.values()) {
      if (peer.routes.some(r => r.kind === route.kind && r.host === route.host && r.port === route.port)) return peer.keyHex
    }
    return null
  }

  /** A dial over `route` just reached `keyHex` and the connection is kept: the route every way it was learnt, in use now. */
  proven (keyHex: string, route: Route, sources: Iterable<PeerSource>): boolean {
    const peer = this.#peerFor(keyHex)
    if (peer === null) return false
    const now = this.#clock.now()
    for (const source of sources) addRoute(peer, route, source, now, true)
    peer.via = peer.routes.find(r => r.kind === route.kind && r.host === route.host && r.port === route.port) ?? null
    return true
  }

  /**
   * A route of `keyHex`: `proven` when a handshake over it just proved the key, otherwise a claim
   * (a stored address, where the peer's profile says it listens) that a dial will have to prove.
   * False when the book is full of peers it may not forget.
   */
  learn (keyHex: string, route: Route, source: PeerSource, proven: boolean): boolean {
    const peer = this.#peerFor(keyHex)
    if (peer === null) return false
    addRoute(peer, route, source, this.#clock.now(), proven)
    return true
  }

  /**
   * A route of `keyHex` that a dial just found silent (a member said it listens there; nobody answered):
   * the next attempt goes through a relay rather than straight back there. False when the book is full.
   */
  unanswered (keyHex: string, route: Route, source: PeerSource): boolean {
    const peer = this.#peerFor(keyHex)
    if (peer === null) return false
    addRoute(peer, route, source, this.#clock.now(), false)
    const known = peer.routes.find(r => r.kind === route.kind && r.host === route.host && r.port === route.port)
    if (known !== undefined) routeFailed(peer, known)
    if (peer.status.kind === 'idle' && peer.failures % 2 === 0) peer.failures++
    return true
  }

  /**
   * `channelId` wants a link with this peer: the channel is offered on the connection kept to it,
   * or the peer is dialled (now, or when its backoff ends).
   */
  want (keyHex: string, channelId: string): void {
    const peer = this.#peerFor(keyHex)
    if (peer === null || this.#closed) return
    peer.wantedBy.add(channelId)
    if (peer.status.kind === 'connected') this.#opts.offer(keyHex, channelId)
    else if (peer.status.kind === 'idle') this.#redial(peer)
  }

  /** The peer is not in this channel with us (it left, refused it, or we are not invited): no more redials for it. */
  unwant (keyHex: string, channelId: string): void {
    this.#peers.get(keyHex)?.wantedBy.delete(channelId)
  }

  /** The channel is left: no peer is redialled for it any more. */
  forgetChannel (channelId: string): void {
    for (const peer of this.#peers.values()) peer.wantedBy.delete(channelId)
  }

  /** The pool keeps a connection to this peer now (dialled by anyone). */
  connected (keyHex: string): void {
    const peer = this.#peerFor(keyHex)
    if (peer === null) return
    this.#cancelTimer(keyHex)
    peer.status = { kind: 'connected' }
    peer.failures = 0
    peer.lastSeenAt = this.#clock.now()
  }

  /** The pool's connection to this peer ended: redialled after a moment if a channel still wants it. */
  gone (keyHex: string): void {
    const peer = this.#peers.get(keyHex)
    if (peer === undefined || peer.status.kind !== 'connected') return
    peer.status = { kind: 'idle' }
    peer.via = null
    this.#retryLater(peer, backoffDelay(peer.failures))
  }

  /** Redials the peer now if a channel wants it and no connection is kept (it was just unblocked). */
  retry (keyHex: string): void {
    const peer = this.#peers.get(keyHex)
    if (peer === undefined || peer.status.kind === 'connected' || peer.status.kind === 'connecting') return
    this.#cancelTimer(keyHex)
    peer.failures = 0
    this.#redial(peer)
  }

  close (): void {
    this.#closed = true
    for (const cancel of this.#timers.values()) cancel()
    this.#timers.clear()
  }

  /**
   * The record of a peer, made when new. When the book is full, a peer with no connection makes way:
   * one no channel wants before one that some channel does, the one seen longest ago first.
   */
  #peerFor (keyHex: string): KnownPeer | null {
    const known = this.#peers.get(keyHex)
    if (known !== undefined) return known
    if (this.#peers.size >= (this.#opts.maxPeers ?? MAX_PEERS)) {
      let victim: KnownPeer | null = null
      for (const p of this.#peers.values()) {
        if (p.status.kind === 'connected' || p.status.kind === 'connecting') continue
        if (victim === null || forgetBefore(p, victim)) victim = p
      }
      if (victim === null) {
        this.#opts.log.debug('ignored a peer: the peer book is full of connected peers', { peer: keyHex.slice(0, 16) })
        return null
      }
      this.#cancelTimer(victim.keyHex)
      this.#peers.delete(victim.keyHex)
    }
    const peer = newKnownPeer(keyHex, this.#clock.now())
    this.#peers.set(keyHex, peer)
    return peer
  }

  /**
   * Dials the peer over its best route with the PSK of a channel that wants it, each wanted channel
   * in turn from one failure to the next; nothing when no channel wants it or no route is known.
   */
  #redial (peer: KnownPeer): void {
    if (this.#closed || peer.status.kind === 'connected' || peer.status.kind === 'connecting') return
    const channels = [...peer.wantedBy].filter(id => this.#opts.hasChannel(id))
    // Its routes stay known: they are dialled again once direct dials to it are allowed.
    const allowed = this.#opts.directAllowed
    const route = allowed === undefined ? peer.routes[0] : peer.routes.find(r => allowed(peer.keyHex, hearsay(r)))
    const relay = this.#opts.relay
    const throughRelay = relay !== undefined && (route === undefined || peer.failures % 2 === 1)
    if (channels.length === 0 || (route === undefined && !throughRelay) || this.#opts.isBlocked?.(peer.keyHex) === true) {
      peer.status = { kind: 'idle' }
      return
    }
    const channelId = channels[peer.failures % channels.length]!
    if (throughRelay) {
      peer.status = { kind: 'connecting', route: null }
      relay(peer.keyHex, channelId).then((outcome) => {
        this.#relayed(peer, channelId, outcome)
      }, (err: unknown) => {
        this.#opts.log.error('a dial through a relay went wrong', { peer: peer.keyHex.slice(0, 16), error: (err as Error).message })
        this.#relayed(peer, channelId, { kind: 'failed', code: null, reason: (err as Error).message })
      })
      return
    }
    if (route === undefined) return
    peer.status = { kind: 'connecting', route }
    this.#opts.dial(route, channelId, peer.keyHex).then((outcome) => {
      this.#dialed(peer, route, channelId, outcome)
    }, (err: unknown) => {
      this.#opts.log.error('redial went wrong', { peer: peer.keyHex.slice(0, 16), error: (err as Error).message })
      this.#dialed(peer, route, channelId, { kind: 'failed', code: null, reason: (err as Error).message })
    })
  }

  /** A redial ended. The pool has already reported a connection it kept (connected()), so status is only set here on failure. */
  #dialed (peer: KnownPeer, route: KnownRoute, channelId: string, outcome: DialOutcome): void {
    if (this.#peers.get(peer.keyHex) !== peer) return
    const now = this.#clock.now()
    // The peer may have reached us first, or the pool kept an earlier connection: that connection counts.
    const stillDialling = peer.status.kind === 'connecting'
    switch (outcome.kind) {
      case 'connected':
        routeSucceeded(peer, route, now)
        peer.via = route
        return
      case 'busy':
        if (stillDialling) this.#retryLater(peer, BUSY_RETRY_MS)
        return
      case 'self':
        peer.routes = peer.routes.filter(r => r !== route)
        break
      case 'failed':
        this.#opts.log.debug('redial failed', { peer: peer.keyHex.slice(0, 16), route: `${route.host}:${route.port}`, reason: outcome.reason })
        if (outcome.code === CloseCode.UNEXPECTED_IDENTITY) {
          // Someone else listens there now.
          peer.routes = peer.routes.filter(r => r !== route)
        } else if (outcome.keyHex === peer.keyHex) {
          routeSucceeded(peer, route, now)
          if (outcome.code !== null && NOT_IN_CHANNEL.has(outcome.code)) {
            // The peer is not in that channel with us; its connection may carry others, or another may want it.
            peer.wantedBy.delete(channelId)
            if (stillDialling) peer.status = { kind: 'idle' }
            this.#redial(peer)
            return
          }
        } else {
          routeFailed(peer, route)
        }
    }
    if (stillDialling) this.#attemptFailed(peer)
  }

  /** A dial through a relay ended: only whether it reached the peer counts, no route is involved. */
  #relayed (peer: KnownPeer, channelId: string, outcome: DialOutcome): void {
    if (this.#peers.get(peer.keyHex) !== peer) return
    const stillDialling = peer.status.kind === 'connecting'
    if (outcome.kind === 'connected') return
    if (outcome.kind === 'busy') {
      if (stillDialling) this.#retryLater(peer, BUSY_RETRY_MS)
      return
    }
    if (outcome.kind === 'failed' && outcome.keyHex === peer.keyHex && outcome.code !== null && NOT_IN_CHANNEL.has(outcome.code)) {
      peer.wantedBy.delete(channelId)
      if (stillDialling) peer.status = { kind: 'idle' }
      this.#redial(peer)
      return
    }
    if (outcome.kind === 'failed') this.#opts.log.debug('a dial through a relay failed', { peer: peer.keyHex.slice(0, 16), reason: outcome.reason })
    if (stillDialling) this.#attemptFailed(peer)
  }

  #attemptFailed (peer: KnownPeer): void {
    peer.failures++
    if (peer.failures >= MAX_REDIALS) {
      this.#opts.log.info('no longer seeking a peer that has not answered', { peer: peer.keyHex.slice(0, 16), attempts: peer.failures })
      peer.wantedBy.clear()
      peer.status = { kind: 'idle' }
      return
    }
    this.#retryLater(peer, backoffDelay(peer.failures - 1))
  }

  #retryLater (peer: KnownPeer, ms: number): void {
    if (this.#closed) return
    this.#cancelTimer(peer.keyHex)
    peer.status = { kind: 'backoff', until: this.#clock.now() + ms }
    this.#timers.set(peer.keyHex, this.#clock.after(ms, () => {
      this.#timers.delete(peer.keyHex)
      if (this.#peers.get(peer.keyHex) !== peer || peer.status.kind !== 'backoff') return
      peer.status = { kind: 'idle' }
      this.#redial(peer)
    }))
  }

  #cancelTimer (keyHex: string): void {
    this.#timers.get(keyHex)?.()
    this.#timers.delete(keyHex)
  }
}

function forgetBefore (a: KnownPeer, b: KnownPeer): boolean {
  const [wantedA, wantedB] = [a.wantedBy.size > 0, b.wantedBy.size > 0]
  return wantedA !== wantedB ? !wantedA : a.lastSeenAt < b.lastSeenAt
}
