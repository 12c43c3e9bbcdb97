import { ChannelSwarm, type PeerLink } from '../mesh/swarm.ts'
import type { DiscoveryHub } from './discovery-hub.ts'
import type { ConnectionPool } from '../peers/connection-pool.ts'
import { encodeChatFile, chatFileName, type ChannelDescriptor } from '../channel/chat-file.ts'
import { toChannelUri } from '../channel/uri.ts'
import { fingerprintOf } from '../identity/fingerprint.ts'
import type { Identity } from '../identity/identity.ts'
import type { GroupMessage } from '../wire/group-message.ts'
import { encodeMessage, encodeTyping, type WireMessage } from '../wire/messages.ts'
import { fromHex, toHex } from '../codec/hex.ts'
import type { Store } from '../store/store.ts'
import { MessageIntake, type Accepted, type IntakeSource } from '../history/message-intake.ts'
import type { SyncTimings } from '../history/sync-session.ts'
import { BitChatError } from '../api/errors.ts'
import type { BitChatEvents, ChannelAccess, ChannelNetwork, ChannelShare, ChannelSummary, EventName, MemberInfo, MessageInfo, PeerInfo, ReceiptInfo } from '../api/contract.ts'
import { Receipts } from './receipts.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { Typing } from './typing.ts'
import { RoomAnnouncing, type TrackerWay } from './room-announcing.ts'
import { RoomSyncs } from './room-syncs.ts'
import { RoomMembers } from './room-members.ts'
import { RoomMembership } from './room-membership.ts'
import { RoomEpochs } from './room-epochs.ts'
import { RoomRekeying } from './room-rekeying.ts'
import { withEpoch, type EpochKey } from '../channel/epoch-link.ts'
import { MessageView } from './message-view.ts'
import { MessageActions } from './message-actions.ts'
import { toStoredEntry } from '../history/stored-entry.ts'
import { KIND_EPOCH, KIND_INVITATION, KIND_MEMBERSHIP, SHOWN_KINDS, decodeEntryBody, type MembershipOp } from '../wire/entry-kinds.ts'
import type { MessagePageAt, StoredMessage } from '../store/types.ts'
import type { Logger } from '../log.ts'
import { throttled } from '../timers.ts'
import { receivedEvents } from './received-events.ts'
import { Outbox } from './outbox.ts'
import { GapWatch } from '../history/gap-watch.ts'

/** What a room needs from the node it lives in. */
export interface RoomContext {
  store: Store
  identity: Identity
  ownKeyHex: string
  localInfo: () => { name: string; tcpPort: number; udpPort: number }
  isSelfAddress: (host: string, port: number) => boolean
  /** The node's connections: one per member, shared by every channel. */
  pool: ConnectionPool
  /** A connected member's name and listen port, from its signed profile. */
  profileOf: (publicKeyHex: string) => { name: string | undefined; tcpPort: number }
  tracker: () => TrackerWay
  emit: <E extends EventName>(event: E, payload: BitChatEvents[E]) => void
  /** Node-wide discovery (DHT, LAN), or null when the node runs with neither. */
  discovery: DiscoveryHub | null
  /** Someone the user blocked: nothing they wrote is stored. */
  isBlocked: (publicKeyHex: string) => boolean
  /** The other person, when this channel is our private conversation with them. */
  privatePeer: string | null
  /** Whether we tell authors how far we have read their messages. */
  readReceipts: () => boolean
  /** Invite-only: the epoch the link we joined by carried (PROTOCOL §4.10), for as long as the store holds none. */
  linkEpoch?: EpochKey | null
  /** The other person of this private conversation invited us to a channel (entry `invitationId`). */
  invited: (from: string, invitationId: string, link: string) => void
  log: Logger
  syncTimings?: SyncTimings
}

/**
 * During a burst of stored messages, `channel.updated` goes out at most this often: each one counts
 * the unread messages, which grows with the backlog, so once per stored batch made a catch-up quadratic.
 */
const STORED_UPDATE_MS = 250
/** Characters of the newest message a summary carries. */
const LAST_PREVIEW_CHARS = 120

/**
 * One joined channel: its mesh, its discovery, and its message log. Group messages are verified,
 * stored once by id, and flooded to every other member so that peers without a direct link get them;
 * reconciliation with every peer (history/) finds whatever flooding missed.
 */
