// An in-memory stand-in for the BitChat core, speaking the contract's BitChatClient interface,
// so components can be driven without a daemon. End-to-end tests use the real core.
import type {
  BitChatEvents, ChannelNetwork, ChannelSummary, ContactInfo, EventName, Hex, IdentityInfo, IdentityStatus, InvitationInfo, KnownAddress,
  MemberInfo, MessageInfo, MethodName, NatType, NetworkStatus, ParamsOf, PeerInfo, ReceiptInfo, ResultOf, Settings, TrackerStatus
} from '../../../core/api/contract.ts'
import { ApiCallError, type ClientErrorCode } from '../../../renderer/src/client/api-call-error.ts'
import type { ConnectedClient, ConnectionState } from '../../../renderer/src/client/types.ts'

export interface RecordedCall { method: MethodName; params: unknown }

type Handlers = { [M in MethodName]: (params: ParamsOf<M>) => ResultOf<M> }

const foldForSearch = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

export const hex = (n: number): Hex => n.toString(16).padStart(64, '0')

export const ME: IdentityInfo = { publicKey: 'a'.repeat(64), fingerprint: 'AAAA BBBB CCCC DDDD', name: 'Me', encrypted: false }

export function channel (n: number, fields: Partial<ChannelSummary> = {}): ChannelSummary {
  return { channelId: hex(n), name: `channel-${n}`, peerCount: 0, mode: 'open', trackers: [], unread: 0, ...fields }
}

/** The private conversation with peer `n` (whose key is `peer(n)`'s), as channels.list gives it; `peerName` null when they signed none. */
export function privateChat (n: number, fields: Partial<ChannelSummary> = {}, peerName: string | null = `Peer ${n}`): ChannelSummary {
  const who = { publicKey: hex(1000 + n), fingerprint: `FP${n} 0000 0000 0000`, ...(peerName === null ? {} : { name: peerName }) }
  return channel(500 + n, { name: 'Private chat', mode: 'invite', kind: 'private', peer: who, ...fields })
}

/** A channel summary's newest message (`last`), written `minutesAgo` before a fixed time, by peer `n`'s key unless `fields` say otherwise. */
export function lastMessage (minutesAgo: number, fields: Partial<NonNullable<ChannelSummary['last']>> = {}): NonNullable<ChannelSummary['last']> {
  return { messageId: hex(700_000 + minutesAgo), author: hex(1001), authorName: 'Peer 1', own: false, text: `said ${minutesAgo} minutes ago`, timestamp: Date.UTC(2024, 4, 1, 12) - minutesAgo * 60_000, ...fields }
}

export function peer (n: number, fields: Partial<PeerInfo> = {}): PeerInfo {
  return { publicKey: hex(1000 + n), name: `Peer ${n}`, fingerprint: `FP${n}`, address: `192.0.2.${n}:4000`, transport: 'tcp', rttMs: 20 + n, sources: ['tracker'], direction: 'outgoing', ...fields }
}

/** Someone known in a channel, offline and never seen unless `fields` say otherwise; the same key as `peer(n)`. */
export function member (n: number, fields: Partial<MemberInfo> = {}): MemberInfo {
  return { publicKey: hex(1000 + n), name: `Peer ${n}`, fingerprint: `FP${n}`, role: 'member', online: false, lastSeen: null, ...fields }
}

export function message (n: number, fields: Partial<MessageInfo> = {}): MessageInfo {
  return {
    messageId: hex(100_000 + n), channelId: hex(1), author: hex(1001), authorName: 'Peer 1',
    text: `message ${n}`, timestamp: Date.UTC(2024, 4, 1, 12) + n * 60_000, seq: n, own: false, ...fields
  }
}

export function contact (n: number, fields: Partial<ContactInfo> = {}): ContactInfo {
  return { publicKey: hex(1000 + n), name: `Contact ${n}`, theirName: `Peer ${n}`, fingerprint: `FP${n} 0000 0000 0000`, verified: false, blocked: false, notes: '', addedAt: Date.UTC(2024, 4, 1), ...fields }
}

