import { Connection, DEFAULT_TIMINGS, type ConnectionTimings } from '../connection/connection.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { Priority, type CloseInfo, type Stream, type StreamPriority } from '../connection/mux-stream.ts'
import { preferCandidate, type ConnectionFacts } from '../connection/replace-policy.ts'
import { tcpTransport } from '../transport/tcp.ts'
import { dialRoute } from '../transport/direct-dial.ts'
import type { RawStream, Route, Transport, TransportKind } from '../transport/raw-stream.ts'
import { ConnectionListener } from './listener.ts'
import { NOT_IN_CHANNEL, PeerBook } from './peer-book.ts'
import type { DialOutcome } from './dial-outcome.ts'
import { DialsInFlight } from './dials-in-flight.ts'
import { attachProof } from './attach-proof.ts'
import { CHANNEL_PROTOCOLS, TopicLink, type ChannelProtocol } from './topic-link.ts'
import type { InboundLimits } from '../mesh/inbound-gate.ts'
import type { OutboundBudget } from '../mesh/connection-budget.ts'
import { toHex, fromHex } from '../codec/hex.ts'
import { bytesEqual } from '../codec/bytes.ts'
import { unrefTimer } from '../timers.ts'
import type { LocalIdentity } from '../session/secure-connection.ts'
import type { Logger } from '../log.ts'

/** A joined channel, as the pool sees it. */
export interface PoolTopic {
  readonly channelId: string
  /** What dials and offers prove: the PSK of the channel's current epoch (PROTOCOL §4.10). */
  readonly psk: Uint8Array
  /** PSKs of the channel's older epochs still accepted from listed members (none for most channels). */
  olderPsks?: () => Uint8Array[]
  /** Invite-only channels take only listed keys. */
  isAllowed (keyHex: string): boolean
  /** A member's link for this channel is up (a first one, or one replacing an earlier one), named by the current PSK or an older one. */
  attach (link: TopicLink, atCurrent: boolean): void
}

export interface PoolOptions {
  identity: LocalIdentity
  log: Logger
  timings?: ConnectionTimings
  inbound?: InboundLimits
  outbound?: OutboundBudget
  /** Our signed profile, sent on every connection once its handshake is done. */
  profile: () => Uint8Array
  onProfile: (keyHex: string, record: Uint8Array) => void
  /** The peer says how it sees our address, over `connection`. */
  onObserved: (keyHex: string, address: string, connection: Connection) => void
  /** No connection to this peer is kept any more: what it told us of itself goes. */
  onGone: (keyHex: string) => void
  /** A connection to this peer is kept now, where none was. */
  onConnected?: (keyHex: string) => void
  /** A connection was kept, new or replacing another to the same peer. */
  onAdopted?: (connection: Connection) => void
  /** Someone dialled us and finished a handshake: our port is reachable from where they are. */
  onReachable?: () => void
  /** A peer the user blocked: its connections are closed as soon as its key is known. */
  isBlocked?: (keyHex: string) => boolean
  /**
   * A peer opened a stream for a channel we have not joined: true when the node joined it just now
   * (our private channel with that peer, which it may open without asking).
   */
  onUnknownTopic?: (keyHex: string, topic: Uint8Array, handshakeHash: Uint8Array) => boolean
  /** How our dials reach a TCP address now: straight, or through the proxy the user set. TCP unless given. */
  transport?: () => Transport
  /** UDP streams over the node's UDP socket; null while it has none (behind a proxy, hiding our address). */
  udp?: () => Transport | null
  /** A peer opened a stream of another protocol than a channel's (a relay's): true when it was taken. */
  onOtherStream?: (connection: Connection, stream: Stream) => boolean
  /** False: incoming connections are refused as they arrive. */
  acceptIncoming?: () => boolean
  /** Reaches a peer through another member, when it has no direct route or they failed (PROTOCOL §3.7). */
  relayDial?: (keyHex: string, channelId: string) => Promise<DialOutcome>
  /**
   * Whether a direct dial may reach this key (null: an address whose owner is not known); false sends
   * the peer book through `relayDial` and keeps the channels' diallers off the address. `hearsay`: only
   * another member said that key is there. All may unless given.
   */
  directAllowed?: (keyHex: string | null, hearsay?: boolean) => boolean
  /**
   * Whether a connection that just finished its handshake may be kept on the path it took: false for a
   * direct one while the node hides where it is (a proxy, or 'hide my IP' and not a contact), which a
   * dial under way when that was set would otherwise keep.
   */
  mayKeep?: (connection: Connection) => boolean
}

