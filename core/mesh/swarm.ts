import { EventEmitter } from 'node:events'
import type { PeerSession, SessionTimings } from './peer-session.ts'
import type { PeerRecord, PeerSource } from './peer-record.ts'
import { Dialler } from './dialler.ts'
import type { OutboundBudget } from './connection-budget.ts'
import { TokenBucket, type BucketRate } from '../limits/token-bucket.ts'
import { unrefTimer } from '../timers.ts'
import { preferCandidate, type ConnectionFacts } from '../connection/replace-policy.ts'
import { isUnicast, parseHostPort } from '../wire/address.ts'
import { encodeHello, encodePex, MAX_PEERS_PER_LIST, type PeerAddress, type WireMessage } from '../wire/messages.ts'
import type { LocalIdentity } from '../session/secure-connection.ts'
import type { Logger } from '../log.ts'

/** A member of the channel with whom we have an established session that has said HELLO. */
export interface PeerLink {
  /** Replaced when a duplicate session wins the tie-break; the link (and the peer's identity) stays. */
  session: PeerSession
  readonly publicKeyHex: string
  name: string
  /** Where the peer listens (its address as we see it, with the TCP port it announced), if it listens. */
  listenAddress: { host: string; port: number } | null
  observedAddress: string
  /** The members this peer last said it is connected to (its HELLO and PEX lists are full snapshots). */
  neighbours: Set<string>
  /** Running while the peer's replacement for a session it closed as a duplicate is awaited. */
  graceTimer: NodeJS.Timeout | null
  /** Peer lists (HELLO, PEX) this peer may still make us process; see PEX_RATE. */
  readonly pexBudget: TokenBucket
  /** The latest list that came over the rate, handled when the budget allows. */
  deferredPeers: { peers: PeerAddress[]; timer: NodeJS.Timeout } | null
}

export interface SwarmOptions {
  psk: Uint8Array
  identity: LocalIdentity
  ownKeyHex: string
  /** Invite-only channels admit only listed keys. */
  isAllowed: (publicKeyHex: string) => boolean
  /** Our own HELLO fields, read fresh for every session. */
  localInfo: () => { name: string; tcpPort: number; udpPort: number }
  isSelfAddress: (host: string, port: number) => boolean
  log: Logger
  timings?: SessionTimings
  maxRecords?: number
  /** Shared by every channel of the node, so that dialling cannot use up its descriptors. */
  outbound?: OutboundBudget
}

interface SwarmEvents {
  connected: [PeerLink]
  /** A session that replaced a link's earlier one said HELLO: what was in flight on the old one is lost. */
  resumed: [PeerLink]
  /** A HELLO again on the same session: the peer's name (or ports, or peers) changed. */
  updated: [PeerLink]
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
 * Peer lists a peer may make us process: a few at once (a newcomer's HELLO, then links coming and
 * going), one every 5 s on average. A list over the rate is not lost: the latest one waits its turn.
 */
export const PEX_RATE: BucketRate = { ratePerSecond: 1 / 5, burst: 3 }
const DUPLICATE = 'duplicate session'
/** How long the replacement of a session the peer closed as a duplicate may take to complete here. */
const DUPLICATE_GRACE_MS = 3_000

/**
 * The full mesh of one channel: every address we learn goes to the dialler, every established
 * session is kept at one per identity (duplicates settled by comparing keys, as hyperswarm does),
 * lost links are redialled, and members tell each other whom they hear (PEX).
 */
export class ChannelSwarm extends EventEmitter<SwarmEvents> {
  readonly #opts: SwarmOptions
  readonly #links = new Map<string, PeerLink>()
  readonly #dialler: Dialler
  readonly #greeted = new WeakSet<PeerSession>()
  readonly #pexTimer: NodeJS.Timeout
  #destroyed = false
  #pexRound: NodeJS.Timeout | null = null