/** An invitation from peer `n` to an invite-only channel with two members besides its creator. */
export function invitation (n: number, fields: Partial<InvitationInfo> = {}): InvitationInfo {
  return {
    invitationId: hex(300_000 + n), channelId: hex(700 + n), name: `group-${n}`, mode: 'invite',
    from: { publicKey: hex(1000 + n), fingerprint: `FP${n} 0000 0000 0000`, name: `Peer ${n}` },
    members: 2, receivedAt: Date.UTC(2024, 4, 1) + n * 60_000, status: 'pending', ...fields
  }
}

/** A contact link as the core writes it (the check `x` is not checked here). */
export function contactLink (publicKey: Hex, name: string): string {
  return `bitchat:contact?v=1&k=${publicKey}&n=${encodeURIComponent(name)}&x=0badc0de`
}

/** A contact file as the core writes it (the fingerprint is not checked here). */
export function contactFile (publicKey: Hex, name: string): string {
  return `bitchat-contact 1\nkey: ${publicKey}\nname: ${name}\nfingerprint: ${publicKey.slice(0, 4).toUpperCase()} 1111 2222 3333\n`
}

/** Twelve groups of five digits, as `contacts.safetyCode` answers. */
export const SAFETY_CODE = '05123 99870 12345 67890 11111 22222 33333 44444 55555 66666 77777 88888'

export function networkStatus (fields: Partial<NetworkStatus> = {}): NetworkStatus {
  return {
    listenPort: 4000,
    observedAddresses: [],
    reachable: false,
    dht: { enabled: false, nodes: 0, bootstrapped: false, lastError: null },
    lan: { enabled: false, lastError: null },
    channels: [],
    ...fields
  }
}

/**
 * The node's situation behind each kind of NAT, as network.status reports it: merged into a status,
 * it shows the network panel's "Your connection" as a person behind such a router sees it.
 */
export const NAT_SITUATIONS: Record<NatType, Partial<NetworkStatus>> = {
  open: {
    nat: 'open', reachable: true, publicAddresses: ['198.51.100.20:4000'], observedAddresses: ['198.51.100.20:4000'], udp: { enabled: true, port: 4000 },
    portMapping: { state: 'unavailable', reason: 'no router on this network offers UPnP or NAT-PMP' }
  },
  consistent: {
    nat: 'consistent', reachable: true, publicAddresses: ['203.0.113.7:4000'], observedAddresses: ['203.0.113.7:4000', '203.0.113.7:52113'], udp: { enabled: true, port: 4000 },
    portMapping: { state: 'mapped', via: 'upnp', gateway: '192.168.1.1', internalPort: 4000, externalHost: '203.0.113.7', externalPort: 4000, protocols: ['tcp', 'udp'] }
  },
  random: {
    nat: 'random', reachable: false, publicAddresses: ['198.51.100.77:61021', '198.51.100.77:53388'], observedAddresses: ['198.51.100.77:40112'], udp: { enabled: true, port: 4000 },
    portMapping: { state: 'unavailable', reason: 'no router on this network offers UPnP or NAT-PMP' }
  },
  unknown: {
    nat: 'unknown', reachable: false, publicAddresses: [], observedAddresses: [], udp: { enabled: false, port: 0, reason: 'a proxy is set' },
    proxy: 'socks5://127.0.0.1:9050', portMapping: { state: 'off', reason: 'a proxy is set' },
    dht: { enabled: false, nodes: 0, bootstrapped: false, lastError: null }, lan: { enabled: false, lastError: null }
  }
}

export function channelNetwork (n: number, fields: Partial<ChannelNetwork> = {}): ChannelNetwork {
  return { channelId: hex(n), name: `channel-${n}`, trackers: [], addresses: [], ...fields }
}

export function tracker (url: string, fields: Partial<TrackerStatus> = {}): TrackerStatus {
  return { url, lastAnnounceAt: null, nextAnnounceAt: null, peersReturned: 0, lastError: null, ...fields }
}

export function knownAddress (address: string, fields: Partial<KnownAddress> = {}): KnownAddress {
  return { address, publicKey: null, sources: ['tracker'], status: 'idle', failures: 0, ...fields }
}