const PRIORITY: Record<ChannelProtocol, StreamPriority> = { messages: Priority.CHAT, pex: Priority.CHAT, sync: Priority.SYNC }
/** A connection that carries no channel (none in common, or all left) is closed after this. */
const IDLE_CLOSE_MS = 5_000
/** How long a dial waits for the channel it was for to be linked once the handshake is done. */
const LINK_WAIT_MS = 10_000

interface Pooled {
  readonly connection: Connection
  /** The attach proof of each of our channels on this connection, by hex proof. */
  readonly proofs: Map<string, string>
  /** Channels whose every accepted proof is in `proofs`. */
  readonly proven: Set<string>
  /** Channels offered or being assembled, by channel id: the streams open so far. */
  readonly assembling: Map<string, Partial<Record<ChannelProtocol, Stream>>>
  readonly links: Map<string, TopicLink>
  /** Dials waiting for a channel to be linked here, or refused. */
  readonly waiting: Map<string, Array<(outcome: DialOutcome) => void>>
  /** The peer's streams accepted before their channel was linked, with what ends it if they speak too soon. */
  readonly unlinked: Map<Stream, () => void>
  idleTimer: NodeJS.Timeout | null
}

/**
 * One connection per peer identity, whatever channels are shared with it (PROTOCOL §3.5). A dial
 * goes out with the PSK of the channel it was found for; once the handshake is done, each side
 * offers every channel it has joined by opening that channel's streams, named by an attach proof
 * only holders of the channel's PSK can make; a channel both have becomes a TopicLink for its room.
 * Two connections to one identity are settled by the replace policy; a connection left with no
 * channel is closed.
 */
export class ConnectionPool {
  /** What we know of each peer identity, and the redials of those lost. */
  readonly peers: PeerBook
  readonly #opts: PoolOptions
  readonly #ownKeyHex: string
  readonly #topics = new Map<string, PoolTopic>()
  readonly #connections = new Map<string, Pooled>()
  readonly #dialling = new DialsInFlight()
  /** Our dials that finished their handshake, only to be closed as duplicates. */
  #duplicates = 0
  readonly #listener: ConnectionListener
  #closed = false

