import { ChannelSwarm, type PeerLink } from '../mesh/swarm.ts'
import type { DiscoveryHub } from './discovery-hub.ts'
import type { SessionTimings } from '../mesh/peer-session.ts'
import { TrackerAnnouncer } from '../discovery/tracker.ts'
import { infohashesToAnnounce, pskOf } from '../channel/keys.ts'
import { encodeChatFile, chatFileName, type ChannelDescriptor } from '../channel/chat-file.ts'
import { toChannelUri } from '../channel/uri.ts'
import { fingerprintOf } from '../identity/fingerprint.ts'
import type { Identity } from '../identity/identity.ts'
import { createGroupMessage, decodeGroupMessage, verifyGroupMessage, type GroupMessage } from '../wire/group-message.ts'
import { encodeMessage, encodeSync, MAX_SYNC_ENTRIES, type WireMessage } from '../wire/messages.ts'
import { fromHex, toHex } from '../codec/hex.ts'
import type { Store } from '../store/store.ts'
import type { StoredMessage } from '../store/types.ts'
import { formatHostPort } from '../wire/address.ts'
import { BitChatError } from '../api/errors.ts'
import type { BitChatEvents, ChannelAccess, ChannelNetwork, ChannelShare, ChannelSummary, EventName, MessageInfo, PeerInfo } from '../api/contract.ts'
import type { Logger } from '../log.ts'
import { unrefTimer } from '../timers.ts'

/** What a room needs from the node it lives in. */
export interface RoomContext {
  store: Store
  identity: Identity
  ownKeyHex: string
  localInfo: () => { name: string; tcpPort: number; udpPort: number }
  isSelfAddress: (host: string, port: number) => boolean
  tracker: () => { userAgent: string; peerIdPrefix: string }
  emit: <E extends EventName>(event: E, payload: BitChatEvents[E]) => void
  /** Node-wide discovery (DHT, LAN), or null when the node runs with neither. */
  discovery: DiscoveryHub | null
  log: Logger
  timings?: SessionTimings
}

const SYNC_BATCH = 500
const ANNOUNCE_CHECK_MS = 5 * 60_000
/** Anti-entropy: a SYNC on every link this often repairs whatever flooding missed. */
const SYNC_INTERVAL_MS = 30_000
const SYNC_MIN_GAP_MS = 1_000

/**
 * One joined channel: its mesh, its discovery, and its message log. Group messages are verified,
 * stored once by id, and flooded to every other member so that peers without a direct link get them.
 */
export class ChannelRoom {
  readonly channelId: string
  readonly channelIdBytes: Uint8Array
  readonly descriptor: ChannelDescriptor
  readonly psk: Uint8Array
  readonly swarm: ChannelSwarm
  readonly #ctx: RoomContext
  /** Invite-only: the keys let in, the creator's among them. */
  readonly #allowed: ReadonlySet<string>
  readonly #creator: { publicKey: string; fingerprint: string }
  readonly #announcers = new Map<string, TrackerAnnouncer>()
  /** Infohashes watched on the DHT and LAN, with the function that stops watching each. */
  readonly #watching = new Map<string, () => void>()
  readonly #names = new Map<string, string>()
  readonly #syncAnsweredAt = new Map<string, number>()
  readonly #deferredSync = new Map<string, { heads: Map<string, number>; timer: NodeJS.Timeout }>()
  /** New messages stored from each peer since we last sent it SYNC. */
  readonly #storedSinceSync = new Map<string, number>()
  readonly #log: Logger
  #announceTimer: NodeJS.Timeout | null = null
  #syncTimer: NodeJS.Timeout | null = null
  #stopped = false