export class FakeCore implements ConnectedClient {
  readonly calls: RecordedCall[] = []
  status: IdentityStatus = { state: 'ready', identity: ME }
  passphrase = ''
  channels = new Map<Hex, ChannelSummary>()
  messages = new Map<Hex, MessageInfo[]>()
  peers = new Map<Hex, PeerInfo[]>()
  /** What channels.members answers for a channel; without an entry, its peers, online now. */
  members = new Map<Hex, MemberInfo[]>()
  settings: Settings = { listenPort: 4000, trackerUserAgent: 'qBittorrent/4.6.5', trackerPeerIdPrefix: '-qB4650-', readReceipts: true, proxy: null, portMapping: true, relayForOthers: true, relayOnly: false, relayLimits: { circuitsPerPeer: 4, circuits: 32, lifetimeMs: 3_600_000, bytesPerSecondPerCircuit: 262_144, bytesPerSecond: 1_048_576 }, dataDir: '/tmp/bitchat' }
  network: NetworkStatus = networkStatus()
  contacts = new Map<Hex, ContactInfo>()
  /** What `channels.receipts` answers per channel; `emit('receipt', …)` moves them on as the core would. */
  receipts = new Map<Hex, ReceiptInfo[]>()
  /** Fields of the channel the next `channels.join` adds (an invite-only channel we are not on, say). */
  joining: Partial<ChannelSummary> = {}
  /** What invitations.list answers; accepting one adds its channel, as joining does. */
  invitations = new Map<Hex, InvitationInfo>()
  private connection: ConnectionState = 'connected'
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>()
  private readonly focusListeners = new Set<(channelId: Hex) => void>()
  private readonly failures = new Map<MethodName, ApiCallError>()
  private readonly holds = new Map<MethodName, Promise<void>>()
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>()
  private nextId = 1