  /** The connection whose peer offered a channel we are joining because of that offer. */
  #answering: Pooled | null = null
  constructor (opts: PoolOptions) {
    this.#opts = opts
    this.#ownKeyHex = toHex(opts.identity.publicKey)
    this.peers = new PeerBook({
      dial: async (route, channelId, keyHex) => await this.dial(route, channelId, keyHex),
      offer: (keyHex, channelId) => this.offerTo(keyHex, channelId),
      hasChannel: (channelId) => this.#topics.has(channelId),
      log: opts.log,
      ...(opts.relayDial === undefined ? {} : { relay: opts.relayDial }),
      ...(opts.directAllowed === undefined ? {} : { directAllowed: opts.directAllowed }),
      ...(opts.isBlocked === undefined ? {} : { isBlocked: opts.isBlocked })
    })
    this.#listener = new ConnectionListener({
      identity: opts.identity,
      psks: () => this.#acceptedPsks(),
      onEstablished: (connection) => {
        this.#opts.onReachable?.()
        this.#adopt(connection)
      },
      log: opts.log,
      timings: opts.timings,
      limits: opts.inbound,
      ...(opts.acceptIncoming === undefined ? {} : { accepting: opts.acceptIncoming })
    })
  }

  get port (): number { return this.#listener.port }
  get listenerCounts (): { pending: number; established: number } { return this.#listener.counts }
  get connections (): Connection[] { return [...this.#connections.values()].map(p => p.connection) }
  /**
   * Our dials that finished their handshake and were then closed because another connection to the
   * same peer was kept (counted by the dialling end only, so a mesh's total is the sum over its nodes).
   */
  get duplicates (): number { return this.#duplicates }

  async listen (port: number, host?: string): Promise<number> { return await this.#listener.listen(port, host) }
  /** A stream someone opened to us another way than TCP (a UDP stream); `arranged` when we agreed to it (a hole punch). */
  acceptStream (stream: RawStream, arranged = false): void { this.#listener.accept(stream, arranged) }
  async stopListening (): Promise<void> { await this.#listener.close() }

  /** The channels linked with this peer now. */
  channelsWith (keyHex: string): string[] {
    return [...this.#connections.get(keyHex)?.links.keys() ?? []]
  }

  /** The connection kept to this peer, if any. */
  connectionTo (keyHex: string): Connection | undefined {
    return this.#connections.get(keyHex)?.connection
  }

  addTopic (topic: PoolTopic): void {
    this.#topics.set(topic.channelId, topic)
    for (const pooled of this.#connections.values()) if (pooled !== this.#answering) this.#offer(pooled, topic)
  }

  /** The channel is left: its links everywhere end (LEFT_CHANNEL); connections left with nothing close. */
  removeTopic (channelId: string): void {
    this.#topics.delete(channelId)
    this.peers.forgetChannel(channelId)
    for (const pooled of this.#connections.values()) {
      forgetProofs(pooled, channelId)
      const streams = pooled.assembling.get(channelId)
      pooled.assembling.delete(channelId)
      for (const stream of Object.values(streams ?? {})) pooled.connection.reset(stream, CloseCode.LEFT_CHANNEL)
      pooled.links.get(channelId)?.close(CloseCode.LEFT_CHANNEL, 'channel left')
      this.#idleCheck(pooled)
    }
  }

  /**
   * The channel moved to a new epoch, or stopped accepting an older one: its proofs are made anew on
   * every connection, and it is offered with the new one where it is not linked (a member that refused
   * the old proof may take this one).
   */
  rekeyTopic (channelId: string): void {
    const topic = this.#topics.get(channelId)
    if (topic === undefined) return
    for (const pooled of this.#connections.values()) {
      forgetProofs(pooled, channelId)
      if (pooled !== this.#answering) this.#offer(pooled, topic)
    }
  }

  /** Offers a channel on the connection already kept to `keyHex` (a member of it we know there); false when there is none. */
  offerTo (keyHex: string, channelId: string): boolean {
    const pooled = this.#connections.get(keyHex)
    const topic = this.#topics.get(channelId)
    if (pooled === undefined || topic === undefined || pooled.connection.closed || !topic.isAllowed(keyHex)) return false
    // The peer is offering this channel there right now: it is being linked, not to be offered back.
    if (pooled !== this.#answering) this.#offer(pooled, topic)
    return true
  }

  /** Sends our profile again on every connection (the name or the listen port changed). */
  announceProfile (): void {
    const record = this.#opts.profile()
    for (const pooled of this.#connections.values()) pooled.connection.sendProfile(record)
  }

  /**
   * Dials `route` for `channelId`, expecting `expectedKey` there when another member named it.
   * Settles once the handshake is done (or failed); the channel is then offered on whichever
   * connection to that peer is kept.
   */
  async dial (route: Route, channelId: string, expectedKey: string | null): Promise<DialOutcome> {
    const topic = this.#topics.get(channelId)
    if (topic === undefined || this.#closed) return { kind: 'failed', code: CloseCode.LEFT_CHANNEL, reason: 'channel left' }
    // Already connected to the peer named (another channel's dial, or it dialled us): a second
    // connection would only replace that one; the channel is offered there instead.
    const existing = this.#keptTo(expectedKey)
    if (existing !== undefined) return await this.#offerOn(existing, topic)
    const budget = this.#opts.outbound
    if (budget !== undefined && !budget.tryAcquire()) return { kind: 'busy' }
    const timings = this.#opts.timings ?? DEFAULT_TIMINGS
    let stream
    try {
      stream = await dialRoute(route, { tcp: this.#opts.transport?.() ?? tcpTransport, udp: this.#opts.udp?.() ?? null, timeoutMs: timings.connectTimeoutMs })
    } catch (err) {
      budget?.release()
      return { kind: 'failed', code: null, reason: (err as Error).message }
    }
    // Released when the stream is gone, which may be a moment after the connection (see Connection.close).
    stream.once('close', () => { budget?.release() })
    if (this.#closed) {
      stream.destroy()
      return { kind: 'failed', code: CloseCode.SHUTTING_DOWN, reason: 'shutting down' }
    }
    return await this.#handshake(stream, topic, expectedKey)
  }

  /**
   * Dials over a stream some other way gave (a relay's circuit, a punched path) for `channelId`,
   * expecting `expectedKey`: settles as dial() does. The stream is ours to close. `replacing`: meant to
   * take the place of the connection we hold to that peer (a direct path for a relayed one), which the
   * duplicate rule then weighs, instead of giving way to it.
   */
  async dialOver (stream: RawStream, channelId: string, expectedKey: string, opts: { replacing?: boolean } = {}): Promise<DialOutcome> {
    const topic = this.#topics.get(channelId)
    if (topic === undefined || this.#closed) {
      stream.destroy()
      return { kind: 'failed', code: CloseCode.LEFT_CHANNEL, reason: 'channel left' }
    }
    return await this.#handshake(stream, topic, expectedKey, opts.replacing === true)
  }

  /**
   * Answers a handshake over a stream some other way gave (a relay's circuit), with the PSK of every
   * joined channel and `extraPsks` (a channel not joined yet, which the dialler may offer and we join
   * then). The connection is kept once established, when it proved `expectedKey`; otherwise it is
   * closed (UNEXPECTED_IDENTITY).
   */
  respondOver (stream: RawStream, expectedKey: string, extraPsks: readonly Uint8Array[] = []): Connection {
    const connection = new Connection({ stream, initiator: false, identity: this.#opts.identity, psks: [...this.#acceptedPsks(), ...extraPsks], log: this.#opts.log, timings: this.#opts.timings })
    connection.once('established', ({ remoteKeyHex }) => {
      if (remoteKeyHex === expectedKey) this.#adopt(connection)
      else connection.close(CloseCode.UNEXPECTED_IDENTITY, 'not the key the relay named')
    })
    return connection
  }

  async #handshake (stream: RawStream, topic: PoolTopic, expectedKey: string | null, replacing = false): Promise<DialOutcome> {
    const channelId = topic.channelId
    // The peer may have reached us while we were connecting: no handshake to end as a duplicate.
    const arrived = replacing ? undefined : this.#keptTo(expectedKey)
    if (arrived !== undefined) {
      stream.destroy()
      return await this.#offerOn(arrived, topic)
    }
    const connection = new Connection({ stream, initiator: true, identity: this.#opts.identity, psks: [topic.psk], expectedRemote: expectedKey === null ? undefined : fromHex(expectedKey), log: this.#opts.log, timings: this.#opts.timings })
    if (expectedKey !== null) this.#dialling.track(expectedKey, connection)
    return await new Promise(resolve => {
      connection.once('established', () => {
        const kept = this.#adopt(connection)
        if (kept === null && connection.remoteKeyHex === this.#ownKeyHex) resolve({ kind: 'self' })
        else if (kept === null) resolve({ kind: 'failed', code: CloseCode.NORMAL, reason: 'blocked', keyHex: connection.remoteKeyHex })
        else this.#whenLinked(kept, channelId, resolve)
      })
      connection.once('close', (info) => {
        if (connection.established) return
        // Given up because the peer's own connection was kept meanwhile: the channel goes on that one.
        const kept = this.#keptTo(expectedKey)
        if (info.code === CloseCode.DUPLICATE && !info.remote && kept !== undefined) this.#whenLinked(kept, channelId, resolve)
        else resolve({ kind: 'failed', code: info.code, reason: info.text })
      })
    })
  }

  #keptTo (keyHex: string | null): Pooled | undefined {
    const pooled = keyHex === null ? undefined : this.#connections.get(keyHex)
    return pooled === undefined || pooled.connection.closed ? undefined : pooled
  }

  async #offerOn (pooled: Pooled, topic: PoolTopic): Promise<DialOutcome> {
    this.#offer(pooled, topic)
    return await new Promise(resolve => { this.#whenLinked(pooled, topic.channelId, resolve) })
  }

  /** Settles once `channelId` is linked on the kept connection, refused there, or not linked in time. */
  #whenLinked (pooled: Pooled, channelId: string, resolve: (outcome: DialOutcome) => void): void {
    const keyHex = pooled.connection.remoteKeyHex
    if (pooled.links.has(channelId)) {
      resolve({ kind: 'connected', keyHex })
      return
    }
    const topic = this.#topics.get(channelId)
    if (topic === undefined || pooled.connection.closed) {
      resolve({ kind: 'failed', code: pooled.connection.closeInfo?.code ?? CloseCode.LEFT_CHANNEL, reason: 'channel left or connection closed', keyHex })
      return
    }
    if (!topic.isAllowed(keyHex)) {
      resolve({ kind: 'failed', code: CloseCode.NOT_INVITED, reason: 'this member is not invited to the channel', keyHex })
      return
    }
    const timer = unrefTimer(() => { settle({ kind: 'failed', code: CloseCode.TIMED_OUT, reason: 'the channel was not linked in time', keyHex }) }, LINK_WAIT_MS)
    const settle = (outcome: DialOutcome): void => {
      clearTimeout(timer)
      resolve(outcome)
    }
    const list = pooled.waiting.get(channelId)
    if (list === undefined) pooled.waiting.set(channelId, [settle])
    else list.push(settle)
  }

  #settle (pooled: Pooled, channelId: string, outcome: DialOutcome): void {
    const list = pooled.waiting.get(channelId)
    pooled.waiting.delete(channelId)
    for (const settle of list ?? []) settle(outcome)
  }

  async close (): Promise<void> {
    this.#closed = true
    this.peers.close()
    await this.#listener.close()
    for (const pooled of [...this.#connections.values()]) pooled.connection.close(CloseCode.SHUTTING_DOWN, 'shutting down')
  }

  /** Whether a direct dial may reach `keyHex` (null: whoever listens at an address nobody vouched for). */
  directAllowed (keyHex: string | null, hearsay = false): boolean {
    return this.#opts.directAllowed?.(keyHex, hearsay) ?? true
  }

  /** Closes the direct connections to keys no longer allowed one ('Hide my IP address' turned on): the peer book redials them through relays. */
  closeDirectNotAllowed (code: CloseCode, reason: string): void {
    for (const [keyHex, pooled] of [...this.#connections]) if (pooled.connection.transport !== 'relay' && !this.directAllowed(keyHex)) pooled.connection.close(code, reason)
  }

  /** Closes the connections made over one transport (direct TCP once a proxy is set): the peer book redials them the way now set. */
  closeTransport (kind: TransportKind, code: CloseCode, reason: string): void {
    for (const pooled of [...this.#connections.values()]) if (pooled.connection.transport === kind) pooled.connection.close(code, reason)
  }

  /** The PSK of every joined channel, and of each older epoch a channel still accepts (PROTOCOL §4.10). */
  #acceptedPsks (): Uint8Array[] {
    return [...this.#topics.values()].flatMap(t => [t.psk, ...(t.olderPsks?.() ?? [])])
  }

  /** The user blocked or unblocked this peer: its connection is closed, or it is dialled again at once. */
  blockChanged (keyHex: string, blocked: boolean): void {
    if (blocked) this.#connections.get(keyHex)?.connection.close(CloseCode.NORMAL, 'blocked')
    else this.peers.retry(keyHex)
  }

  /**
   * A connection finished its handshake: kept (replacing an older one to the same peer), or closed.
   * Returns the connection kept to that peer (this one, or the one kept instead), null for ourselves
   * or a blocked peer.
   */
  #adopt (connection: Connection): Pooled | null {
    const keyHex = connection.remoteKeyHex
    if (keyHex === this.#ownKeyHex) {
      connection.close(CloseCode.NORMAL, 'connected to ourselves')
      return null
    }
    // Closed without saying why: a blocked person is not told they are blocked.
    if (this.#opts.isBlocked?.(keyHex) === true) {
      connection.close(CloseCode.NORMAL, 'blocked')
      return null
    }
    if (this.#opts.mayKeep?.(connection) === false) {
      connection.close(CloseCode.NORMAL, 'this path is not used now')
      return null
    }
    const existing = this.#connections.get(keyHex)
    const replacing = existing !== undefined && !existing.connection.closed
    if (this.#closed) connection.close(CloseCode.SHUTTING_DOWN, 'shutting down')
    if (existing !== undefined && !existing.connection.closed) {
      if (!preferCandidate(facts(existing.connection), facts(connection), { ours: this.#ownKeyHex, theirs: keyHex })) {
        if (connection.initiator) this.#duplicates++
        connection.close(CloseCode.DUPLICATE, 'another connection to the same peer is kept')
        return existing
      }
      existing.connection.close(CloseCode.DUPLICATE, 'a newer connection to the same peer is kept')
    }
    const pooled: Pooled = { connection, proofs: new Map(), proven: new Set(), assembling: new Map(), links: new Map(), waiting: new Map(), unlinked: new Map(), idleTimer: null }
    if (connection.closed) return pooled
    this.#connections.set(keyHex, pooled)
    this.#dialling.giveUp(keyHex, connection)
    this.peers.connected(keyHex)
    if (!replacing) this.#opts.onConnected?.(keyHex)
    connection.on('stream', (stream) => { this.#onStream(pooled, stream) })
    connection.on('profile', (record) => { this.#opts.onProfile(keyHex, record) })
    // Through a relay, neither side sees the other's address: nothing to tell, nothing to believe.
    const relayed = connection.transport === 'relay'
    if (!relayed) connection.on('observed', (address) => { this.#opts.onObserved(keyHex, address, connection) })
    connection.once('close', (info) => { this.#onClose(pooled, info) })
    connection.sendProfile(this.#opts.profile())
    if (!relayed) connection.sendObserved(connection.address)
    for (const topic of this.#topics.values()) this.#offer(pooled, topic)
    this.#idleCheck(pooled)
    this.#opts.onAdopted?.(connection)
    return pooled
  }

  /** Opens the channel's streams on the connection, named by its attach proof; the peer accepts them if it has joined it too. */
  #offer (pooled: Pooled, topic: PoolTopic): void {
    const { connection } = pooled
    if (connection.closed || pooled.links.has(topic.channelId) || pooled.assembling.has(topic.channelId)) return
    if (!topic.isAllowed(connection.remoteKeyHex)) return
    const proof = attachProof(topic.psk, connection.handshakeHash)
    pooled.proofs.set(toHex(proof), topic.channelId)
    pooled.assembling.set(topic.channelId, {})
    for (const kind of Object.keys(CHANNEL_PROTOCOLS) as ChannelProtocol[]) {
      const stream = connection.open(CHANNEL_PROTOCOLS[kind], proof, { priority: PRIORITY[kind] })
      stream.once('open', () => { this.#streamReady(pooled, topic.channelId, kind, stream) })
      stream.once('close', (info: CloseInfo) => { this.#offerEnded(pooled, topic.channelId, stream, info) })
    }
  }

  /** The peer opened a stream: one of a channel we have joined (and it may join), or refused. */
  #onStream (pooled: Pooled, stream: Stream): void {
    const { connection } = pooled
    const kind = (Object.keys(CHANNEL_PROTOCOLS) as ChannelProtocol[]).find(k => CHANNEL_PROTOCOLS[k] === stream.protocol)
    if (kind === undefined && this.#opts.onOtherStream?.(connection, stream) === true) return
    if (kind === undefined) {
      connection.reset(stream, CloseCode.PROTOCOL_ERROR, `unknown protocol ${stream.protocol}`)
      return
    }
    let channelId = this.#channelOf(pooled, stream.topic)
    if (channelId === null && this.#opts.onUnknownTopic !== undefined) {
      // The peer is offering the channel on this connection: joining it must not offer it back here.
      this.#answering = pooled
      try {
        if (this.#opts.onUnknownTopic(connection.remoteKeyHex, stream.topic, connection.handshakeHash)) channelId = this.#channelOf(pooled, stream.topic)
      } finally {
        this.#answering = null
      }
    }
    const topic = channelId === null ? undefined : this.#topics.get(channelId)
    if (topic === undefined) {
      connection.reset(stream, CloseCode.NOT_JOINED)
      return
    }
    if (!topic.isAllowed(connection.remoteKeyHex)) {
      this.#opts.log.info('refused a member not invited to this channel', { peer: connection.remoteKeyHex.slice(0, 16) })
      connection.reset(stream, CloseCode.NOT_INVITED)
      return
    }
    if (pooled.links.has(topic.channelId)) {
      connection.reset(stream, CloseCode.DUPLICATE, 'this channel is already linked on this connection')
      return
    }
    connection.accept(stream, { priority: PRIORITY[kind] })
    stream.once('close', (info: CloseInfo) => { this.#offerEnded(pooled, topic.channelId, stream, info) })
    // The opener sends only once its channel is linked, which takes all three streams accepted: a
    // message sooner breaks the protocol, and has nowhere to go.
    const tooEarly = (): void => {
      const streams = pooled.assembling.get(topic.channelId)
      if (streams !== undefined) for (const s of [stream, ...Object.values(streams)]) connection.reset(s, CloseCode.PROTOCOL_ERROR, 'a message before the channel was linked')
    }
    stream.once('message', tooEarly)
    pooled.unlinked.set(stream, tooEarly)
    if (!pooled.assembling.has(topic.channelId)) pooled.assembling.set(topic.channelId, {})
    this.#streamReady(pooled, topic.channelId, kind, stream)
  }

  /** Looks a topic up among the proofs of our channels on this connection (computed once per channel and connection). */
  #channelOf (pooled: Pooled, topic: Uint8Array): string | null {
    const key = toHex(topic)
    const known = pooled.proofs.get(key)
    if (known !== undefined) return known
    let found: string | null = null
    for (const t of this.#topics.values()) {
      if (pooled.proven.has(t.channelId)) continue
      pooled.proven.add(t.channelId)
      for (const psk of [t.psk, ...(t.olderPsks?.() ?? [])]) {
        const proof = toHex(attachProof(psk, pooled.connection.handshakeHash))
        pooled.proofs.set(proof, t.channelId)
        if (proof === key) found = t.channelId
      }
      if (found !== null) return found
    }
    return null
  }

  /** A stream of a channel is open both ways; with all three, the channel is linked. */
  #streamReady (pooled: Pooled, channelId: string, kind: ChannelProtocol, stream: Stream): void {
    const streams = pooled.assembling.get(channelId)
    const topic = this.#topics.get(channelId)
    if (streams === undefined || topic === undefined || pooled.connection.closed) return
    streams[kind] = stream
    if (streams.messages === undefined || streams.pex === undefined || streams.sync === undefined) return
    pooled.assembling.delete(channelId)
    for (const s of Object.values(streams)) {
      const tooEarly = pooled.unlinked.get(s)
      if (tooEarly !== undefined) s.off('message', tooEarly)
      pooled.unlinked.delete(s)
    }
    const link = new TopicLink(pooled.connection, { messages: streams.messages, pex: streams.pex, sync: streams.sync }, this.#opts.log)
    pooled.links.set(channelId, link)
    if (pooled.idleTimer !== null) clearTimeout(pooled.idleTimer)
    pooled.idleTimer = null
    this.#settle(pooled, channelId, { kind: 'connected', keyHex: pooled.connection.remoteKeyHex })
    link.once('close', () => {
      if (pooled.links.get(channelId) === link) pooled.links.delete(channelId)
      this.#idleCheck(pooled)
    })
    topic.attach(link, bytesEqual(streams.messages.topic, attachProof(topic.psk, pooled.connection.handshakeHash)))
  }

  /**
   * A stream of a channel not yet linked ended: refused by the peer (it has not joined the channel,
   * or we are not invited), or lost a crossing (the peer's own stream for it is taken instead).
   */
  #offerEnded (pooled: Pooled, channelId: string, stream: Stream, info: CloseInfo): void {
    const streams = pooled.assembling.get(channelId)
    if (streams === undefined) return
    const kinds = (Object.keys(streams) as ChannelProtocol[]).filter(k => streams[k] === stream)
    if (info.code === CloseCode.DUPLICATE && kinds.length === 0) return
    pooled.assembling.delete(channelId)
    for (const other of Object.values(streams)) {
      pooled.unlinked.delete(other)
      if (other !== stream) pooled.connection.reset(other, info.code)
    }
    pooled.unlinked.delete(stream)
    // The peer refused the channel: it is not in it with us, and is not redialled for it.
    if (info.remote && NOT_IN_CHANNEL.has(info.code)) this.peers.unwant(pooled.connection.remoteKeyHex, channelId)
    this.#settle(pooled, channelId, { kind: 'failed', code: info.code, reason: info.text === '' ? `refused (code ${info.code})` : info.text, keyHex: pooled.connection.remoteKeyHex })
    this.#idleCheck(pooled)
  }

  #onClose (pooled: Pooled, info: CloseInfo): void {
    if (pooled.idleTimer !== null) clearTimeout(pooled.idleTimer)
    if (info.code === CloseCode.DUPLICATE && pooled.connection.initiator) this.#duplicates++
    for (const channelId of [...pooled.waiting.keys()]) this.#settle(pooled, channelId, { kind: 'failed', code: info.code, reason: info.text, keyHex: pooled.connection.remoteKeyHex })
    const keyHex = pooled.connection.remoteKeyHex
    if (this.#connections.get(keyHex) === pooled) {
      this.#connections.delete(keyHex)
      this.#opts.onGone(keyHex)
      this.peers.gone(keyHex)
    }
    this.#opts.log.debug('connection ended', { peer: keyHex.slice(0, 16), code: info.code, text: info.text })
  }

  /** A connection with no channel linked nor being linked is closed after a while (a channel may still be joined). */
  #idleCheck (pooled: Pooled): void {
    if (pooled.links.size > 0 || pooled.assembling.size > 0 || pooled.connection.closed) return
    if (pooled.idleTimer !== null) return
    pooled.idleTimer = unrefTimer(() => {
      pooled.idleTimer = null
      if (pooled.links.size === 0 && pooled.assembling.size === 0) pooled.connection.close(CloseCode.NORMAL, 'no channel in common')
    }, IDLE_CLOSE_MS)
  }
}

function forgetProofs (pooled: Pooled, channelId: string): void {
  for (const [proof, id] of pooled.proofs) if (id === channelId) pooled.proofs.delete(proof)
  pooled.proven.delete(channelId)
}

function facts (c: Connection): ConnectionFacts {
  return { transport: c.transport, dialledBy: c.initiator ? 'us' : 'them', establishedAt: c.establishedAt, handshakeHash: c.handshakeHash }
}
