import { EventEmitter } from 'node:events'
import type { PeerSource } from './peer-record.ts'
import type { KnownAddress } from '../api/contract.ts'
import { formatHostPort } from '../wire/address.ts'
import { hearsay } from '../peers/known-peer.ts'
import { Dialler } from './dialler.ts'
import { TokenBucket, type BucketRate } from '../limits/token-bucket.ts'
import { unrefTimer } from '../timers.ts'
import { CloseCode, describeCloseCode } from '../connection/close-codes.ts'
import type { CloseInfo } from '../connection/mux-stream.ts'
import type { ConnectionPool } from '../peers/connection-pool.ts'
import type { TopicLink } from '../peers/topic-link.ts'
import { encodePex, MAX_PEERS_PER_LIST, type PeerAddress, type WireMessage } from '../wire/messages.ts'
import type { Logger } from '../log.ts'

/** A member of the channel we have a link with (on the one connection kept to it). */
export interface PeerLink {
  /** Replaced when a newer connection to the member takes over; the link (and the member's identity) stays. */
  session: TopicLink
  readonly publicKeyHex: string
  /** Where the member listens (its address as we see it, with the port its profile gives), if it listens. */
  listenAddress: { host: string; port: number } | null
  /** The members this peer last said it is connected to (its PEX lists are full snapshots). */
  neighbours: Set<string>
  /** Running while the member's replacement for a link it closed as a duplicate is awaited. */
  graceTimer: NodeJS.Timeout | null
  /** Peer lists (PEX) this member may still make us process; see PEX_RATE. */
  readonly pexBudget: TokenBucket
  /** The latest list that came over the rate, handled when the budget allows. */
  deferredPeers: { peers: PeerAddress[]; timer: NodeJS.Timeout } | null
}

export interface SwarmOptions {
  channelId: string
  pool: ConnectionPool
  ownKeyHex: string
  /** The port a member's profile says it listens on (0 when it does not, or no profile yet). */
  listenPortOf: (publicKeyHex: string) => number
  isSelfAddress: (host: string, port: number) => boolean
  log: Logger
  maxRecords?: number
}

interface SwarmEvents {
  connected: [PeerLink]
  /** A link replaced a member's earlier one: what was in flight on the old one is lost. */
  resumed: [PeerLink]
  disconnected: [PeerLink, string]
  message: [PeerLink, WireMessage]
}

const PEX_INTERVAL_MS = 60_000
/**
 * Links that come and go are told to everyone in one PEX round at most this often: a round per change
 * would send every link a list for every other link that joins, n² lists when many join at once.
 */
const PEX_CHANGE_DELAY_MS = 2_000
/**
 * Peer lists a peer may make us process: a few at once (a newcomer's first list, then links coming and
 * going), one every 5 s on average. A list over the rate is not lost: the latest one waits its turn.
 */
export const PEX_RATE: BucketRate = { ratePerSecond: 1 / 5, burst: 3 }
/** How long the replacement of a link the member closed as a duplicate may take to arrive here. */
const DUPLICATE_GRACE_MS = 3_000

/**
 * The full mesh of one channel: every address learnt goes to the dialler (or, when its owner is
 * known, to the node's peer book, which redials lost peers for every channel at once), the pool
 * keeps one connection per member and hands us its link for this channel, and members tell each
 * other whom they hear (PEX).
 */
export class ChannelSwarm extends EventEmitter<SwarmEvents> {
  readonly #opts: SwarmOptions
  readonly #links = new Map<string, PeerLink>()
  readonly #dialler: Dialler
  readonly #pexTimer: NodeJS.Timeout
  #destroyed = false
  #pexRound: NodeJS.Timeout | null = null