export class ChannelRoom {
  readonly channelId: string
  readonly channelIdBytes: Uint8Array
  readonly descriptor: ChannelDescriptor
  readonly swarm: ChannelSwarm
  readonly #ctx: RoomContext
  /** Invite-only: the keys let in now, the creator's among them (everyone in an open channel). */
  readonly #membership: RoomMembership
  /** Invite-only: the keys of the channel's epochs we hold. */
  readonly #epochs: RoomEpochs
  readonly #rekeying: RoomRekeying
  readonly #announcing: RoomAnnouncing
  readonly #members: RoomMembers
  /** Authors seen signing two different messages under one seq. */
  readonly #flagged = new Set<string>()
  readonly #syncs: RoomSyncs
  readonly #intakeSources = new WeakMap<PeerLink, IntakeSource>()
  readonly #intake: MessageIntake
  readonly #outbox: Outbox
  readonly #receipts: Receipts
  readonly #typing: Typing
  readonly #view: MessageView
  readonly #actions: MessageActions
  /** When the channel was last marked read (ms), 0 for never. */
  #lastReadAt = 0
  readonly #gaps: GapWatch
  readonly #log: Logger
  /**
   * Unread messages, counted once from the store and then kept up as messages arrive: counting
   * them in SQL for every summary cost 31 ms at 100,000 messages, so receiving slowed as history grew.
   */
  #unread: number | null = null
  readonly #storedUpdate = throttled(() => { this.#ctx.emit('channel.updated', this.summary()) }, STORED_UPDATE_MS)
  #stopped = false