  constructor (opts: SwarmOptions) {
    super()
    this.#opts = opts
    this.#dialler = new Dialler({
      psk: opts.psk,
      identity: opts.identity,
      ownKeyHex: opts.ownKeyHex,
      log: opts.log,
      timings: opts.timings,
      maxRecords: opts.maxRecords,
      outbound: opts.outbound,
      isLinked: (key) => this.#links.has(key),
      onEstablished: (session) => this.attach(session)
    })
    this.#pexTimer = setInterval(() => { this.#sendPex() }, PEX_INTERVAL_MS)
    this.#pexTimer.unref()
  }

  get links (): PeerLink[] { return [...this.#links.values()] }
  get records (): PeerRecord[] { return this.#dialler.records }

  /** A discovered address: remember it and dial it unless we already have that peer. */
  addCandidate (host: string, port: number, source: PeerSource, publicKeyHex: string | null = null, introducer: string | null = null): void {
    if (this.#destroyed || port < 1 || port > 65535) return
    if (publicKeyHex === this.#opts.ownKeyHex || this.#opts.isSelfAddress(host, port)) return
    this.#dialler.add(host, port, source, publicKeyHex, introducer)
  }

  /**
   * Takes an established session (dialled by us, or accepted by the listener) into the mesh.
   * Returns false when it was refused (channel left, ourselves, not invited) rather than kept or
   * settled as a duplicate.
   */
  attach (session: PeerSession): boolean {
    const keyHex = session.remoteKeyHex
    if (this.#destroyed) { session.close('channel left', true); return false }
    if (keyHex === this.#opts.ownKeyHex) { session.close('connected to ourselves'); return false }
    if (!this.#opts.isAllowed(keyHex)) {
      this.#opts.log.info('rejected peer not invited to this channel', { peer: keyHex.slice(0, 16) })
      session.close('not invited to this channel', true)
      return false
    }
    if (session.closed) return false
    const existing = this.#links.get(keyHex)
    if (existing !== undefined) {
      if (!existing.session.closed && !this.#preferNew(existing.session, session)) { session.close(DUPLICATE, true); return true }
      existing.session.removeAllListeners('close')
      existing.session.close(DUPLICATE, true)
      if (existing.graceTimer !== null) clearTimeout(existing.graceTimer)
      existing.graceTimer = null
    }
    const link: PeerLink = existing ?? { session, publicKeyHex: keyHex, name: '', listenAddress: null, observedAddress: '', neighbours: new Set<string>(), graceTimer: null, pexBudget: new TokenBucket(PEX_RATE), deferredPeers: null }
    link.session = session
    this.#links.set(keyHex, link)
    session.on('message', (message) => { this.#onMessage(link, session, message) })
    session.on('close', (reason) => { this.#onClose(link, session, reason) })
    this.#sendHello(link)
    return true
  }

  /** Says HELLO again on every link, so peers already connected learn a new name at once. */
  resendHello (): void {
    for (const link of this.#links.values()) this.#sendHello(link)
  }

  #sendHello (link: PeerLink): void {
    const local = this.#opts.localInfo()
    link.session.send(encodeHello({
      version: 1,
      name: local.name,
      tcpPort: local.tcpPort,
      udpPort: local.udpPort,
      observedAddress: link.session.address,
      peers: this.#knownPeers(link.publicKeyHex)
    }))
  }

  /** Every way an address of this peer reached us ('incoming' alone when it only ever dialled us). */
  sourcesOf (publicKeyHex: string): PeerSource[] {
    const sources = new Set<PeerSource>()
    for (const record of this.#dialler.records) {
      if (record.publicKey === publicKeyHex) for (const s of record.sources) sources.add(s)
    }
    if (sources.size === 0) sources.add('incoming')
    return [...sources]
  }

  broadcast (frame: Uint8Array): void {
    for (const link of this.#links.values()) {
      if (link.name !== '') link.session.send(frame)
    }
  }

  /**
   * Floods a message onward: to every peer but the one it came from and those that hear its author
   * directly (the author sent it to them itself). Who hears whom comes from PEX snapshots, which can
   * lag; the periodic SYNC repairs what a stale view misses.
   */
  relay (frame: Uint8Array, authorKeyHex: string, fromKeyHex: string): void {
    for (const link of this.#links.values()) {
      if (link.name === '' || link.publicKeyHex === fromKeyHex || link.publicKeyHex === authorKeyHex) continue
      if (fromKeyHex === authorKeyHex && link.neighbours.has(authorKeyHex)) continue
      link.session.send(frame)
    }
  }

  destroy (reason: string): void {
    if (this.#destroyed) return
    this.#destroyed = true
    clearInterval(this.#pexTimer)
    if (this.#pexRound !== null) clearTimeout(this.#pexRound)
    this.#dialler.destroy(reason)
    for (const link of [...this.#links.values()]) {
      if (link.deferredPeers !== null) clearTimeout(link.deferredPeers.timer)
      if (link.graceTimer !== null) this.#drop(link, reason)
      else link.session.close(reason, true)
    }
  }

  /** Of two sessions with the same peer, whether both ends keep the new one (see replace-policy.ts). */
  #preferNew (old: PeerSession, candidate: PeerSession): boolean {
    const facts = (s: PeerSession): ConnectionFacts => ({ transport: 'tcp', dialledBy: s.initiator ? 'us' : 'them', establishedAt: s.establishedAt, handshakeHash: s.handshakeHash })
    return preferCandidate(facts(old), facts(candidate), { ours: this.#opts.ownKeyHex, theirs: candidate.remoteKeyHex })
  }

  #onMessage (link: PeerLink, session: PeerSession, message: WireMessage): void {
    if (this.#links.get(link.publicKeyHex)?.session !== session) return
    switch (message.type) {
      case 'hello': {
        const first = link.name === ''
        const newSession = !this.#greeted.has(session)
        this.#greeted.add(session)
        // An empty name would make a greeted link look like one still waiting for HELLO.
        if (first || message.name !== '') link.name = message.name
        // Where the peer says it sees us: only an address a host could have counts (it feeds network.status now, NAT checks later).
        const observed = parseHostPort(message.observedAddress)
        link.observedAddress = observed !== null && isUnicast(observed.host) ? message.observedAddress : ''
        if (message.tcpPort > 0) {
          link.listenAddress = { host: session.remoteHost, port: message.tcpPort }
          this.#dialler.markListening(session.remoteHost, message.tcpPort, link.publicKeyHex, !session.initiator)
        }
        this.#learnPeers(link, message.peers)
        if (first) {
          this.emit('connected', link)
          this.#pexSoon()
        } else if (newSession) {
          this.emit('resumed', link)
        } else {
          this.emit('updated', link)
        }
        return
      }
      case 'pex':
        this.#learnPeers(link, message.peers)
        return
      default:
        if (link.name !== '') this.emit('message', link, message)
    }
  }

  #onClose (link: PeerLink, session: PeerSession, reason: string): void {
    if (this.#links.get(link.publicKeyHex)?.session !== session) return
    // The peer dropped this session for a duplicate we may not have seen complete yet: give the
    // winner a moment to arrive, so a settled race is not a disconnect and a reconnect.
    if (session.peerCloseReason === DUPLICATE) {
      link.graceTimer = unrefTimer(() => {
        link.graceTimer = null
        this.#drop(link, `${reason}, and no replacement arrived`)
      }, DUPLICATE_GRACE_MS)
      return
    }
    this.#drop(link, reason)
  }

  /** The peer is gone: forget the link, tell the room, and redial where it listens. */
  #drop (link: PeerLink, reason: string): void {
    if (link.graceTimer !== null) clearTimeout(link.graceTimer)
    link.graceTimer = null
    this.#links.delete(link.publicKeyHex)
    if (link.name !== '') {
      this.emit('disconnected', link, reason)
      this.#pexSoon()
    }
    if (link.deferredPeers !== null) clearTimeout(link.deferredPeers.timer)
    link.deferredPeers = null
    this.#dialler.linkLost(link.publicKeyHex)
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
   * Sends each peer our current links. Sent periodically and soon after links come or go, so
   * newcomers learn the whole mesh at once and everyone knows who already hears whom directly.
   */
  #sendPex (): void {
    for (const link of this.#links.values()) {
      if (link.name === '') continue
      link.session.send(encodePex({ peers: this.#knownPeers(link.publicKeyHex) }))
    }
  }

  #pexSoon (): void {
    if (this.#pexRound !== null || this.#destroyed) return
    this.#pexRound = unrefTimer(() => {
      this.#pexRound = null
      this.#sendPex()
    }, PEX_CHANGE_DELAY_MS)
  }
}