  constructor (opts: SwarmOptions) {
    super()
    this.#opts = opts
    this.#dialler = new Dialler({
      channelId: opts.channelId,
      pool: opts.pool,
      ownKeyHex: opts.ownKeyHex,
      log: opts.log,
      maxRecords: opts.maxRecords
    })
    this.#pexTimer = setInterval(() => { this.#sendPex() }, PEX_INTERVAL_MS)
    this.#pexTimer.unref()
  }

  get links (): PeerLink[] { return [...this.#links.values()] }

  /** A discovered address: remembered, and dialled unless it is ours or its owner is connected already. */
  addCandidate (host: string, port: number, source: PeerSource, publicKeyHex: string | null = null, introducer: string | null = null): void {
    if (this.#destroyed || port < 1 || port > 65535) return
    if (publicKeyHex === this.#opts.ownKeyHex || this.#opts.isSelfAddress(host, port)) return
    this.#dialler.add(host, port, source, publicKeyHex, introducer)
  }

  /** The pool linked this channel with a member (the pool already settled duplicates, invitations and ourselves). */
  attach (session: TopicLink): void {
    if (this.#destroyed) {
      session.close(CloseCode.LEFT_CHANNEL, 'channel left')
      return
    }
    const keyHex = session.remoteKeyHex
    const existing = this.#links.get(keyHex)
    if (existing !== undefined) {
      const old = existing.session
      existing.session = session
      if (existing.graceTimer !== null) clearTimeout(existing.graceTimer)
      existing.graceTimer = null
      if (!old.closed) old.close(CloseCode.DUPLICATE, 'replaced by a newer link')
    }
    const link: PeerLink = existing ?? { session, publicKeyHex: keyHex, listenAddress: null, neighbours: new Set<string>(), graceTimer: null, pexBudget: new TokenBucket(PEX_RATE), deferredPeers: null }
    this.#links.set(keyHex, link)
    // Redialled for this channel too if the connection goes.
    this.#opts.pool.peers.want(keyHex, this.#opts.channelId)
    session.on('message', (message) => { this.#onMessage(link, session, message) })
    session.on('close', (info) => { this.#onClose(link, session, info) })
    this.profileChanged(keyHex)
    session.send(encodePex({ peers: this.#knownPeers(keyHex) }))
    if (existing === undefined) {
      this.emit('connected', link)
      this.#pexSoon()
    } else {
      this.emit('resumed', link)
    }
  }

  /**
   * A member's profile (name, listen port) is new or changed: where it listens goes to peer lists,
   * and, for a member that dialled us, becomes a route to redial it by (one we dialled has its own).
   */
  profileChanged (publicKeyHex: string): void {
    const link = this.#links.get(publicKeyHex)
    if (link === undefined) return
    const port = this.#opts.listenPortOf(publicKeyHex)
    // Through a relay the member's address is not known: the host there is the relay's. A member that
    // stopped listening (it hides its address now) is no longer passed on where it listened before.
    if (port === 0 || link.session.connection.transport === 'relay') {
      link.listenAddress = null
      return
    }
    const host = link.session.connection.remoteHost
    link.listenAddress = { host, port }
    if (!link.session.initiator) this.#opts.pool.peers.learn(publicKeyHex, { kind: 'tcp', host, port }, 'incoming', false)
  }

  /** Every way an address of this peer reached us ('incoming' alone when it only ever dialled us). */
  sourcesOf (publicKeyHex: string): PeerSource[] {
    const sources = this.#opts.pool.peers.sourcesOf(publicKeyHex)
    return sources.length === 0 ? ['incoming'] : sources
  }

  /**
   * Every address known for this channel: the routes of the members it wants a link with (the one
   * in use, being dialled or next to be tried showing the member's state; a route only another
   * member claims showing no key, as it is not known to be that member's), and the addresses whose
   * owner no handshake has told yet.
   */
  addresses (): KnownAddress[] {
    const known: KnownAddress[] = []
    for (const peer of this.#opts.pool.peers.wantedIn(this.#opts.channelId)) {
      const listen = this.#links.get(peer.keyHex)?.listenAddress ?? null
      const current = peer.status.kind === 'connecting'
        ? peer.status.route
        : peer.status.kind === 'connected'
          ? peer.via ?? peer.routes.find(r => listen !== null && r.host === listen.host && r.port === listen.port)
          : peer.routes[0]
      for (const route of peer.routes) {
        const status = route === current ? peer.status.kind : 'idle'
        known.push({ address: formatHostPort(route.host, route.port), publicKey: hearsay(route) ? null : peer.keyHex, sources: [...route.sources], status, failures: route.failures })
      }
    }
    const listed = new Set(known.map(a => a.address))
    for (const r of this.#dialler.records) {
      const address = formatHostPort(r.host, r.port)
      if (!listed.has(address)) known.push({ address, publicKey: r.publicKey, sources: [...r.sources], status: r.status.kind, failures: r.failures })
    }
    // A member linked through a relay has no address of its own here: the relay's stands for it.
    for (const link of this.#links.values()) {
      const { connection } = link.session
      if (connection.via === null) continue
      known.push({ address: connection.address, publicKey: link.publicKeyHex, sources: [], status: 'connected', failures: 0, via: connection.via })
    }
    return known
  }

  broadcast (frame: Uint8Array): void {
    for (const link of this.#links.values()) link.session.send(frame)
  }

  /**
   * Floods a message onward: to every peer but the one it came from and those that hear its author
   * directly (the author sent it to them itself). Who hears whom comes from PEX snapshots, which can
   * lag; reconciliation repairs what a stale view misses.
   */
  relay (frame: Uint8Array, authorKeyHex: string, fromKeyHex: string): void {
    for (const link of this.#links.values()) {
      if (link.publicKeyHex === fromKeyHex || link.publicKeyHex === authorKeyHex) continue
      if (fromKeyHex === authorKeyHex && link.neighbours.has(authorKeyHex)) continue
      link.session.send(frame)
    }
  }

  destroy (): void {
    if (this.#destroyed) return
    this.#destroyed = true
    clearInterval(this.#pexTimer)
    if (this.#pexRound !== null) clearTimeout(this.#pexRound)
    this.#dialler.destroy()
    for (const link of [...this.#links.values()]) {
      if (link.deferredPeers !== null) clearTimeout(link.deferredPeers.timer)
      if (link.graceTimer !== null) this.#drop(link, CloseCode.LEFT_CHANNEL, 'channel left')
      else link.session.close(CloseCode.LEFT_CHANNEL, 'channel left')
    }
  }

  #onMessage (link: PeerLink, session: TopicLink, message: WireMessage): void {
    if (this.#links.get(link.publicKeyHex)?.session !== session) return
    if (message.type === 'pex') this.#learnPeers(link, message.peers)
    else this.emit('message', link, message)
  }

  #onClose (link: PeerLink, session: TopicLink, info: CloseInfo): void {
    if (this.#links.get(link.publicKeyHex)?.session !== session) return
    const reason = info.text === '' ? describeCloseCode(info.code) : info.text
    // A connection closed as a duplicate (by either side) is replaced by one the pool keeps, which
    // may still be on its way here: give it a moment, so a settled race is not a disconnect.
    if (info.code === CloseCode.DUPLICATE) {
      link.graceTimer = unrefTimer(() => {
        link.graceTimer = null
        this.#drop(link, info.code, `${reason.replace(/\.$/, '')}, and no replacement arrived`)
      }, DUPLICATE_GRACE_MS)
      return
    }
    this.#drop(link, info.code, reason)
  }

  /**
   * The member is gone: forget the link and tell the room. If it left the channel, it is not
   * redialled for it; if its connection went, the peer book redials it.
   */
  #drop (link: PeerLink, code: CloseCode, reason: string): void {
    if (link.graceTimer !== null) clearTimeout(link.graceTimer)
    link.graceTimer = null
    this.#links.delete(link.publicKeyHex)
    this.emit('disconnected', link, reason)
    this.#pexSoon()
    if (link.deferredPeers !== null) clearTimeout(link.deferredPeers.timer)
    link.deferredPeers = null
    if (code === CloseCode.LEFT_CHANNEL || code === CloseCode.NOT_INVITED || code === CloseCode.NOT_JOINED) this.#opts.pool.peers.unwant(link.publicKeyHex, this.#opts.channelId)
  }

  #knownPeers (exceptKeyHex: string): PeerAddress[] {
    const peers: PeerAddress[] = []
    for (const link of this.#links.values()) {
      if (link.publicKeyHex === exceptKeyHex || link.listenAddress === null) continue
      peers.push({ publicKey: link.publicKeyHex, host: link.listenAddress.host, port: link.listenAddress.port })
      if (peers.length >= MAX_PEERS_PER_LIST) break
    }
    return peers
  }

  /** Takes in a peer's list of its links, at most at PEX_RATE; a list over the rate replaces any waiting one. */
  #learnPeers (link: PeerLink, peers: PeerAddress[]): void {
    if (link.deferredPeers !== null) {
      link.deferredPeers.peers = peers
      return
    }
    if (link.pexBudget.tryTake()) {
      this.#takePeers(link, peers)
      return
    }
    link.deferredPeers = { peers, timer: this.#whenPexAllowed(link) }
  }

  /** Takes in the deferred list once the link's budget has a token (timers may fire a little early). */
  #whenPexAllowed (link: PeerLink): NodeJS.Timeout {
    return unrefTimer(() => {
      const deferred = link.deferredPeers
      if (deferred === null || this.#links.get(link.publicKeyHex) !== link) return
      if (!link.pexBudget.tryTake()) {
        deferred.timer = this.#whenPexAllowed(link)
        return
      }
      link.deferredPeers = null
      this.#takePeers(link, deferred.peers)
    }, Math.max(link.pexBudget.waitMs(), 1))
  }

  #takePeers (link: PeerLink, peers: PeerAddress[]): void {
    link.neighbours = new Set(peers.map(p => p.publicKey))
    for (const peer of peers) this.addCandidate(peer.host, peer.port, 'pex', peer.publicKey, link.publicKeyHex)
  }

  /**
   * Sends each peer our current links. Sent when a link comes (its first list), periodically and
   * soon after links come or go, so newcomers learn the whole mesh at once and everyone knows who
   * already hears whom directly.
   */
  #sendPex (): void {
    for (const link of this.#links.values()) link.session.send(encodePex({ peers: this.#knownPeers(link.publicKeyHex) }))
  }

  #pexSoon (): void {
    if (this.#pexRound !== null || this.#destroyed) return
    this.#pexRound = unrefTimer(() => {
      this.#pexRound = null
      this.#sendPex()
    }, PEX_CHANGE_DELAY_MS)
  }
}
