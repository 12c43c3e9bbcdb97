import { EventEmitter } from 'node:events'
import net from 'node:net'
import { PeerSession, type SessionTimings } from './peer-session.ts'
import { markConnected, newPeerRecord, scheduleRetry, type PeerRecord, type PeerSource } from './peer-record.ts'
import { admitRecord, chooseDials, nextDueAt } from './dial-policy.ts'
import type { OutboundBudget } from './connection-budget.ts'
import { TokenBucket, type BucketRate } from '../limits/token-bucket.ts'
import { formatHostPort } from '../wire/address.ts'
import { unrefTimer } from '../timers.ts'
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
  disconnected: [PeerLink, string]
  message: [PeerLink, WireMessage]
}

const PEX_INTERVAL_MS = 60_000
/**
 * Links that come and go are told to everyone in one PEX round at most this often: a round per change
 * would send every link a list for every other link that joins, n² lists when many join at once.
 */
const PEX_CHANGE_DELAY_MS = 2_000
const MAX_CONCURRENT_DIALS = 8
/** Dials in flight to one host: a host announcing many ports gets no more of the slots than this. */
const MAX_DIALS_PER_HOST = 2
const MAX_RECORDS = 500
const MAX_RECORDS_PER_ORIGIN = 128
const MAX_RECORDS_PER_HOST = 32
/**
 * Peer lists a peer may make us process: a few at once (a newcomer's HELLO, then links coming and
 * going), one every 5 s on average. A list over the rate is not lost: the latest one waits its turn.
 */
export const PEX_RATE: BucketRate = { ratePerSecond: 1 / 5, burst: 3 }
/** When the node-wide dial budget is spent, dialling is tried again this often. */
const BUDGET_RETRY_MS = 1_000
/** Sessions from the same dialler completing this close together are a race, not a reconnect. */
const CONCURRENT_DIAL_WINDOW_MS = 5_000
const DUPLICATE = 'duplicate session'
/** How long the replacement of a session the peer closed as a duplicate may take to complete here. */
const DUPLICATE_GRACE_MS = 3_000

/**
 * The full mesh of one channel: every address we learn is dialled, every established session is
 * kept at one per identity (duplicates settled by comparing keys, as hyperswarm does), and lost
 * links are redialled with capped, jittered backoff.
 */
export class ChannelSwarm extends EventEmitter<SwarmEvents> {
  readonly #opts: SwarmOptions
  readonly #records = new Map<string, PeerRecord>()
  readonly #links = new Map<string, PeerLink>()
  readonly #pending = new Set<PeerSession>()
  readonly #greeted = new WeakSet<PeerSession>()
  readonly #pexTimer: NodeJS.Timeout
  #destroyed = false
  /** Wakes the dial loop when the next address in backoff is due. */
  #dialTimer: NodeJS.Timeout | null = null
  #dialTimerAt = Infinity
  #dialQueued = false
  #pexRound: NodeJS.Timeout | null = null

  constructor (opts: SwarmOptions) {
    super()
    this.#opts = opts
    this.#pexTimer = setInterval(() => { this.#sendPex() }, PEX_INTERVAL_MS)
    this.#pexTimer.unref()
  }