  private readonly handlers: Handlers = {
    'identity.status': () => this.status,
    'identity.create': p => {
      if (this.status.state !== 'none') throw new ApiCallError('IDENTITY_EXISTS', 'identity exists')
      const identity = { ...ME, name: p.name, encrypted: p.passphrase !== undefined }
      this.status = { state: 'ready', identity }
      return identity
    },
    'identity.unlock': p => {
      if (p.passphrase !== this.passphrase) throw new ApiCallError('WRONG_PASSPHRASE', 'wrong passphrase')
      this.status = { state: 'ready', identity: { ...ME, encrypted: true } }
      return this.identity()
    },
    'identity.setPassphrase': p => {
      if (this.identity().encrypted && p.current !== this.passphrase) {
        throw new ApiCallError(p.current === undefined ? 'INVALID_PARAMS' : 'WRONG_PASSPHRASE', p.current === undefined ? 'current passphrase required' : 'wrong passphrase')
      }
      this.passphrase = p.passphrase ?? ''
      return this.updateIdentity({ encrypted: p.passphrase !== null })
    },
    'identity.get': () => this.identity(),
    'identity.lock': () => ({ state: 'locked' as const }),
    'identity.setName': p => this.updateIdentity({ name: p.name }),
    'identity.export': () => ({ data: 'AA==', fileName: `${this.identity().name}.bitchat-identity` }),
    'identity.import': () => {
      if (this.status.state !== 'none') throw new ApiCallError('IDENTITY_EXISTS', 'an identity already exists')
      this.status = { state: 'ready', identity: { ...ME, encrypted: true } }
      return this.identity()
    },
    'identity.contactLink': () => ({ link: contactLink(this.identity().publicKey, this.identity().name) }),
    'identity.contactFile': () => ({ text: contactFile(this.identity().publicKey, this.identity().name), fileName: `${this.identity().name}.bitchat-contact` }),
    'contacts.list': () => [...this.contacts.values()],
    'contacts.add': p => {
      const fromLink = p.link !== undefined ? this.parseContactLink(p.link) : p.contactFile !== undefined ? this.parseContactFile(p.contactFile) : undefined
      const publicKey = fromLink?.publicKey ?? p.publicKey ?? ''
      const existing = this.contacts.get(publicKey)
      const added: ContactInfo = existing === undefined
        ? { publicKey, name: p.name ?? fromLink?.name ?? '', theirName: null, fingerprint: `${publicKey.slice(0, 4).toUpperCase()} 1111 2222 3333`, verified: false, blocked: false, notes: '', addedAt: Date.now() }
        : { ...existing, ...(p.name === undefined ? {} : { name: p.name }) }
      this.contacts.set(publicKey, added)
      return added
    },
    'contacts.update': ({ publicKey, ...changes }) => {
      // As the core does: blocking someone who is not a contact adds them, so the block is remembered.
      const existing = this.contacts.get(publicKey) ?? (changes.blocked === true ? contact(0, { publicKey, name: '', theirName: null }) : undefined)
      if (existing === undefined) throw new ApiCallError('CONTACT_NOT_FOUND', `${publicKey.slice(0, 16)}… is not in the address book`)
      const updated = { ...existing, ...changes }
      this.contacts.set(publicKey, updated)
      return updated
    },
    'contacts.remove': p => {
      if (!this.contacts.delete(p.publicKey)) throw new ApiCallError('CONTACT_NOT_FOUND', `${p.publicKey.slice(0, 16)}… is not in the address book`)
    },
    'contacts.safetyCode': () => ({ code: SAFETY_CODE }),
    'contacts.inspectLink': p => {
      const { publicKey, name } = this.parseContactLink(p.link)
      return { publicKey, name, fingerprint: `${publicKey.slice(0, 4).toUpperCase()} 1111 2222 3333`, known: this.contacts.has(publicKey) }
    },
    'contacts.inspectFile': p => {
      const { publicKey, name } = this.parseContactFile(p.contactFile)
      return { publicKey, name, fingerprint: `${publicKey.slice(0, 4).toUpperCase()} 1111 2222 3333`, known: this.contacts.has(publicKey) }
    },
    'channels.create': p => {
      const summary = channel(this.channels.size + 50, { name: p.name, trackers: p.trackers, mode: p.inviteOnly === true ? 'invite' : 'open' })
      this.channels.set(summary.channelId, summary)
      return { channelId: summary.channelId, uri: `bitchat:?v=1&n=${p.name}` }
    },
    'channels.join': () => {
      const summary = channel(this.channels.size + 80, { name: 'joined', ...this.joining })
      this.channels.set(summary.channelId, summary)
      return { channelId: summary.channelId, name: summary.name }
    },
    'channels.leave': p => { this.channels.delete(p.channelId) },
    'channels.list': () => [...this.channels.values()],
    'channels.invite': p => {
      if (p.channelId !== undefined) return { channelId: p.channelId }
      const summary = channel(this.channels.size + 70, { name: p.name ?? 'group', mode: 'invite' })
      this.addChannel(summary)
      return { channelId: summary.channelId }
    },
    'invitations.list': () => [...this.invitations.values()],
    'invitations.accept': p => {
      const found = this.answerInvitation(p.invitationId, 'accepted')
      this.addChannel(channel(0, { channelId: found.channelId, name: found.name, mode: found.mode }))
      return { channelId: found.channelId }
    },
    'invitations.decline': p => { this.answerInvitation(p.invitationId, 'declined') },
    'channels.addMember': () => {},
    'channels.removeMember': () => {},
    'channels.setAdmin': () => {},
    'channels.share': p => ({ channelId: p.channelId, uri: 'bitchat:?v=1&n=shared', data: 'AQID', fileName: 'shared.chat' }),
    'channels.markRead': p => {
      const c = this.channels.get(p.channelId)
      if (c !== undefined) this.channels.set(p.channelId, { ...c, unread: 0 })
    },
    'channels.setMuted': p => {
      const c = this.channels.get(p.channelId)
      if (c === undefined) throw new ApiCallError('CHANNEL_NOT_FOUND', 'no such channel')
      const muted = { ...c, muted: p.muted }
      this.channels.set(p.channelId, muted)
      return muted
    },
    'peers.list': p => this.peers.get(p.channelId) ?? [],
    'channels.receipts': p => this.receipts.get(p.channelId) ?? [],
    'channels.members': p => this.members.get(p.channelId) ?? (this.peers.get(p.channelId) ?? []).map(x => ({ publicKey: x.publicKey, name: x.name, fingerprint: x.fingerprint, role: 'member' as const, online: true, lastSeen: Date.now() })),
    'conversations.openPrivate': p => {
      const existing = [...this.channels.values()].find(c => c.kind === 'private' && c.peer?.publicKey === p.publicKey)
      if (existing !== undefined) return { channelId: existing.channelId }
      const summary = channel(this.channels.size + 60, { name: 'Private chat', mode: 'invite', kind: 'private', peer: { publicKey: p.publicKey, fingerprint: 'PPPP QQQQ' } })
      this.channels.set(summary.channelId, summary)
      return { channelId: summary.channelId }
    },
    'messages.send': p => {
      const me = this.status.identity ?? ME
      const n = this.nextId++
      const answered = p.replyTo === undefined ? undefined : this.messages.get(p.channelId)?.find(m => m.messageId === p.replyTo)
      const replyTo = p.replyTo === undefined ? {} : { replyTo: answered === undefined ? { messageId: p.replyTo, missing: true } : { messageId: p.replyTo, author: answered.author, authorName: answered.authorName, text: answered.text.slice(0, 200) } }
      const mentions = p.mentions === undefined || p.mentions.length === 0 ? {} : { mentions: p.mentions, mentionsMe: p.mentions.includes(me.publicKey) }
      const sent = message(900_000 + n, { channelId: p.channelId, text: p.text, author: me.publicKey, authorName: me.name, own: true, timestamp: Date.now(), seq: n, state: 'sent', deliveredTo: 0, readBy: 0, ...replyTo, ...mentions })
      return { messageId: sent.messageId, message: sent }
    },
    'messages.typing': () => {},
    // Newest first, as the core answers; every word of the query as the beginning of a word, without case or accents.
    'messages.search': p => {
      const words = foldForSearch(p.query).match(/[\p{L}\p{N}_]+/gu) ?? []
      const found = [...(p.channelId === undefined ? [...this.messages.values()].flat() : this.messages.get(p.channelId) ?? [])]
        .filter(m => m.deleted !== true && words.every(w => new RegExp(`(^|[^\\p{L}\\p{N}_])${w}`, 'u').test(foldForSearch(m.text))))
      return found.sort((a, b) => b.timestamp - a.timestamp).slice(0, p.limit ?? 50)
    },
    'messages.edit': p => ({ message: this.updateMessage(p.channelId, p.messageId, { text: p.text, editedAt: Date.now(), ...(p.mentions === undefined || p.mentions.length === 0 ? {} : { mentions: p.mentions, mentionsMe: false }) }) }),
    'messages.delete': p => { this.updateMessage(p.channelId, p.messageId, { text: '', deleted: true }) },
    'messages.react': p => ({ message: this.updateMessage(p.channelId, p.messageId, p.emoji === '' ? { reactions: [] } : { reactions: [{ emoji: p.emoji, count: 1, mine: true, by: [(this.status.identity ?? ME).publicKey] }] }) }),
    'messages.list': p => {
      const all = this.messages.get(p.channelId) ?? []
      const limit = p.limit ?? 100
      const at = (id: Hex): number => all.findIndex(m => m.messageId === id)
      if (p.after !== undefined) return at(p.after) < 0 ? [] : all.slice(at(p.after) + 1, at(p.after) + 1 + limit)
      if (p.around !== undefined) {
        const i = at(p.around)
        if (i < 0) return []
        const start = Math.max(0, Math.min(i - Math.floor(limit / 2), all.length - limit))
        return all.slice(start, start + limit)
      }
      const end = p.before === undefined ? all.length : at(p.before)
      return end < 0 ? [] : all.slice(Math.max(0, end - limit), end)
    },
    'network.status': () => this.network,
    'settings.get': () => this.settings,
    'settings.set': p => {
      this.settings = { ...this.settings, ...p, ...(p.proxy === '' ? { proxy: null } : {}) }
      if (p.relayOnly !== undefined) this.network = { ...this.network, relayOnly: p.relayOnly }
      return this.settings
    }
  }