  constructor (channelId: string, descriptor: ChannelDescriptor, ctx: RoomContext) {
    this.channelId = channelId
    this.channelIdBytes = fromHex(channelId)
    this.descriptor = descriptor
    this.#ctx = ctx
    this.#log = ctx.log.child({ channel: channelId.slice(0, 8) })
    this.#membership = new RoomMembership({ channelId, store: ctx.store, descriptor })
    this.#epochs = new RoomEpochs({
      channelId,
      genesisSecret: descriptor.secret,
      store: ctx.store,
      identity: ctx.identity,
      ownKeyHex: ctx.ownKeyHex,
      initial: ctx.linkEpoch ?? null,
      log: this.#log,
      onChange: (switched) => { this.#epochChanged(switched) }
    })
    this.swarm = new ChannelSwarm({
      channelId,
      pool: ctx.pool,
      ownKeyHex: ctx.ownKeyHex,
      listenPortOf: (key) => ctx.profileOf(key).tcpPort,
      isSelfAddress: ctx.isSelfAddress,
      log: this.#log
    })
    this.#intake = new MessageIntake({
      channelId,
      channelIdBytes: this.channelIdBytes,
      createdAtMs: descriptor.created * 1000,
      authorAllowed: (author) => {
        const key = toHex(author)
        return !ctx.isBlocked(key) && this.#membership.lets(key)
      },
      insert: (messages) => ctx.store.insertMessages(channelId, messages),
      known: (id) => ctx.store.hasMessage(id),
      onStored: (batch) => { this.#onStored(batch) },
      // Reconciliation finds what the full disk made us drop; if it is still full, this comes round again.
      onRetryAfterDiskFull: () => { this.#syncs.triggerAll() },
      log: this.#log
    })
    this.#gaps = new GapWatch((author, seq) => ctx.store.hasEntry(channelId, author, seq))
    this.#receipts = new Receipts({
      channelId,
      store: ctx.store,
      ownKey: ctx.identity.publicKey,
      readReceipts: ctx.readReceipts,
      lastReadAt: () => this.#lastReadAt,
      send: (key, frame) => {
        const link = this.swarm.links.find(l => l.publicKeyHex === key)
        link?.session.send(frame)
        return link !== undefined
      },
      emit: (receipt) => { ctx.emit('receipt', { ...receipt }) },
      log: this.#log
    })
    this.#typing = new Typing({
      channelId,
      broadcast: (active) => { this.swarm.broadcast(encodeTyping({ active })) },
      emit: (typing) => { ctx.emit('typing', typing) }
    })
    this.#outbox = new Outbox({
      channelId,
      channelIdBytes: this.channelIdBytes,
      identity: ctx.identity,
      store: ctx.store,
      publish: (message) => {
        this.swarm.broadcast(encodeMessage({ raw: message.raw }))
        // The other person of a private conversation may have left it (deleted it on their side): it is
        // offered to them again, and they join it when it comes, as when it was first opened.
        const peer = ctx.privatePeer
        if (peer !== null && !this.swarm.links.some(l => l.publicKeyHex === peer)) ctx.pool.peers.want(peer, channelId)
        // Its last message changed.
        this.#storedUpdate.call()
      }
    })
    this.#rekeying = new RoomRekeying({
      epochs: this.#epochs,
      membership: this.#membership,
      ownKeyHex: ctx.ownKeyHex,
      write: async (entry) => await this.#outbox.send(entry),
      refold: () => { this.#membershipChanged() },
      rekeyed: (epoch, removed) => { ctx.emit('channel.rekeyed', { channelId, epoch, removed }) },
      log: this.#log
    })
    this.#members = new RoomMembers({ channelId, store: ctx.store, listed: () => this.#membership.listed })
    this.#announcing = new RoomAnnouncing({
      secrets: () => this.#epochs.secrets(),
      trackers: descriptor.trackers.flat(),
      discovery: ctx.discovery,
      disguise: ctx.tracker,
      port: () => ctx.localInfo().tcpPort,
      found: (host, port, source) => { this.swarm.addCandidate(host, port, source) },
      log: this.#log
    })
    this.#view = new MessageView({
      channelId,
      store: ctx.store,
      ownKeyHex: ctx.ownKeyHex,
      nameOf: (key) => key === ctx.ownKeyHex ? ctx.localInfo().name : this.#members.nameOf(key),
      extra: (author, seq) => ({
        ...(this.#flagged.has(author) ? { authorFlagged: true } : {}),
        ...(author === ctx.ownKeyHex ? this.#receipts.stateOf(seq) : {})
      })
    })
    this.#actions = new MessageActions({
      channelId,
      store: ctx.store,
      ownKeyHex: ctx.ownKeyHex,
      view: this.#view,
      send: async (entry) => await this.#outbox.send(entry),
      mayWrite: () => {
        // Members drop a non-member's sessions, so its messages would reach nobody.
        if (this.membership === 'not-member') throw new BitChatError('NOT_A_MEMBER', `You are not a member of this channel — ask ${this.#creatorLabel()} to add you`)
      },
      updated: (message) => { ctx.emit('message.updated', message) }
    })
    this.#syncs = new RoomSyncs({
      source: {
        index: () => ctx.store.historyIndex(channelId),
        messagesInRange: (after, upper, limit) => ctx.store.messagesInRange(channelId, after, upper, limit),
        rawMessage: (id) => ctx.store.rawMessage(channelId, id),
        wanted: (id) => this.#intake.wanted(id)
      },
      log: this.#log,
      timings: ctx.syncTimings
    })
    this.swarm.on('connected', (link) => { this.#onConnected(link) })
    // What was in flight on a replaced link is lost with it: reconcile on the new one.
    this.swarm.on('resumed', (link) => { this.#syncs.start(link) })
    this.swarm.on('disconnected', (link, reason) => { this.#onDisconnected(link, reason) })
    this.swarm.on('message', (link, message) => { this.#onMessage(link, message) })
  }

  start (): void {
    const { store } = this.#ctx
    this.#lastReadAt = store.getChannel(this.channelId)?.lastReadAt ?? 0
    this.#members.load()
    this.#epochs.load()
    this.#membership.refresh()
    for (const author of store.flaggedAuthors(this.channelId)) this.#flagged.add(toHex(author))
    const epochs = this.#epochs
    this.#ctx.pool.addTopic({
      channelId: this.channelId,
      get psk () { return epochs.psk },
      olderPsks: () => epochs.olderPsks(),
      isAllowed: (key) => this.#membership.lets(key),
      attach: (link, atCurrent) => {
        this.swarm.attach(link)
        epochs.linked(link.remoteKeyHex, atCurrent, this.#membership.listed)
      }
    })
    // The other person of a private conversation is sought from the start, with or without an address
    // (through a relay when there is none), so that what waits for them goes once they are reachable.
    if (this.#ctx.privatePeer !== null) this.#ctx.pool.peers.want(this.#ctx.privatePeer, this.channelId)
    // A new epoch we owe (a removal of ours whose new key was not written: we stopped in between).
    this.#rekeying.step()
    // Only now: a stored member is dialled with this channel's PSK, which the pool must hold.
    for (const address of this.#ctx.store.listPeerAddresses(this.channelId, 100)) {
      this.swarm.addCandidate(address.host, address.port, 'stored', address.publicKey === null ? null : toHex(address.publicKey))
    }
    this.#announcing.start()
  }

  /** True when no reconciliation is running or sending with any peer (for tests and benchmarks). */
  get syncIdle (): boolean {
    return this.#syncs.idle
  }

  async stop (reason: string): Promise<void> {
    this.#stopped = true
    this.#outbox.flush()
    this.#storedUpdate.cancel()
    this.#receipts.stop()
    this.#typing.stop()
    this.#syncs.stop()
    this.#epochs.stop()
    this.#intake.stop()
    this.#log.debug('leaving the channel', { reason })
    this.#ctx.pool.removeTopic(this.channelId)
    this.swarm.destroy()
    await this.#announcing.stop()
  }

  /**
   * Announces anew: the listen port, the tracker disguise or the proxy changed (`restart`; `quietly`:
   * without telling the old announces' trackers `stopped`), or it is time to check.
   */
  refreshAnnouncers (restart = false, opts: { quietly?: boolean } = {}): void {
    this.#announcing.refresh(restart, opts)
  }

  /** The other person, when this is a private conversation. */
  get privatePeer (): string | null {
    return this.#ctx.privatePeer
  }

  /** Whether the channel lets this key in now. */
  lets (keyHex: string): boolean {
    return this.#membership.lets(keyHex)
  }

  /** Whether members will let us in: anyone for an open channel, the listed keys for an invite-only one. */
  get membership (): ChannelAccess {
    return this.#membership.lets(this.#ctx.ownKeyHex) ? 'member' : 'not-member'
  }

  /** Writing, editing, deleting and reacting to messages here. */
  get messages (): MessageActions {
    return this.#actions
  }

  async sendText (text: string, replyTo?: string, mentions?: readonly string[]): Promise<MessageInfo> {
    const sent = await this.#actions.write(text, replyTo, mentions)
    this.#typing.sent()
    return sent
  }

  /** Stored messages of this channel as they show now (search results, say). */
  show (rows: readonly StoredMessage[]): MessageInfo[] {
    return this.#view.page(rows)
  }

  listMessages (limit: number, at: MessagePageAt = {}): MessageInfo[] {
    return this.#view.page(this.#ctx.store.listMessages(this.channelId, { limit, ...at }))
  }

  peers (): PeerInfo[] {
    return this.swarm.links.map(l => this.#peerInfo(l))
  }

  summary (): ChannelSummary {
    return {
      channelId: this.channelId,
      name: this.descriptor.name,
      peerCount: this.swarm.links.length,
      mode: this.descriptor.mode,
      trackers: this.descriptor.trackers.flat(),
      unread: this.#unreadCount(),
      unreadMentions: this.#ctx.store.unreadMentions(this.channelId, this.#ctx.identity.publicKey),
      muted: this.#ctx.store.isMuted(this.channelId),
      access: this.membership,
      creator: this.#creatorInfo(),
      kind: this.#ctx.privatePeer === null ? 'group' : 'private',
      ...(this.descriptor.mode === 'invite' ? { epoch: this.#epochs.epoch } : {}),
      ...(this.#ctx.privatePeer === null ? {} : { peer: this.#personInfo(this.#ctx.privatePeer) }),
      ...this.#lastMessage()
    }
  }

  /** The newest message shown here, for the sidebar's preview and its order by activity. */
  #lastMessage (): Pick<ChannelSummary, 'last'> {
    const [last] = this.#view.page(this.#ctx.store.listMessages(this.channelId, { limit: 1 }))
    if (last === undefined) return {}
    const text = last.deleted === true ? '' : Array.from(last.text).slice(0, LAST_PREVIEW_CHARS).join('')
    return { last: { messageId: last.messageId, author: last.author, authorName: last.authorName, own: last.own, text, timestamp: last.timestamp, ...(last.deleted === true ? { deleted: true } : {}) } }
  }

  #personInfo (keyHex: string): NonNullable<ChannelSummary['peer']> {
    const name = this.#members.signedName(keyHex)
    const info = { publicKey: keyHex, fingerprint: fingerprintOf(fromHex(keyHex)) }
    return name === undefined ? info : { ...info, name }
  }

  #unreadCount (): number {
    this.#unread ??= this.#ctx.store.unreadCount(this.channelId, this.#ctx.identity.publicKey)
    return this.#unread
  }

  markRead (): void {
    this.#lastReadAt = Date.now()
    this.#ctx.store.markRead(this.channelId, this.#lastReadAt)
    this.#unread = 0
    this.#receipts.read(this.swarm.links.map(l => l.publicKeyHex))
  }

  /**
   * A change to an invite-only channel's list, by us (its creator or an admin): signed, stored, sent
   * to every member, and in force here at once.
   */
  async changeMembership (op: MembershipOp, key: string): Promise<void> {
    const own = this.#ctx.ownKeyHex
    if (this.descriptor.mode === 'open') throw BitChatError.invalidParams('an open channel has no member list: anyone with its link may join')
    if (!this.#membership.isAdmin(own)) throw new BitChatError('FORBIDDEN', `only the channel's creator or an admin can change who is in it — ask ${this.#creatorLabel()}`)
    if (key === this.#membership.creator && (op === 'remove' || op === 'demote')) throw BitChatError.invalidParams('the channel\'s creator stays in it, and stays an admin')
    if (key === own && op === 'remove') throw BitChatError.invalidParams('to go, leave the channel')
    if (op === 'promote' && !this.#membership.lets(key)) throw BitChatError.invalidParams('only a member can be made an admin: add them first')
    if (op === 'remove' && !this.#membership.lets(key)) throw BitChatError.invalidParams('they are not on the member list')
    if (op === 'add' && this.#membership.lets(key)) return
    await this.#outbox.send({ kind: 'membership', op, key })
    if (op === 'add') await this.#rekeying.added(key)
    this.#membershipChanged()
    // A removal is followed by a new epoch in the same call (§4.10): the removed key must not find us again.
    await this.#rekeying.settled()
  }

  /**
   * The member list or the channel's epoch may have changed: whoever was removed is cut off, whoever
   * was added is reached, and a new epoch is taken or made.
   */
  #membershipChanged (): void {
    const diff = this.#membership.refresh()
    this.#rekeying.step()
    if (diff.added.length + diff.removed.length + diff.admins.length + diff.unadmins.length === 0) return
    for (const key of diff.removed) {
      this.swarm.links.find(l => l.publicKeyHex === key)?.session.close(CloseCode.NOT_INVITED, 'removed from the channel')
      this.#ctx.pool.peers.unwant(key, this.channelId)
    }
    for (const key of diff.added) this.#ctx.pool.offerTo(key, this.channelId)
    // Entries refused from people not on the list then may be theirs now.
    this.#intake.forgetRefused()
    this.#syncs.triggerAll()
    const emit = (keys: string[], change: BitChatEvents['member.changed']['change']): void => {
      for (const publicKey of keys) this.#ctx.emit('member.changed', { channelId: this.channelId, publicKey, change })
    }
    emit(diff.added, 'added')
    emit(diff.removed, 'removed')
    emit(diff.admins, 'admin')
    emit(diff.unadmins, 'member')
    this.#storedUpdate.call()
  }

  /** The epoch's keys changed: members are found and let in by the keys held now. */
  #epochChanged (switched: boolean): void {
    this.#ctx.pool.rekeyTopic(this.channelId)
    this.#announcing.refresh()
    if (switched) this.#storedUpdate.call()
  }

  /** The user typed (true) or stopped (false) in this channel. */
  setTyping (active: boolean): void {
    this.#typing.setOurs(active)
  }

  /** Each member's receipt for our messages here. */
  receipts (): ReceiptInfo[] {
    return this.#receipts.list()
  }

  #creatorInfo (): NonNullable<ChannelSummary['creator']> {
    return this.#personInfo(toHex(this.descriptor.creator))
  }

  #creatorLabel (): string {
    const { name, fingerprint } = this.#creatorInfo()
    return name === undefined ? `its creator (fingerprint ${fingerprint})` : `${name} (fingerprint ${fingerprint})`
  }

  /** The channel's link, with the current epoch's key once it has moved past epoch 0 (PROTOCOL §4.10). */
  link (): string {
    return withEpoch(toChannelUri(this.descriptor), this.descriptor.mode === 'invite' ? this.#epochs.current : null)
  }

  /** Keeps the epoch the link we joined by gave: the channel is stored now. */
  joined (): void {
    this.#epochs.saveInitial()
  }

  share (): ChannelShare {
    if (this.#ctx.privatePeer !== null) throw BitChatError.invalidParams('a private conversation cannot be shared: open one with each person instead')
    return {
      channelId: this.channelId,
      uri: this.link(),
      data: Buffer.from(encodeChatFile(this.descriptor)).toString('base64'),
      fileName: chatFileName(this.descriptor)
    }
  }

  network (): ChannelNetwork {
    return {
      channelId: this.channelId,
      name: this.descriptor.name,
      trackers: this.#announcing.trackerStatus(),
      addresses: this.swarm.addresses()
    }
  }

  #peerInfo (link: PeerLink): PeerInfo {
    const { connection } = link.session
    return {
      publicKey: link.publicKeyHex,
      name: this.#members.nameOf(link.publicKeyHex),
      fingerprint: fingerprintOf(fromHex(link.publicKeyHex)),
      address: connection.address,
      transport: connection.transport,
      rttMs: connection.rttMs,
      sources: this.swarm.sourcesOf(link.publicKeyHex),
      direction: link.session.initiator ? 'outgoing' : 'incoming',
      ...(connection.via === null ? {} : { via: connection.via }),
      ...(this.#flagged.has(link.publicKeyHex) ? { flagged: true } : {})
    }
  }

  /** Everyone known here but us: connected members, authors seen before, and the listed members of an invite-only channel. */
  members (): MemberInfo[] {
    return this.#members.list(new Set(this.swarm.links.map(l => l.publicKeyHex)), this.#membership.creator, this.#ctx.ownKeyHex, key => this.#membership.isAdmin(key))
  }

  /** Whether `keyHex` is a member we know here: in the members list, or the author of an entry we hold. */
  hasMember (keyHex: string): boolean {
    return this.members().some(m => m.publicKey === keyHex) || this.#ctx.store.nextEntry(this.channelId, fromHex(keyHex)).seq > 1
  }

  #onConnected (link: PeerLink): void {
    const { store } = this.#ctx
    this.#members.connected(link.publicKeyHex, this.#ctx.profileOf(link.publicKeyHex).name)
    if (link.listenAddress !== null) {
      store.upsertPeerAddress({ channelId: this.channelId, host: link.listenAddress.host, port: link.listenAddress.port, publicKey: fromHex(link.publicKeyHex), source: link.session.initiator ? 'tracker' : 'incoming', lastSeenAt: Date.now() })
    }
    this.#syncs.start(link)
    this.#receipts.linked(link.publicKeyHex)
    this.#log.info('peer connected', { peer: this.#members.nameOf(link.publicKeyHex), address: link.session.connection.address })
    this.#ctx.emit('peer.connected', { ...this.#peerInfo(link), channelId: this.channelId })
    this.#ctx.emit('channel.updated', this.summary())
  }

  /**
   * Someone was blocked or unblocked: the unread count leaves out (or counts again) what they wrote,
   * and after an unblock what was refused from them is fetched again.
   */
  blockChanged (blocked: boolean): void {
    if (!blocked) {
      this.#intake.forgetRefused()
      this.#syncs.triggerAll()
    }
    this.#unread = null
    this.#storedUpdate.call()
  }

  /** A connected member's signed profile is new or changed: later messages and the peer list show its name. */
  profileChanged (keyHex: string): void {
    const link = this.swarm.links.find(l => l.publicKeyHex === keyHex)
    if (link === undefined) return
    this.swarm.profileChanged(keyHex)
    const name = this.#ctx.profileOf(keyHex).name
    if (name === undefined || !this.#members.renamed(keyHex, name)) return
    this.#ctx.emit('peer.updated', { ...this.#peerInfo(link), channelId: this.channelId })
  }

  #onDisconnected (link: PeerLink, reason: string): void {
    this.#syncs.end(link.publicKeyHex)
    this.#typing.ended(link.publicKeyHex)
    this.#members.disconnected(link.publicKeyHex)
    this.#log.info('peer disconnected', { peer: this.#members.nameOf(link.publicKeyHex), reason })
    this.#ctx.emit('peer.disconnected', { channelId: this.channelId, publicKey: link.publicKeyHex, reason })
    if (!this.#stopped) this.#ctx.emit('channel.updated', this.summary())
  }

  #onMessage (link: PeerLink, message: WireMessage): void {
    switch (message.type) {
      case 'message':
        this.#intake.receive(message.raw, this.#intakeSource(link), true)
        return
      case 'history':
        this.#syncs.get(link.publicKeyHex)?.noteHistory()
        this.#intake.receive(message.raw, this.#intakeSource(link), false)
        return
      case 'ranges':
        this.#syncs.get(link.publicKeyHex)?.onRanges(message.ranges)
        return
      case 'want':
        this.#syncs.get(link.publicKeyHex)?.onWant(message.ids)
        return
      case 'receipt':
        this.#receipts.received(link.publicKeyHex, message)
        return
      case 'typing':
        this.#typing.received(link.publicKeyHex, message.active)
        return
      default:
        this.#log.debug('ignored message', { type: message.type, peer: link.publicKeyHex.slice(0, 16) })
    }
  }

  #intakeSource (link: PeerLink): IntakeSource {
    let source = this.#intakeSources.get(link)
    if (source === undefined) {
      // The link's session may be replaced meanwhile: pause and resume whichever is current.
      source = { key: link.publicKeyHex, pause: () => { link.session.connection.pauseReading() }, resume: () => { link.session.connection.resumeReading() } }
      this.#intakeSources.set(link, source)
    }
    return source
  }

  /** A batch the intake stored: flood live messages on, look for gaps, tell the UI once. */
  #onStored (batch: Accepted[]): void {
    const shown: StoredMessage[] = []
    const changed = new Set<string>()
    let flagged = false
    let history = false
    // A removal in this batch cuts its member off before anything of the batch is passed on to them.
    if (batch.some(b => (b.outcome === 'stored' || b.outcome === 'conflict') && (b.message.kind === KIND_MEMBERSHIP || b.message.kind === KIND_EPOCH))) this.#membershipChanged()
    for (const { message, source, live, outcome } of batch) {
      if (outcome === 'known') continue
      const authorHex = toHex(message.author)
      if (outcome === 'conflict' || outcome === 'refused') {
        flagged ||= !this.#flagged.has(authorHex)
        this.#flagged.add(authorHex)
        this.#log.warn('an author signed two different messages under one sequence number', { author: authorHex.slice(0, 16), seq: message.seq })
        // A further version may have taken the place of one held: counted again, not added to.
        this.#unread = null
      }
      if (outcome === 'refused') continue
      if (live) {
        this.swarm.relay(encodeMessage({ raw: message.raw }), authorHex, source.key)
        // A live message after a hole: the sender may hold what we missed.
        if (!this.#gaps.follows(authorHex, message.author, message.seq)) this.#syncs.get(source.key)?.trigger()
      } else {
        history = true
      }
      this.#members.wrote(authorHex)
      if (authorHex === this.#ctx.ownKeyHex) this.#outbox.ownMessageArrived()
      // Our own messages arrive from peers too (after a leave and a join again): the history shows them.
      // Entries of kinds this version does not know are kept and passed on, not shown.
      if (SHOWN_KINDS.includes(message.kind)) {
        shown.push(toStoredEntry(message, this.channelId, 0))
        this.#typing.ended(authorHex)
      } else if (message.kind === KIND_INVITATION) {
        const entry = decodeEntryBody(message.kind, message.body)
        if (entry.kind === 'invitation' && authorHex === this.#ctx.privatePeer) this.#ctx.invited(authorHex, message.id, entry.link)
      } else {
        for (const target of targetsOf(message)) changed.add(target)
      }
    }
    const received = this.#view.page(shown)
    for (const target of changed) {
      const info = this.#view.one(target)
      if (info !== undefined && !received.some(m => m.messageId === target)) this.#ctx.emit('message.updated', info)
    }
    // What one peer sent us in answer to reconciliation, others may lack: reconcile with them soon.
    if (history) this.#syncs.triggerAll(key => batch.some(b => !b.live && b.source.key === key))
    if (this.#unread !== null) this.#unread += received.filter(m => !m.own).length
    this.#receipts.stored(new Set(batch.filter(b => b.outcome !== 'known').map(b => toHex(b.message.author)).filter(a => a !== this.#ctx.ownKeyHex)))
    for (const event of receivedEvents(received)) this.#ctx.emit('message.received', event)
    if (received.length > 0 || flagged) this.#storedUpdate.call()
  }
}


/** The messages an entry that is not itself shown changes: its target, or what a deletion takes away. */
function targetsOf (message: GroupMessage): string[] {
  try {
    const entry = decodeEntryBody(message.kind, message.body)
    if (entry.kind === 'delete') return entry.targets.map(t => t.id)
    return 'target' in entry ? [entry.target] : []
  } catch {
    return []
  }
}
