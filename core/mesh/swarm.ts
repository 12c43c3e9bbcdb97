import { EventEmitter } from 'node:events'
import net from 'node:net'
import { PeerSession, type SessionTimings } from './peer-session.ts'
import { isDialable, newPeerRecord, scheduleRetry, type PeerRecord, type PeerSource } from './peer-record.ts'
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
const MAX_CONCURRENT_DIALS = 8
/** Sessions from the same dialler completing this close together are a race, not a reconnect. */
const CONCURRENT_DIAL_WINDOW_MS = 5_000
const DUPLICATE = 'duplicate session'
/** How long the replacement of a session the peer closed as a duplicate may take to complete here. */
const DUPLICATE_GRACE_MS = 3_000
const DIAL_SLOT_WAIT_MS = 250

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
  readonly #timers = new Set<NodeJS.Timeout>()
  readonly #pexTimer: NodeJS.Timeout
  #destroyed = false
  #dialTimer: NodeJS.Timeout | null = null

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
    this.#maybeDial(record)
  }

  /** The record of an address, made (room permitting) when new; a sighting refreshes it. */
  #recordFor (host: string, port: number, source: PeerSource): PeerRecord | null {
    const key = formatHostPort(host, port)
    const now = Date.now()
    let record = this.#records.get(key)
    if (record === undefined) {
      if (!this.#makeRoom()) return null
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
    const link: PeerLink = existing ?? { session, publicKeyHex: keyHex, name: '', listenAddress: null, observedAddress: '', neighbours: new Set<string>(), graceTimer: null }
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
    if (this.#dialTimer !== null) clearTimeout(this.#dialTimer)
    for (const t of this.#timers) clearTimeout(t)
    this.#timers.clear()
    for (const session of this.#pending) session.close(reason)
    for (const link of [...this.#links.values()]) {
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

  #makeRoom (): boolean {
    const max = this.#opts.maxRecords ?? 500
    if (this.#records.size < max) return true
    let oldest: [string, PeerRecord] | null = null
    for (const entry of this.#records) {
      const kind = entry[1].status.kind
      if ((kind === 'idle' || kind === 'backoff') && (oldest === null || entry[1].lastSeenAt < oldest[1].lastSeenAt)) oldest = entry
    }
    if (oldest === null) return false
    this.#records.delete(oldest[0])
    return true
  }

  #maybeDial (record: PeerRecord): void {
    if (this.#destroyed || !isDialable(record, Date.now())) return
    // A retry timer outlives its record when #makeRoom evicts it: the address is forgotten, so is its dial.
    if (this.#records.get(formatHostPort(record.host, record.port)) !== record) return
    if (record.publicKey !== null && this.#links.has(record.publicKey)) { record.status = { kind: 'connected' }; return }
    if (this.#pending.size >= MAX_CONCURRENT_DIALS) {
      this.#dialLater()
      return
    }
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
      record.publicKey = info.remoteKeyHex
      record.failures = 0
      record.status = { kind: 'connected' }
      if (!this.attach(session)) this.#retryLater(record)
    })
    session.once('close', (reason) => {
      this.#pending.delete(session)
      if (session.established) return
      this.#opts.log.debug('dial failed', { address: formatHostPort(record.host, record.port), reason })
      this.#retryLater(record)
    })
  }

  /**
   * Addresses come from peers too, so a hostile member could hand us hundreds to make us scan
   * someone: dials beyond a few at once wait for a slot.
   */
  #dialLater (): void {
    if (this.#dialTimer !== null) return
    this.#dialTimer = unrefTimer(() => {
      this.#dialTimer = null
      for (const record of this.#records.values()) {
        if (this.#pending.size >= MAX_CONCURRENT_DIALS) break
        this.#maybeDial(record)
      }
      if (this.#pending.size >= MAX_CONCURRENT_DIALS) this.#dialLater()
    }, DIAL_SLOT_WAIT_MS)
  }

  #retryLater (record: PeerRecord): void {
    if (this.#destroyed || record.status.kind === 'self') return
    const delay = scheduleRetry(record, Date.now())
    const timer = unrefTimer(() => {
      this.#timers.delete(timer)
      this.#maybeDial(record)
    }, delay)
    this.#timers.add(timer)
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
        link.observedAddress = message.observedAddress
        if (message.tcpPort > 0) {
          link.listenAddress = { host: session.remoteHost, port: message.tcpPort }
          this.#markListening(session, message.tcpPort, link.publicKeyHex)
        }
        this.#learnPeers(link, message.peers)
        if (first) {
          this.emit('connected', link)
          this.#sendPex(link.publicKeyHex)
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

  /** Where a connected peer listens, so it is redialled there if the session drops; a dialled one already has its record. */
  #markListening (session: PeerSession, port: number, keyHex: string): void {
    const known = this.#records.get(formatHostPort(session.remoteHost, port))
    const record = known ?? (session.initiator ? null : this.#recordFor(session.remoteHost, port, 'incoming'))
    if (record === null) return
    record.publicKey = keyHex
    record.failures = 0
    record.status = { kind: 'connected' }
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
      this.#sendPex()
    }
    for (const record of this.#records.values()) {
      if (record.publicKey === link.publicKeyHex && record.status.kind === 'connected') this.#retryLater(record)
    }
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

  #learnPeers (link: PeerLink, peers: PeerAddress[]): void {
    link.neighbours = new Set(peers.map(p => p.publicKey))
    for (const peer of peers) this.addCandidate(peer.host, peer.port, 'pex', peer.publicKey)
  }

  /**
   * Sends each peer our current links. Sent periodically and whenever a link comes or goes, so
   * newcomers learn the whole mesh at once and everyone knows who already hears whom directly.
   */
  #sendPex (exceptKeyHex?: string): void {
    for (const link of this.#links.values()) {
      if (link.name === '' || link.publicKeyHex === exceptKeyHex) continue
      link.session.send(encodePex({ peers: this.#knownPeers(link.publicKeyHex) }))
    }
  }
}
