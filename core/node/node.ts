import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BitChatApi, BitChatEvents, EventName, MessageInfo } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import type { AnyEventListener, BitChatService } from '../api/service.ts'
import { createChannelDescriptor, encodeChatFile, parseChatFile, type ChannelDescriptor } from '../channel/chat-file.ts'
import { toChannelUri } from '../channel/uri.ts'
import type { EpochKey } from '../channel/epoch-link.ts'
import { channelIdOf } from '../channel/keys.ts'
import { signGenesis } from '../channel/genesis.ts'
import { bytesEqual } from '../codec/bytes.ts'
import type { Identity } from '../identity/identity.ts'
import { fromHex, toHex } from '../codec/hex.ts'
import { connectionBudget, OutboundBudget } from '../mesh/connection-budget.ts'
import { raiseDescriptorLimit } from '../limits/descriptor-limit.ts'
import type { ConnectionTimings } from '../connection/connection.ts'
import { ConnectionPool } from '../peers/connection-pool.ts'
import { ProfileBook } from '../peers/profile-book.ts'
import { LocalProfile } from './local-profile.ts'
import { isUnicast, parseHostPort } from '../wire/address.ts'
import { Store } from '../store/store.ts'
import { createLogger, type Logger } from '../log.ts'
import { ChannelRoom } from './channel-room.ts'
import { listWithinBudget } from './message-pages.ts'
import { IdentityKeeper } from './identity-keeper.ts'
import { DiscoveryHub } from './discovery-hub.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { OutsidePaths } from './outside-paths.ts'
import { lockable, type IdentityLock } from './identity-lock.ts'
import { readDescriptor } from './join-source.ts'
import { NodeSettings } from './node-settings.ts'
import { localAddresses } from '../discovery/local-addresses.ts'
import { lockDataDir } from './data-dir-lock.ts'
import type { NodeOptions } from './options.ts'
import { errorMessage } from '../error-message.ts'
import { AddressBook } from '../contacts/address-book.ts'
import { contactsApi } from '../contacts/contacts-api.ts'
import { PrivateConversations } from './private-conversations.ts'
import { bindListenPort, moveListenPort, type ListenPortContext } from './listen-port.ts'
import { Invitations } from './invitations.ts'
import { searchQuery } from '../store/search-index.ts'
import { decodeIdentityFile, encodeIdentityFile, IDENTITY_FILE_EXTENSION } from '../identity/identity-file.ts'
import { Relaying } from './relaying.ts'
import { DirectPaths } from './direct-paths.ts'
import type { Connection } from '../connection/connection.ts'
import type { RelayService } from '../relay/relay-service.ts'
import { directDialAllowed } from '../peers/direct-dials.ts'


/** Where the open-files limit cannot be read: what most systems start a process with. */
const DEFAULT_OPEN_FILES = 1024
/** Trackers a private channel is announced to, taken from the channels we are in. */
const PRIVATE_TRACKERS = 16

/** Starts a BitChat node on `opts.dataDir`: opens its database, unlocks its identity and rejoins its channels. */
export async function startNode (opts: NodeOptions & { timings?: ConnectionTimings }): Promise<BitChatNode> {
  const node = new BitChatNode(opts)
  try {
    await node.start()
  } catch (err) {
    await node.close()
    throw err
  }
  return node
}

/**
 * The running core: one identity, one listening port, one room per joined channel. It is the
 * one implementation of BitChatApi; the daemon, Electron and the web UI only carry calls to it.
 */
export class BitChatNode implements BitChatService {
  readonly api: BitChatApi
  readonly #opts: NodeOptions & { timings?: ConnectionTimings }
  readonly #log: Logger
  readonly #store: Store
  readonly #keeper: IdentityKeeper
  readonly #contacts: AddressBook
  readonly #private: PrivateConversations
  readonly #invitations: Invitations
  readonly #outside: OutsidePaths
  readonly #settings: NodeSettings
  readonly #rooms = new Map<string, ChannelRoom>()
  readonly #listeners = new Set<AnyEventListener>()
  readonly #localHosts = localAddresses()
  #pool: ConnectionPool | null = null
  #relaying: Relaying | null = null
  #paths: DirectPaths | null = null
  /** Connected peers' signed profiles: their names and listen ports. */
  readonly #profiles = new ProfileBook()
  /** How each connected peer says it sees our address. */
  readonly #observed = new Map<string, string>()
  #discovery: DiscoveryHub | null = null
  #closed = false
  readonly #unlock: () => void
  /** Someone dialled us and completed a handshake: our port is reachable from where they are. */
  #reachable = false
  /** identity.lock: every client is locked out until the passphrase is given again. */
  readonly #lock: IdentityLock = { locked: false }