  /** Changes a message held for a channel, as an edit, deletion or reaction does, and returns it. */
  private updateMessage (channelId: Hex, messageId: Hex, fields: Partial<MessageInfo>): MessageInfo {
    const list = this.messages.get(channelId) ?? []
    const i = list.findIndex(m => m.messageId === messageId)
    if (i < 0) throw new ApiCallError('MESSAGE_NOT_FOUND', 'there is no such message in this conversation')
    const updated = { ...list[i]!, ...fields }
    list[i] = updated
    return updated
  }

  async call<M extends MethodName> (method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    this.calls.push({ method, params })
    await Promise.resolve()
    const hold = this.holds.get(method)
    if (hold !== undefined) {
      this.holds.delete(method)
      await hold
    }
    const failure = this.failures.get(method)
    if (failure !== undefined) {
      this.failures.delete(method)
      throw failure
    }
    return this.handlers[method](params)
  }

  on<E extends EventName> (event: E, listener: (payload: BitChatEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set()
    this.listeners.set(event, set)
    const wrapped = listener as (payload: unknown) => void
    set.add(wrapped)
    return () => { set.delete(wrapped) }
  }

  emit<E extends EventName> (event: E, payload: BitChatEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload)
  }

  onConnection (listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener)
    listener(this.connection)
    return () => { this.connectionListeners.delete(listener) }
  }

  onFocusRequest (listener: (channelId: Hex) => void): () => void {
    this.focusListeners.add(listener)
    return () => { this.focusListeners.delete(listener) }
  }

  close (): void {}

  setConnection (state: ConnectionState): void {
    this.connection = state
    for (const listener of this.connectionListeners) listener(state)
  }

  requestFocus (channelId: Hex): void {
    for (const listener of this.focusListeners) listener(channelId)
  }

  /** The next call of `method` rejects the way the real transports do. */
  failNext (method: MethodName, code: ClientErrorCode, message: string): void {
    this.failures.set(method, new ApiCallError(code, message))
  }

  /** The next call of `method` waits for the returned release (to see what shows meanwhile). */
  holdNext (method: MethodName): () => void {
    let release = (): void => {}
    this.holds.set(method, new Promise(resolve => { release = resolve }))
    return release
  }

  callsOf<M extends MethodName> (method: M): Array<ParamsOf<M>> {
    return this.calls.filter(c => c.method === method).map(c => c.params as ParamsOf<M>)
  }

  addChannel (summary: ChannelSummary, messages: MessageInfo[] = [], peers: PeerInfo[] = []): void {
    this.channels.set(summary.channelId, summary)
    this.messages.set(summary.channelId, messages)
    this.peers.set(summary.channelId, peers)
  }

  private answerInvitation (invitationId: Hex, status: InvitationInfo['status']): InvitationInfo {
    const found = this.invitations.get(invitationId)
    if (found?.status !== 'pending') throw new ApiCallError('INVITATION_NOT_FOUND', 'there is no such pending invitation')
    const answered = { ...found, status }
    this.invitations.set(invitationId, answered)
    return answered
  }

  private parseContactLink (link: string): { publicKey: Hex; name: string } {
    const query = new URLSearchParams(link.replace(/^bitchat:contact\?/, ''))
    const publicKey = query.get('k') ?? ''
    if (!/^[0-9a-f]{64}$/.test(publicKey)) throw new ApiCallError('INVALID_URI', 'invalid contact link: k must be 64 lowercase hex characters')
    return { publicKey, name: query.get('n') ?? '' }
  }

  private parseContactFile (text: string): { publicKey: Hex; name: string } {
    const [header, key, name] = text.split('\n')
    const publicKey = key?.replace(/^key: /, '') ?? ''
    if (header !== 'bitchat-contact 1' || !/^[0-9a-f]{64}$/.test(publicKey)) throw new ApiCallError('INVALID_CONTACT_FILE', 'invalid contact file: it is not a BitChat contact file')
    return { publicKey, name: name?.replace(/^name: /, '') ?? '' }
  }

  private identity (): IdentityInfo {
    if (this.status.identity === undefined) throw new ApiCallError('IDENTITY_MISSING', 'no identity')
    return this.status.identity
  }

  private updateIdentity (change: Partial<IdentityInfo>): IdentityInfo {
    const identity = { ...this.identity(), ...change }
    this.status = { state: 'ready', identity }
    return identity
  }
}