  constructor (channelId: string, descriptor: ChannelDescriptor, ctx: RoomContext) {
    this.channelId = channelId
    this.channelIdBytes = fromHex(channelId)
    this.descriptor = descriptor
    this.psk = pskOf(descriptor.secret)
    this.#ctx = ctx
    this.#log = ctx.log.child({ channel: channelId.slice(0, 8) })
    this.#allowed = new Set([toHex(descriptor.creator), ...descriptor.members.map(toHex)])
    this.#creator = { publicKey: toHex(descriptor.creator), fingerprint: fingerprintOf(descriptor.creator) }
    this.swarm = new ChannelSwarm({
      psk: this.psk,
      identity: ctx.identity,
      ownKeyHex: ctx.ownKeyHex,
      isAllowed: (key) => descriptor.mode === 'open' || this.#allowed.has(key),
      localInfo: ctx.localInfo,
      isSelfAddress: ctx.isSelfAddress,
      log: this.#log,
      timings: ctx.timings
    })
    this.swarm.on('connected', (link) => { this.#onConnected(link) })
    // The SYNC exchange of a replaced session may have been lost with it.
    this.swarm.on('resumed', (link) => { this.#sendSync(link); this.#onRenamed(link) })
    this.swarm.on('updated', (link) => { this.#onRenamed(link) })
    this.swarm.on('disconnected', (link, reason) => { this.#onDisconnected(link, reason) })
    this.swarm.on('message', (link, message) => { this.#onMessage(link, message) })
  }

  start (): void {
    for (const member of this.#ctx.store.listMembers(this.channelId)) this.#names.set(toHex(member.publicKey), member.name)
    for (const address of this.#ctx.store.listPeerAddresses(this.channelId, 100)) {
      this.swarm.addCandidate(address.host, address.port, 'stored', address.publicKey === null ? null : toHex(address.publicKey))
    }
    this.refreshAnnouncers()
    const tick = (): void => {
      this.refreshAnnouncers()
      this.#announceTimer = unrefTimer(tick, ANNOUNCE_CHECK_MS)
    }
    this.#announceTimer = unrefTimer(tick, ANNOUNCE_CHECK_MS)
    this.#syncTimer = setInterval(() => { for (const link of this.swarm.links) this.#sendSync(link) }, SYNC_INTERVAL_MS)
    this.#syncTimer.unref()
  }

  #sendSync (link: PeerLink): void {
    this.#storedSinceSync.set(link.publicKeyHex, 0)
    const heads = this.#ctx.store.heads(this.channelId).slice(0, MAX_SYNC_ENTRIES)
    link.session.send(encodeSync({ heads: heads.map(h => ({ author: toHex(h.author), seq: h.seq })) }))
  }

  async stop (reason: string): Promise<void> {
    this.#stopped = true
    if (this.#announceTimer !== null) clearTimeout(this.#announceTimer)
    if (this.#syncTimer !== null) clearInterval(this.#syncTimer)
    for (const { timer } of this.#deferredSync.values()) clearTimeout(timer)
    this.swarm.destroy(reason)
    const stopping = [...this.#announcers.values()].map(a => a.stop())
    this.#announcers.clear()
    for (const unwatch of this.#watching.values()) unwatch()
    this.#watching.clear()
    await Promise.allSettled(stopping)
  }

  /**
   * Announces the infohashes of today (and of the neighbouring day near midnight), retiring those
   * of past days. Called periodically and whenever the listen port or the tracker disguise changes.
   */
  refreshAnnouncers (restart = false): void {
    if (this.#stopped) return
    const wanted = new Map(infohashesToAnnounce(this.descriptor.secret, Date.now()).map(x => [toHex(x.infohash), x.infohash]))
    this.#refreshWatches(wanted)
    const trackers = this.descriptor.trackers.flat()
    if (trackers.length === 0) return
    for (const [key, announcer] of this.#announcers) {
      if (restart || !wanted.has(key)) {
        this.#announcers.delete(key)
        void announcer.stop()
      }
    }
    const disguise = this.#ctx.tracker()
    const port = this.#ctx.localInfo().tcpPort
    // Not listening (a rebind that failed): nothing to announce until a port is bound again.
    if (port === 0) return
    for (const [key, infohash] of wanted) {
      if (this.#announcers.has(key)) continue
      const announcer = new TrackerAnnouncer({ infohash, trackers, port, userAgent: disguise.userAgent, peerIdPrefix: disguise.peerIdPrefix })
      announcer.on('peer', (peer) => { this.swarm.addCandidate(peer.host, peer.port, 'tracker') })
      announcer.on('warning', (err, tracker) => { this.#log.debug('tracker warning', { tracker, error: err.message }) })
      this.#announcers.set(key, announcer)
      announcer.start()
    }
  }

  #refreshWatches (wanted: Map<string, Uint8Array>): void {
    const hub = this.#ctx.discovery
    if (hub === null) return
    for (const [key, unwatch] of this.#watching) {
      if (!wanted.has(key)) {
        unwatch()
        this.#watching.delete(key)
      }
    }
    for (const [key, infohash] of wanted) {
      if (this.#watching.has(key)) continue
      this.#watching.set(key, hub.watch(infohash, (peer, source) => { this.swarm.addCandidate(peer.host, peer.port, source) }))
    }
  }

  /** Whether members will let us in: anyone for an open channel, the listed keys for an invite-only one. */
  get membership (): ChannelAccess {
    return this.descriptor.mode === 'open' || this.#allowed.has(this.#ctx.ownKeyHex) ? 'member' : 'not-member'
  }

  sendText (text: string): MessageInfo {
    // Members drop a non-member's sessions, so its messages would reach nobody.
    if (this.membership === 'not-member') {
      throw new BitChatError('NOT_A_MEMBER', `You are not a member of this channel — ask ${this.#creatorLabel()} to add you`)
    }
    const { store, identity } = this.#ctx
    const message = createGroupMessage({
      channelId: this.channelIdBytes,
      author: identity,
      seq: store.nextSeq(this.channelId, identity.publicKey),
      timestamp: Date.now(),
      text
    })
    store.insertMessage(this.#toStored(message))
    this.swarm.broadcast(encodeMessage({ raw: message.raw }))
    return this.#toInfo(message.id, message.author, message.text, message.timestamp)
  }

  listMessages (limit: number, before?: string): MessageInfo[] {
    return this.#ctx.store.listMessages(this.channelId, { limit, before })
      .map(m => this.#toInfo(m.messageId, m.author, m.body, m.timestamp))
  }

  peers (): PeerInfo[] {
    return this.#greetedLinks().map(l => this.#peerInfo(l))
  }

  /** Links whose peer has said HELLO: the members we are connected to. */
  #greetedLinks (): PeerLink[] {
    return this.swarm.links.filter(l => l.name !== '')
  }

  summary (): ChannelSummary {
    return {
      channelId: this.channelId,
      name: this.descriptor.name,
      peerCount: this.#greetedLinks().length,
      mode: this.descriptor.mode,
      trackers: this.descriptor.trackers.flat(),
      unread: this.#ctx.store.unreadCount(this.channelId, this.#ctx.identity.publicKey),
      access: this.membership,
      creator: this.#creatorInfo()
    }
  }

  #creatorInfo (): NonNullable<ChannelSummary['creator']> {
    const name = this.#names.get(this.#creator.publicKey)
    return name === undefined ? { ...this.#creator } : { ...this.#creator, name }
  }

  #creatorLabel (): string {
    const { name, fingerprint } = this.#creatorInfo()
    return name === undefined ? `its creator (fingerprint ${fingerprint})` : `${name} (fingerprint ${fingerprint})`
  }

  share (): ChannelShare {
    return {
      channelId: this.channelId,
      uri: toChannelUri(this.descriptor),
      data: Buffer.from(encodeChatFile(this.descriptor)).toString('base64'),
      fileName: chatFileName(this.descriptor)
    }
  }

  network (): ChannelNetwork {
    return {
      channelId: this.channelId,
      name: this.descriptor.name,
      trackers: [...this.#announcers.values()].flatMap(a => a.status()),
      addresses: this.swarm.records.map(r => ({
        address: formatHostPort(r.host, r.port),
        publicKey: r.publicKey,
        sources: [...r.sources],
        status: r.status.kind,
        failures: r.failures
      }))
    }
  }

  /** Our own address as each connected peer reports seeing it. */
  observedAddresses (): string[] {
    return this.swarm.links.map(l => l.observedAddress).filter(a => a !== '')
  }

  #peerInfo (link: PeerLink): PeerInfo {
    return {
      publicKey: link.publicKeyHex,
      name: link.name,
      fingerprint: fingerprintOf(fromHex(link.publicKeyHex)),
      address: link.session.address,
      transport: 'tcp',
      rttMs: link.session.rttMs,
      sources: this.swarm.sourcesOf(link.publicKeyHex),
      direction: link.session.initiator ? 'outgoing' : 'incoming'
    }
  }

  #onConnected (link: PeerLink): void {
    this.#names.set(link.publicKeyHex, link.name)
    const { store } = this.#ctx
    store.saveMember({ channelId: this.channelId, publicKey: fromHex(link.publicKeyHex), name: link.name, lastSeenAt: Date.now() })
    if (link.listenAddress !== null) {
      store.upsertPeerAddress({ channelId: this.channelId, host: link.listenAddress.host, port: link.listenAddress.port, publicKey: fromHex(link.publicKeyHex), source: link.session.initiator ? 'tracker' : 'incoming', lastSeenAt: Date.now() })
    }
    this.#sendSync(link)
    this.#log.info('peer connected', { peer: link.name, address: link.session.address })
    this.#ctx.emit('peer.connected', { ...this.#peerInfo(link), channelId: this.channelId })
    this.#ctx.emit('channel.updated', this.summary())
  }

  /** A connected peer's HELLO carried a new name: later messages and the peer list show it. */
  #onRenamed (link: PeerLink): void {
    if (this.#names.get(link.publicKeyHex) === link.name) return
    this.#names.set(link.publicKeyHex, link.name)
    this.#ctx.store.saveMember({ channelId: this.channelId, publicKey: fromHex(link.publicKeyHex), name: link.name, lastSeenAt: Date.now() })
    this.#ctx.emit('peer.updated', { ...this.#peerInfo(link), channelId: this.channelId })
  }

  #onDisconnected (link: PeerLink, reason: string): void {
    this.#syncAnsweredAt.delete(link.publicKeyHex)
    clearTimeout(this.#deferredSync.get(link.publicKeyHex)?.timer)
    this.#deferredSync.delete(link.publicKeyHex)
    this.#storedSinceSync.delete(link.publicKeyHex)
    this.#log.info('peer disconnected', { peer: link.name, reason })
    this.#ctx.emit('peer.disconnected', { channelId: this.channelId, publicKey: link.publicKeyHex, reason })
    if (!this.#stopped) this.#ctx.emit('channel.updated', this.summary())
  }

  #onMessage (link: PeerLink, message: WireMessage): void {
    switch (message.type) {
      case 'message':
        this.#onGroupMessage(link, message.raw)
        return
      case 'sync':
        this.#onSync(link, new Map(message.heads.map(h => [h.author, h.seq])))
        return
      default:
        this.#log.debug('ignored message', { type: message.type, peer: link.name })
    }
  }

  /**
   * Each SYNC may cost hundreds of frames, so a peer gets at most one answer per SYNC_MIN_GAP_MS
   * however often it asks; an early SYNC is answered (the latest one only) when the gap is over.
   */
  #onSync (link: PeerLink, heads: Map<string, number>): void {
    const key = link.publicKeyHex
    const wait = (this.#syncAnsweredAt.get(key) ?? 0) + SYNC_MIN_GAP_MS - Date.now()
    if (wait > 0) {
      const deferred = this.#deferredSync.get(key)
      this.#deferredSync.set(key, { heads, timer: deferred?.timer ?? unrefTimer(() => {
        const latest = this.#deferredSync.get(key)
        this.#deferredSync.delete(key)
        if (latest !== undefined && !link.session.closed) this.#onSync(link, latest.heads)
      }, wait) })
      return
    }
    this.#syncAnsweredAt.set(key, Date.now())
    for (const m of this.#ctx.store.messagesAfter(this.channelId, heads, SYNC_BATCH)) link.session.send(encodeMessage({ raw: m.raw }))
  }

  #onGroupMessage (link: PeerLink, raw: Uint8Array): void {
    let message: GroupMessage
    try {
      message = decodeGroupMessage(raw)
    } catch (err) {
      this.#log.warn('malformed group message', { peer: link.name, error: (err as Error).message })
      return
    }
    // Flooding delivers most messages several times: drop known ids before paying for a signature check.
    if (this.#ctx.store.hasMessage(message.id)) return
    if (!verifyGroupMessage(message, this.channelIdBytes)) {
      this.#log.warn('rejected group message with a bad signature or channel', { peer: link.name, id: message.id.slice(0, 16) })
      return
    }
    if (!this.#ctx.store.insertMessage(this.#toStored(message))) return
    const authorHex = toHex(message.author)
    this.swarm.relay(encodeMessage({ raw: message.raw }), authorHex, link.publicKeyHex)
    // A full batch after our SYNC means the peer may hold more: ask for the rest at once.
    const stored = (this.#storedSinceSync.get(link.publicKeyHex) ?? 0) + 1
    this.#storedSinceSync.set(link.publicKeyHex, stored)
    if (stored >= SYNC_BATCH) this.#sendSync(link)
    // Our own messages arrive from peers too (after a leave and a join again): the history shows them.
    this.#ctx.emit('message.received', this.#toInfo(message.id, message.author, message.text, message.timestamp))
    this.#ctx.emit('channel.updated', this.summary())
  }

  #toStored (m: GroupMessage): StoredMessage {
    return { messageId: m.id, channelId: this.channelId, author: m.author, seq: m.seq, timestamp: m.timestamp, receivedAt: Date.now(), kind: m.kind, body: m.text, raw: m.raw }
  }

  #toInfo (messageId: string, author: Uint8Array, text: string, timestamp: number): MessageInfo {
    const authorHex = toHex(author)
    const own = authorHex === this.#ctx.ownKeyHex
    return {
      messageId,
      channelId: this.channelId,
      author: authorHex,
      authorName: own ? this.#ctx.localInfo().name : (this.#names.get(authorHex) ?? fingerprintOf(author).slice(0, 9)),
      text,
      timestamp,
      own
    }
  }
}