  constructor (opts: NodeOptions & { timings?: ConnectionTimings }) {
    this.#opts = opts
    this.#log = opts.log ?? createLogger()
    fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 })
    this.#unlock = lockDataDir(opts.dataDir)
    try {
      this.#store = Store.open(path.join(opts.dataDir, 'bitchat.db'))
    } catch (err) {
      this.#unlock()
      throw err
    }
    this.#keeper = new IdentityKeeper(this.#store)
    this.#outside = new OutsidePaths({
      store: this.#store,
      log: this.#log,
      onAnnouncedPort: () => { for (const room of this.#rooms.values()) room.refreshAnnouncers(true) },
      acceptsIncoming: () => this.#opts.acceptIncoming !== false
    })
    this.#settings = new NodeSettings({
      store: this.#store,
      dataDir: path.resolve(opts.dataDir),
      outside: this.#outside,
      listenPort: () => this.listenPort,
      moveTo: async (port) => { await this.#moveTo(port) },
      rooms: () => this.#rooms.values(),
      relaying: () => this.#relaying,
      discovery: () => this.#discovery,
      pool: () => this.#pool,
      observed: () => this.#observed.values(),
      reachable: () => this.#reachable,
      udp: () => this.#paths?.udp ?? null,
      proxyChanged: () => {
        // Direct connections made before would go on showing where we are.
        if (this.#outside.proxy.current !== null) {
          this.#pool?.closeTransport('tcp', CloseCode.NORMAL, 'connections go through the proxy now')
          this.#pool?.closeTransport('udp', CloseCode.NORMAL, 'connections go through the proxy now')
        }
        this.#pool?.announceProfile()
      },
      relayOnlyChanged: () => {
        // Those who are not contacts are reached through relays from now on (the peer book redials them so).
        if (this.#outside.relayOnly) this.#pool?.closeDirectNotAllowed(CloseCode.NORMAL, 'connections to members who are not contacts go through relays now')
        this.#pool?.announceProfile()
      }
    })
    this.#contacts = new AddressBook({
      store: this.#store,
      ownKey: () => this.#keeper.require().publicKey,
      theirNameOf: (key) => this.#profiles.nameOf(key),
      onUpdated: (contact) => { this.#emit('contact.updated', contact) },
      onRemoved: (publicKey) => {
        this.#pool?.closeDirectNotAllowed(CloseCode.NORMAL, 'no longer a contact: reached through relays')
        this.#emit('contact.removed', { publicKey })
      },
      onBlockChange: (key, blocked) => { this.#onBlockChange(key, blocked) }
    })
    this.#private = new PrivateConversations({
      identity: () => this.#keeper.require(),
      trackers: () => this.#knownTrackers(),
      isBlocked: (key) => this.#contacts.isBlocked(key),
      join: (descriptor) => this.#join(descriptor).channelId
    })
    this.#invitations = new Invitations({
      store: this.#store,
      log: this.#log,
      emit: (invitation) => { this.#emit('invitation.received', invitation) },
      isJoined: (channelId) => this.#rooms.has(channelId),
      join: (descriptor, epoch) => this.#join(descriptor, epoch).channelId,
      nameOf: (key) => this.#profiles.nameOf(key) ?? this.#contacts.theirName(key),
      ownKey: () => toHex(this.#keeper.require().publicKey),
      isBlocked: (key) => this.#contacts.isBlocked(key),
      create: (name, members) => {
        const descriptor = createChannelDescriptor({ name, trackers: this.#knownTrackers(), mode: 'invite', creator: this.#keeper.require(), members: members.map(fromHex) })
        this.#join(descriptor)
        return descriptor
      },
      joined: (channelId) => {
        const room = this.#room(channelId)
        return { descriptor: room.descriptor, privatePeer: room.privatePeer, link: () => room.link() }
      },
      openPrivate: (key) => this.#private.open(key),
      sendInvitation: async (channelId, link) => { await this.#room(channelId).messages.invite(link) },
      admit: async (channelId, key) => { await this.#room(channelId).changeMembership('add', key) },
      lets: (channelId, key) => this.#room(channelId).lets(key)
    })
    this.api = lockable(this.#makeApi(), this.#lock, this.#keeper, (status) => { this.#emit('identity.updated', status) })
  }

  async start (): Promise<void> {
    const opts = this.#opts
    if (opts.port !== undefined) this.#store.setSetting('listenPort', String(opts.port))
    if (opts.proxy !== undefined) await this.#outside.setProxy(opts.proxy)
    if (opts.portMapping !== undefined) this.#outside.setPortMapping(opts.portMapping)
    if (opts.relayForOthers !== undefined) this.#store.setSetting('relayForOthers', String(opts.relayForOthers))
    if (opts.relayOnly !== undefined) await this.#outside.setRelayOnly(opts.relayOnly)
    const status = this.#keeper.status()
    if (status.state === 'none' && opts.createIdentity === true) await this.#keeper.create(opts.name ?? os.userInfo().username)
    else if (status.state === 'locked' && opts.passphrase !== undefined) await this.#keeper.unlock(opts.passphrase)
    else if (status.state === 'ready' && opts.name !== undefined) this.#keeper.setName(opts.name)
    if (this.#keeper.identity !== null) await this.#goOnline()
    else this.#log.info('identity not ready: waiting for the user', { state: this.#keeper.status().state })
  }

  onEvent (listener: AnyEventListener): () => void {
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    // Connections end first, as SHUTTING_DOWN: peers redial us later. Rooms stopping first would
    // tell every peer we left each channel, and they would stop seeking us in it.
    await Promise.allSettled([this.#pool?.close(), this.#outside.stop()])
    await this.#paths?.close()
    await Promise.allSettled([...this.#rooms.values()].map(r => r.stop('shutting down')))
    this.#rooms.clear()
    await this.#discovery?.close()
    this.#store.close()
    this.#unlock()
    this.#listeners.clear()
  }

  get listenPort (): number { return this.#pool?.port ?? 0 }

  #acceptsIncoming (): boolean {
    return this.#opts.acceptIncoming !== false && !this.#outside.hidesAddress
  }

  /** Whether a direct dial may reach this key (null: whoever listens at an unvouched address): with 'Hide my IP address', only a contact. */
  #directAllowed (keyHex: string | null, hearsay?: boolean): boolean {
    return directDialAllowed(this.#outside.relayOnly, keyHex, (key) => this.#contacts.isContact(key), hearsay)
  }
  /** Relaying for others, once online (tests play a hostile relay through its `inspect`). */
  get relayService (): RelayService | null { return this.#relaying?.service ?? null }

  #emit<E extends EventName> (event: E, payload: BitChatEvents[E]): void {
    // A locked node tells its clients nothing but that it is locked (or unlocked again).
    if (this.#lock.locked && event !== 'identity.updated') return
    for (const listener of this.#listeners) {
      try { listener(event, payload) } catch (err) { this.#log.error('event listener failed', { event, error: (err as Error).message }) }
    }
  }

  /** Binds the listening port and rejoins every stored channel; runs once the identity is unlocked. */
  async #goOnline (): Promise<void> {
    const identity = this.#keeper.require()
    this.#log.info('identity ready', { publicKey: toHex(identity.publicKey).slice(0, 16) })
    const openFiles = raiseDescriptorLimit((problem) => { this.#log.warn(problem) })
    const budget = connectionBudget(openFiles?.soft ?? DEFAULT_OPEN_FILES)
    this.#log.info('connection limits', { openFiles: openFiles?.soft ?? null, ...budget.inbound, maxOutbound: budget.maxOutbound })
    const localProfile = new LocalProfile(this.#store, identity)
    this.#pool = new ConnectionPool({
      identity,
      log: this.#log,
      timings: this.#opts.timings,
      inbound: budget.inbound,
      outbound: new OutboundBudget(budget.maxOutbound),
      // A node that takes no connections says it listens nowhere, so nobody passes on a dead address.
      // Behind a proxy or hiding our address, nothing comes in directly: an address peers stored from before would confirm where we are.
      profile: () => localProfile.record(this.#keeper.name, this.#acceptsIncoming() ? this.listenPort : 0),
      acceptIncoming: () => this.#acceptsIncoming(),
      onOtherStream: (connection, stream) => (this.#relaying?.onStream(connection, stream) ?? false) || (this.#paths?.onStream(connection, stream) ?? false),
      onAdopted: (connection) => { this.#paths?.adopted(connection) },
      udp: () => this.#paths?.transport ?? null,
      relayDial: async (key, channelId) => await this.#relaying!.dial(key, channelId),
      directAllowed: (key, hearsay) => this.#directAllowed(key, hearsay),
      onProfile: (key, record) => { this.#onProfile(key, record) },
      onObserved: (key, address, connection) => { this.#onObserved(key, address, connection) },
      onGone: (key) => {
        this.#profiles.forget(key)
        this.#observed.delete(key)
        this.#emit('presence', { publicKey: key, online: false, lastSeen: Date.now() })
      },
      onConnected: (key) => { this.#emit('presence', { publicKey: key, online: true, lastSeen: Date.now() }) },
      onReachable: () => { this.#reachable = true },
      isBlocked: (key) => this.#contacts.isBlocked(key),
      onUnknownTopic: (key, topic, handshakeHash) => this.#private.acceptOffer(key, topic, handshakeHash),
      transport: () => this.#outside.proxy.transport,
      mayKeep: (connection) => this.#mayKeep(connection)
    })
    this.#relaying = new Relaying({
      pool: this.#pool,
      ownKeyHex: toHex(identity.publicKey),
      rooms: () => this.#rooms.values(),
      isBlocked: (key) => this.#contacts.isBlocked(key),
      privatePsk: (key) => this.#private.pskWith(key),
      enabled: () => this.#settings.relayForOthers,
      log: this.#log
    })
    const { udp } = this.#paths = new DirectPaths({ pool: this.#pool, host: this.#opts.host, ownKeyHex: toHex(identity.publicKey), acceptsIncoming: () => this.#acceptsIncoming(), log: this.#log })
    await bindListenPort(this.#portContext(this.#pool), Number(this.#store.getSetting('listenPort') ?? '0'))
    await this.#outside.attachUdp(udp, this.listenPort)
    if (this.#opts.dht !== false || this.#opts.lan !== false) {
      this.#discovery = await DiscoveryHub.start({
        node: this.#opts,
        tcpPort: this.listenPort,
        store: this.#store,
        log: this.#log,
        asleep: this.#outside.hidesAddress,
        udp: () => udp.endpoint?.datagrams ?? null,
        onObserved: (observed, by) => { udp.observed(observed, by) }
      })
    }
    this.#outside.listening(this.listenPort, this.#discovery)
    for (const row of this.#store.listChannels()) {
      try {
        const descriptor = this.#signedIfOurs(parseChatFile(row.chatFile, {
          stored: true,
          dropBadTracker: problem => { this.#log.warn('skipping a tracker of a stored channel', { channel: row.channelId, problem }) }
        }), identity)
        this.#rooms.set(row.channelId, this.#startRoom(row.channelId, descriptor))
      } catch (err) {
        this.#log.error('cannot reopen a stored channel', { channel: row.channelId, error: (err as Error).message })
      }
    }
  }

  /**
   * A channel stored before format 3 carries no creator's signature: when we made it, we sign it now,
   * so that it can be shared again (PROTOCOL §1.1). Private channels are never signed nor shared.
   */
  #signedIfOurs (descriptor: ChannelDescriptor, identity: Identity): ChannelDescriptor {
    if (descriptor.signature !== null || !bytesEqual(descriptor.creator, identity.publicKey) || this.#private.peerOf(descriptor) !== null) return descriptor
    return signGenesis(descriptor, identity)
  }

  #portContext (pool: ConnectionPool): ListenPortContext {
    return { pool, store: this.#store, host: this.#opts.host, log: this.#log }
  }

  /** Moves to `port` (PORT_IN_USE when it cannot be had); without a pool yet, only the choice is kept. */
  async #moveTo (port: number): Promise<void> {
    if (this.#pool === null) {
      this.#store.setSetting('listenPort', String(port))
      return
    }
    await moveListenPort(this.#portContext(this.#pool), port)
    this.#paths?.udp.move(this.listenPort)
    await this.#discovery?.updatePort(this.listenPort)
    this.#outside.listening(this.listenPort, this.#discovery)
  }

  /** A peer's signed profile: the rooms it shares with us show its name, and redial it where it listens. */
  #onProfile (keyHex: string, record: Uint8Array): void {
    let changed: boolean
    try {
      changed = this.#profiles.receive(keyHex, record)
    } catch (err) {
      this.#log.info('ignored a profile', { peer: keyHex.slice(0, 16), error: errorMessage(err) })
      return
    }
    if (!changed) return
    for (const room of this.#rooms.values()) room.profileChanged(keyHex)
    const name = this.#profiles.nameOf(keyHex)
    if (name !== undefined) this.#contacts.noteTheirName(keyHex, name)
  }

  /** Someone blocked is cut off at once; someone unblocked is reconciled with again, so what they wrote meanwhile comes. */
  #onBlockChange (keyHex: string, blocked: boolean): void {
    this.#pool?.blockChanged(keyHex, blocked)
    for (const room of this.#rooms.values()) room.blockChanged(blocked)
  }

  /** Where a peer says it sees us: only an address a host could have counts (network.status, and how our NAT maps). */
  #onObserved (keyHex: string, address: string, connection: Connection): void {
    const parsed = parseHostPort(address)
    if (parsed === null || !isUnicast(parsed.host)) return
    this.#observed.set(keyHex, address)
    this.#paths?.observed(connection, parsed)
  }

  /** A direct connection shows where we are: not kept while a proxy hides it, nor with 'hide my IP' to someone not a contact. */
  #mayKeep (connection: Connection): boolean {
    if (connection.transport === 'relay') return true
    if (this.#outside.proxy.current !== null && connection.transport !== 'proxy') return false
    return this.#pool?.directAllowed(connection.remoteKeyHex) ?? true
  }

  /** A started room, not yet one of ours: whoever keeps it adds it to #rooms. On failure nothing keeps running. */
  #startRoom (channelId: string, descriptor: ChannelDescriptor, linkEpoch: EpochKey | null = null): ChannelRoom {
    const identity = this.#keeper.require()
    const room = new ChannelRoom(channelId, descriptor, {
      store: this.#store,
      identity,
      ownKeyHex: toHex(identity.publicKey),
      localInfo: () => ({ name: this.#keeper.name, tcpPort: this.#outside.announcedPort, udpPort: 0 }),
      isSelfAddress: (host, port) => port === this.listenPort && this.#localHosts.has(host),
      pool: this.#requirePool(),
      profileOf: (key) => ({ name: this.#profiles.nameOf(key), tcpPort: this.#profiles.listenPortOf(key) }),
      tracker: () => this.#settings.trackerWay(),
      emit: (event, payload) => { this.#emit(event, payload) },
      discovery: this.#discovery,
      isBlocked: (key) => this.#contacts.isBlocked(key),
      privatePeer: this.#private.peerOf(descriptor),
      invited: (from, id, link) => { this.#invitations.received(from, id, link) },
      linkEpoch,
      readReceipts: () => this.#settings.readReceipts,
      log: this.#log
    })
    try {
      room.start()
    } catch (err) {
      this.#stopRoom(room, 'could not start')
      throw err
    }
    return room
  }

  #stopRoom (room: ChannelRoom, reason: string): void {
    room.stop(reason).catch((err: unknown) => { this.#log.error('a channel did not stop cleanly', { channel: room.channelId, error: errorMessage(err) }) })
  }

  #requirePool (): ConnectionPool {
    if (this.#pool === null) throw new BitChatError('INTERNAL', 'the node is not online yet')
    return this.#pool
  }

  #room (channelId: string): ChannelRoom {
    this.#keeper.require()
    const room = this.#rooms.get(channelId)
    if (room === undefined) throw BitChatError.channelNotFound(channelId)
    return room
  }

  /**
   * A contact's private channel is joined when they are added, so that they reach us there (and we
   * them) even with no channel in common: both sides find it from their two keys.
   */
  #meetContact (keyHex: string): void {
    if (this.#pool === null || this.#contacts.isBlocked(keyHex)) return
    try {
      this.#private.open(keyHex)
    } catch (err) {
      this.#log.warn('could not open the private conversation with a new contact', { peer: keyHex.slice(0, 16), error: errorMessage(err) })
    }
  }

  /** Trackers of the channels we are in, for a private channel (any tracker both of us reach will do). */
  #knownTrackers (): string[] {
    const urls = new Set<string>()
    for (const room of this.#rooms.values()) for (const url of room.descriptor.trackers.flat()) urls.add(url)
    return [...urls].slice(0, PRIVATE_TRACKERS)
  }

  async #ensureOnline (): Promise<void> {
    if (this.#pool === null && this.#keeper.identity !== null) await this.#goOnline()
    this.#emit('identity.updated', this.#keeper.status())
  }

  /** All or nothing: the channel is stored only once its room runs, and a failure stops the room again. */
  #join (descriptor: ChannelDescriptor, epoch: EpochKey | null = null): { channelId: string; name: string } {
    const channelId = channelIdOf(descriptor.secret)
    if (this.#rooms.has(channelId)) return { channelId, name: descriptor.name }
    const room = this.#startRoom(channelId, descriptor, epoch)
    try {
      this.#store.addChannel({ channelId, name: descriptor.name, chatFile: encodeChatFile(descriptor), joinedAt: Date.now(), lastReadAt: 0 })
      room.joined()
    } catch (err) {
      this.#stopRoom(room, 'could not store the channel')
      throw err
    }
    this.#rooms.set(channelId, room)
    this.#emit('channel.updated', room.summary())
    return { channelId, name: descriptor.name }
  }

  #makeApi (): Omit<BitChatApi, 'identity.lock'> {
    return {
      'identity.status': async () => this.#keeper.status(),
      'identity.create': async ({ name, passphrase }) => {
        const info = await this.#keeper.create(name, passphrase)
        await this.#ensureOnline()
        return info
      },
      'identity.unlock': async ({ passphrase }) => {
        const info = await this.#keeper.unlock(passphrase)
        await this.#ensureOnline()
        return info
      },
      'identity.setPassphrase': async ({ passphrase, current }) => {
        const info = await this.#keeper.setPassphrase(passphrase, current)
        this.#emit('identity.updated', this.#keeper.status())
        return info
      },
      'identity.get': async () => this.#keeper.info(),
      ...contactsApi(this.#contacts, () => ({ publicKey: this.#keeper.require().publicKey, name: this.#keeper.name }), (contact) => { this.#meetContact(contact.publicKey) }),
      'identity.export': async ({ passphrase, current }) => {
        const contacts = this.#contacts.list().map(({ publicKey, name, theirName, notes, verified, blocked }) => ({ publicKey, name, theirName, notes, verified, blocked }))
        const bytes = await this.#keeper.export(passphrase, current, async (secretKey, name) => await encodeIdentityFile({ secretKey, name, contacts }, passphrase))
        return { data: Buffer.from(bytes).toString('base64'), fileName: `${this.#keeper.name}${IDENTITY_FILE_EXTENSION}` }
      },
      'identity.import': async ({ data, passphrase }) => {
        if (this.#keeper.status().state !== 'none') throw new BitChatError('IDENTITY_EXISTS', 'an identity already exists in this data folder: import into a new one')
        const file = await decodeIdentityFile(Buffer.from(data, 'base64'), passphrase)
        const info = await this.#keeper.restore(file.secretKey, file.name, passphrase)
        this.#contacts.restore(file.contacts)
        await this.#ensureOnline()
        return info
      },
      'identity.setName': async ({ name }) => {
        const info = this.#keeper.setName(name)
        this.#pool?.announceProfile()
        this.#emit('identity.updated', this.#keeper.status())
        return info
      },

      'channels.create': async ({ name, trackers, inviteOnly, members, file }) => {
        const identity = this.#keeper.require()
        const descriptor = createChannelDescriptor({
          name,
          trackers,
          mode: inviteOnly === true ? 'invite' : 'open',
          creator: identity,
          members: inviteOnly === true ? (members ?? []).map(fromHex) : []
        })
        let written: string | undefined
        if (file !== undefined) {
          written = path.resolve(file)
          try {
            // Never over an existing file: the path comes from the caller, and could name anything.
            fs.writeFileSync(written, encodeChatFile(descriptor), { flag: 'wx' })
          } catch (err) {
            throw new BitChatError('FILE_ERROR', `cannot write ${written}: ${(err as Error).message}`)
          }
        }
        let channelId: string
        try {
          channelId = this.#join(descriptor).channelId
        } catch (err) {
          // The file we just wrote names a channel that does not exist: it goes too.
          if (written !== undefined) fs.rmSync(written, { force: true })
          throw err
        }
        return { channelId, uri: toChannelUri(descriptor), ...(written === undefined ? {} : { file: written }) }
      },
      'channels.join': async (params) => {
        this.#keeper.require()
        const { descriptor, epoch } = readDescriptor(params)
        return this.#join(descriptor, epoch)
      },
      'channels.leave': async ({ channelId }) => {
        const room = this.#room(channelId)
        this.#rooms.delete(channelId)
        // Forgotten before the slow part (telling trackers `stopped`): a join of the same channel
        // meanwhile must find neither the room nor its row, or this leave would delete what it stores.
        const stopping = room.stop('left the channel')
        this.#store.removeChannel(channelId)
        this.#emit('channel.removed', { channelId })
        await stopping
      },
      'channels.list': async () => {
        this.#keeper.require()
        return [...this.#rooms.values()].map(r => r.summary())
      },
      'channels.share': async ({ channelId }) => this.#room(channelId).share(),
      'channels.markRead': async ({ channelId }) => {
        const room = this.#room(channelId)
        room.markRead()
        this.#emit('channel.updated', room.summary())
      },
      'channels.setMuted': async ({ channelId, muted }) => {
        const room = this.#room(channelId)
        this.#store.setMuted(channelId, muted)
        const summary = room.summary()
        this.#emit('channel.updated', summary)
        return summary
      },

      'channels.invite': async (params) => ({ channelId: await this.#invitations.invite(params) }),
      'channels.addMember': async ({ channelId, publicKey }) => { await this.#room(channelId).changeMembership('add', publicKey) },
      'channels.removeMember': async ({ channelId, publicKey }) => { await this.#room(channelId).changeMembership('remove', publicKey) },
      'channels.setAdmin': async ({ channelId, publicKey, admin }) => { await this.#room(channelId).changeMembership(admin ? 'promote' : 'demote', publicKey) },
      'invitations.list': async () => this.#invitations.list(),
      'invitations.accept': async ({ invitationId }) => ({ channelId: this.#invitations.accept(invitationId) }),
      'invitations.decline': async ({ invitationId }) => { this.#invitations.decline(invitationId) },
      'peers.list': async ({ channelId }) => this.#room(channelId).peers().map(peer => this.#paths?.pathOf(peer, this.#pool?.connectionTo(peer.publicKey), this.#outside.status()) ?? peer),
      'channels.members': async ({ channelId }) => this.#room(channelId).members(),
      'channels.receipts': async ({ channelId }) => this.#room(channelId).receipts(),
      'conversations.openPrivate': async ({ publicKey }) => {
        if (publicKey === toHex(this.#keeper.require().publicKey)) throw BitChatError.invalidParams('that is your own key: a private conversation needs someone else')
        return { channelId: this.#private.open(publicKey) }
      },

      'messages.send': async ({ channelId, text, replyTo, mentions }) => {
        const message = await this.#room(channelId).sendText(text, replyTo, mentions)
        return { messageId: message.messageId, message }
      },
      'messages.edit': async ({ channelId, messageId, text, mentions }) => ({ message: await this.#room(channelId).messages.edit(messageId, text, mentions) }),
      'messages.delete': async ({ channelId, messageId }) => { await this.#room(channelId).messages.delete(messageId) },
      'messages.react': async ({ channelId, messageId, emoji }) => ({ message: await this.#room(channelId).messages.react(messageId, emoji) }),
      'messages.search': async ({ query, channelId, limit }) => {
        const match = searchQuery(query)
        if (match === null) throw BitChatError.invalidParams('query holds no word to look for')
        if (channelId !== undefined) this.#room(channelId)
        const rows = this.#store.searchMessages(match, channelId ?? null, limit ?? 50)
        // Shown by their rooms, a channel at a time, in the order found.
        const shown = new Map<string, MessageInfo>()
        for (const id of new Set(rows.map(r => r.channelId))) {
          const room = this.#rooms.get(id)
          if (room !== undefined) for (const m of room.show(rows.filter(r => r.channelId === id))) shown.set(m.messageId, m)
        }
        return rows.flatMap(r => shown.get(r.messageId) ?? [])
      },
      'messages.typing': async ({ channelId, typing }) => {
        this.#room(channelId).setTyping(typing)
      },
      'messages.list': async ({ channelId, limit, before, after, around }) => {
        const room = this.#room(channelId)
        return listWithinBudget((n, at) => room.listMessages(n, at), limit ?? 100, { before, after, around })
      },

      'network.status': async () => this.#settings.networkStatus(),
      'settings.get': async () => this.#settings.get(),
      'settings.set': async (params) => await this.#settings.set(params)
    }
  }
}