  get links (): PeerLink[] { return [...this.#links.values()] }
  get records (): PeerRecord[] { return [...this.#records.values()] }

  /** A discovered address: remember it and dial it unless we already have that peer. */
  addCandidate (host: string, port: number, source: PeerSource, publicKeyHex: string | null = null): void {
    if (this.#destroyed || port < 1 || port > 65535) return
    if (publicKeyHex === this.#opts.ownKeyHex || this.#opts.isSelfAddress(host, port)) return
    const record = this.#recordFor(host, port, source)
    if (record === null) return
    if (publicKeyHex !== null && record.publicKey === null) record.publicKey = publicKeyHex
    this.#dialSoon()
  }

  /** One dial round for a whole list of addresses learnt together (a PEX, a tracker answer). */
  #dialSoon (): void {
    if (this.#dialQueued) return
    this.#dialQueued = true
    queueMicrotask(() => {
      this.#dialQueued = false
      this.#dialSome()
    })
  }

  /** The record of an address, made (room permitting) when new; a sighting refreshes it. */
  #recordFor (host: string, port: number, source: PeerSource): PeerRecord | null {
    const key = formatHostPort(host, port)
    const now = Date.now()
    let record = this.#records.get(key)
    if (record === undefined) {
      const limits = { max: this.#opts.maxRecords ?? MAX_RECORDS, maxPerOrigin: MAX_RECORDS_PER_ORIGIN, maxPerHost: MAX_RECORDS_PER_HOST }
      const admission = admitRecord([...this.#records.values()], { host, origin: source }, limits)
      if (admission.kind === 'refuse') {
        this.#opts.log.debug('ignored an address', { address: key, reason: admission.reason })
        return null
      }
      for (const victim of admission.evict) this.#records.delete(formatHostPort(victim.host, victim.port))
      record = newPeerRecord(host, port, source, now)
      this.#records.set(key, record)
    } else {
      record.sources.add(source)
      record.lastSeenAt = now
    }
    return record
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
    const local = this.#opts.localInfo()
    session.send(encodeHello({
      version: 1,
      name: local.name,
      tcpPort: local.tcpPort,
      udpPort: local.udpPort,
      observedAddress: session.address,
      peers: this.#knownPeers(keyHex)
    }))
    return true
  }

  /** Every way an address of this peer reached us ('incoming' alone when it only ever dialled us). */
  sourcesOf (publicKeyHex: string): PeerSource[] {
    const sources = new Set<PeerSource>()
    for (const record of this.#records.values()) {
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
    if (this.#dialTimer !== null) clearTimeout(this.#dialTimer)
    for (const session of this.#pending) session.close(reason)
    for (const link of [...this.#links.values()]) {
      if (link.deferredPeers !== null) clearTimeout(link.deferredPeers.timer)
      if (link.graceTimer !== null) this.#drop(link, reason)
      else link.session.close(reason, true)
    }
  }

  /**
   * Of two sessions with the same peer, both sides keep the one dialled by the lower key. Two
   * dialled by the same side (the peer was found at two addresses) may complete in a different
   * order at each end, so while they are that close both ends compare handshake hashes, which
   * they share; a session replacing an older one is a reconnect, and the newer one wins.
   */
  #preferNew (old: PeerSession, candidate: PeerSession): boolean {
    const dialler = (s: PeerSession): string => s.initiator ? this.#opts.ownKeyHex : s.remoteKeyHex
    const a = dialler(old)
    const b = dialler(candidate)
    if (a !== b) return b < a
    if (candidate.establishedAt - old.establishedAt > CONCURRENT_DIAL_WINDOW_MS) return true
    return Buffer.compare(candidate.handshakeHash, old.handshakeHash) < 0
  }

  /**
   * Starts the dials the policy picks for the free slots, and sets a timer for when the next
   * address in backoff is due. Called whenever an address is learnt or a dial or link ends.
   */
  #dialSome (): void {
    if (this.#destroyed) return
    const now = Date.now()
    const records = [...this.#records.values()]
    for (const record of records) {
      // An address of a peer we are linked with elsewhere is not dialled again while the link lasts.
      if (record.publicKey !== null && this.#links.has(record.publicKey) && record.status.kind !== 'connecting' && record.status.kind !== 'self') record.status = { kind: 'connected' }
    }
    const slots = MAX_CONCURRENT_DIALS - this.#pending.size
    for (const record of chooseDials(records, now, { slots, maxPerHost: MAX_DIALS_PER_HOST })) {
      if (!this.#dial(record)) {
        this.#wakeAt(now + BUDGET_RETRY_MS)
        return
      }
    }
    const due = nextDueAt(records)
    if (due !== null) this.#wakeAt(due)
  }

  #wakeAt (at: number): void {
    if (this.#dialTimer !== null && this.#dialTimerAt <= at) return
    if (this.#dialTimer !== null) clearTimeout(this.#dialTimer)
    this.#dialTimerAt = at
    this.#dialTimer = unrefTimer(() => {
      this.#dialTimer = null
      this.#dialTimerAt = Infinity
      this.#dialSome()
    }, Math.max(0, at - Date.now()))
  }

  /** Dials one address; false when the node-wide budget has no room for another connection. */
  #dial (record: PeerRecord): boolean {
    const budget = this.#opts.outbound
    if (budget !== undefined && !budget.tryAcquire()) return false
    record.status = { kind: 'connecting' }
    const socket = net.connect({ host: record.host, port: record.port })
    const session = new PeerSession({ socket, initiator: true, remote: { host: record.host, port: record.port }, identity: this.#opts.identity, psks: [this.#opts.psk], log: this.#opts.log, timings: this.#opts.timings })
    this.#pending.add(session)
    session.once('established', (info) => {
      this.#pending.delete(session)
      if (info.remoteKeyHex === this.#opts.ownKeyHex) {
        record.status = { kind: 'self' }
        session.close('dialled ourselves')
        return
      }
      markConnected(record, info.remoteKeyHex, Date.now())
      if (!this.attach(session)) this.#retryLater(record)
      this.#dialSome()
    })
    // Released when the socket is gone, which may be a moment after the session (see PeerSession.close).
    socket.once('close', () => { budget?.release() })
    session.once('close', (reason) => {
      this.#pending.delete(session)
      if (session.established) return
      this.#opts.log.debug('dial failed', { address: formatHostPort(record.host, record.port), reason })
      this.#retryLater(record)
      this.#dialSome()
    })
    return true
  }

  #retryLater (record: PeerRecord): void {
    if (this.#destroyed || record.status.kind === 'self') return
    scheduleRetry(record, Date.now())
  }

  #onMessage (link: PeerLink, session: PeerSession, message: WireMessage): void {
    if (this.#links.get(link.publicKeyHex)?.session !== session) return
    switch (message.type) {
      case 'hello': {
        const first = link.name === ''
        const newSession = !this.#greeted.has(session)
        this.#greeted.add(session)
        link.name = message.name
        link.observedAddress = message.observedAddress
        if (message.tcpPort > 0) {
          link.listenAddress = { host: session.remoteHost, port: message.tcpPort }
          this.#markListening(session, message.tcpPort, link.publicKeyHex)
        }
        this.#learnPeers(link, message.peers)
        if (first) {
          this.emit('connected', link)
          this.#pexSoon()
        } else if (newSession) {
          this.emit('resumed', link)
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

  /** Where a connected peer listens, so it is redialled there if the session drops; a dialled one already has its record. */
  #markListening (session: PeerSession, port: number, keyHex: string): void {
    const known = this.#records.get(formatHostPort(session.remoteHost, port))
    const record = known ?? (session.initiator ? null : this.#recordFor(session.remoteHost, port, 'incoming'))
    if (record === null) return
    markConnected(record, keyHex, Date.now())
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
    for (const record of this.#records.values()) {
      if (record.publicKey === link.publicKeyHex && record.status.kind === 'connected') this.#retryLater(record)
    }
    this.#dialSome()
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
    for (const peer of peers) this.addCandidate(peer.host, peer.port, 'pex', peer.publicKey)
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
