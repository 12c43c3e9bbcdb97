// The one service interface between the BitChat core and everything that drives it:
// the daemon's JSON-RPC, Electron IPC and the web UI's WebSocket all carry exactly
// these method names, parameter objects, results and events. Method names are a
// public contract (scripts use them): extend, never rename.

export type Hex = string

export interface IdentityInfo {
  publicKey: Hex
  fingerprint: string
  name: string
  /** True when the secret key at rest is protected by a passphrase. */
  encrypted: boolean
}

export type IdentityState = 'none' | 'locked' | 'ready'

export interface IdentityStatus {
  state: IdentityState
  /** Present when state is 'ready'. */
  identity?: IdentityInfo
}

export type ChannelMode = 'open' | 'invite'

export interface ChannelCreateParams {
  name: string
  trackers: string[]
  inviteOnly?: boolean
  /** Public keys (hex) allowed into an invite-only channel besides the creator. */
  members?: Hex[]
  /** Where to write the `.chat` file. */
  file?: string
}

export interface ChannelCreateResult {
  channelId: Hex
  uri: string
  file?: string
}

export interface ChannelJoinParams {
  file?: string
  uri?: string
  /** The bytes of a `.chat` file, base64, for callers that cannot share a path (drop target, web UI). */
  data?: string
}

/** 'not-member': an invite-only channel whose list holds neither our key nor is ours: nobody will let us in. */
export type ChannelAccess = 'member' | 'not-member'

export interface ChannelSummary {
  channelId: Hex
  name: string
  peerCount: number
  mode: ChannelMode
  trackers: string[]
  unread: number
  access?: ChannelAccess
  /** Who created the channel: whom to ask to be added to an invite-only one. `name` when known. */
  creator?: { publicKey: Hex; fingerprint: string; name?: string }
  /** 'private': a conversation with one person (`peer`), from conversations.openPrivate. Absent on older cores: a group. */
  kind?: 'group' | 'private'
  /** The other person of a private conversation; `name` is the one they signed, when known. */
  peer?: { publicKey: Hex; fingerprint: string; name?: string }
  /** The newest message shown in the channel (its first 120 characters): for a preview and to sort by activity. Absent while there is none. */
  last?: { messageId: Hex; author: Hex; authorName: string; own: boolean; text: string; timestamp: number; deleted?: boolean }
  /** Unread messages that mention us (counted in `unread` too). Absent on older cores. */
  unreadMentions?: number
  /** The user muted it (channels.setMuted): no notifications but for mentions of us. Absent on older cores. */
  muted?: boolean
  /** Invite-only: the epoch of the channel's key we are at (0 until someone is removed; PROTOCOL §4.10). */
  epoch?: number
}

export interface ChannelShare {
  channelId: Hex
  uri: string
  /** The `.chat` file's bytes, base64. */
  data: string
  fileName: string
}

/** 'proxy': TCP through the proxy the user set (`Settings.proxy`). */
export type Transport = 'tcp' | 'udp' | 'relay' | 'proxy'

/** How an address of a peer was learnt. */
export type PeerSource = 'tracker' | 'dht' | 'lan' | 'pex' | 'incoming' | 'stored'

export interface PeerInfo {
  publicKey: Hex
  name: string
  fingerprint: string
  address: string
  transport: Transport
  rttMs: number | null
  /** Every way this peer's address reached us. */
  sources: PeerSource[]
  /** Whether we dialled the session or the peer did. */
  direction: 'outgoing' | 'incoming'
  /** For a relayed connection (`transport: 'relay'`), the key of the member relaying it. */
  via?: Hex
  /** A UDP connection made by hole punching through both sides' NATs (PROTOCOL §3.8). */
  punched?: boolean
  /** It came in through the port our router forwards to us (UPnP-IGD, PCP or NAT-PMP). */
  viaPortMapping?: boolean
  /** Present when this member signed two different messages under one sequence number here: it may be showing members different histories. */
  flagged?: boolean
}

/** Someone known in a channel: connected now, or seen before (an author, a listed member of an invite-only channel). */
export interface MemberInfo {
  publicKey: Hex
  /** The name they signed, as last seen here; their fingerprint's first groups when none is known. */
  name: string
  fingerprint: string
  /** 'admin': may change an invite-only channel's member list (channels.addMember, …), as its creator may. */
  role: 'creator' | 'admin' | 'member'
  online: boolean
  /** Unix ms when last connected here: now for someone online, null when never seen. */
  lastSeen: number | null
}

export interface TrackerStatus {
  url: string
  /** Unix ms of the last successful announce. */
  lastAnnounceAt: number | null
  nextAnnounceAt: number | null
  /** Valid addresses in the last successful response. */
  peersReturned: number
  lastError: string | null
}

export type AddressStatus = 'idle' | 'connecting' | 'connected' | 'backoff' | 'self'

/** An address we know for a channel, connected or not: the 'why does nothing connect' view. */
export interface KnownAddress {
  address: string
  publicKey: Hex | null
  sources: PeerSource[]
  status: AddressStatus
  failures: number
  /** A connection carried through another member: `address` is that member's, `via` its key. */
  via?: Hex
}

export interface ChannelNetwork {
  channelId: Hex
  name: string
  trackers: TrackerStatus[]
  addresses: KnownAddress[]
}

export interface NetworkStatus {
  listenPort: number
  /** Our address as peers report seeing it (their OBSERVED frames), most common first. */
  observedAddresses: string[]
  /** True once a peer has dialled us successfully: we are reachable from outside. */
  reachable: boolean
  dht: { enabled: boolean; nodes: number; bootstrapped: boolean; lastError: string | null }
  lan: { enabled: boolean; lastError: string | null }
  channels: ChannelNetwork[]
  /** Connections held now: one per peer, whatever channels are shared with it. */
  connections?: number
  /**
   * Our dials since start that finished their handshake only to be closed because another
   * connection to the same peer was kept (a mesh forming should waste few; its total is the sum
   * over its nodes).
   */
  duplicates?: number
  /**
   * The proxy every dial and tracker announce goes through (its URL without a password), or null.
   * While one is set the DHT and LAN discovery are off (`enabled` false): UDP would show where we are.
   */
  proxy?: string | null
  /** Whether the router forwards our listen port to us (UPnP-IGD), so peers outside can dial in. */
  portMapping?: PortMappingInfo
  /** Relaying for others: whether it is on, the circuits through us now, and the bytes they carried since start. */
  relay?: RelayServiceStatus
  /**
   * How our NAT maps UDP, from the addresses DHT nodes and peers saw us at: 'open' (no NAT: they see
   * our own address), 'consistent' (one public port for every destination: hole punching works),
   * 'random' (a new port per destination: punching rarely works, a relay is used), 'unknown' (too
   * few samples yet, or UDP is off).
   */
  nat?: NatType
  /** Our UDP address(es) as seen from outside, most recent first. */
  publicAddresses?: string[]
  /** The node's UDP socket (streams, DHT, hole punching): off behind a proxy or with 'hide my IP'. */
  udp?: { enabled: boolean; port: number; reason?: string }
  /** 'Hide my IP address' (`Settings.relayOnly`): only contacts connect directly, everyone else through relays. */
  relayOnly?: boolean
}

export type NatType = 'unknown' | 'open' | 'consistent' | 'random'

export interface RelayServiceStatus {
  enabled: boolean
  circuits: number
  bytesRelayed: number
}

/** What a node relaying for others allows (the same for every node: defined in core/relay/relay-limits.ts). */
export interface RelayLimitsInfo {
  /** Circuits one member may hold through us at once. */
  circuitsPerPeer: number
  /** Circuits through us at once, in all. */
  circuits: number
  /** How long one circuit lasts, in milliseconds. */
  lifetimeMs: number
  bytesPerSecondPerCircuit: number
  /** All circuits together. */
  bytesPerSecond: number
}

/** How the router was asked to forward the port: UPnP-IGD, PCP (RFC 6887) or NAT-PMP (RFC 6886). */
export type PortMappingVia = 'upnp' | 'pcp' | 'natpmp'

/** 'off': turned off, or a proxy is set (`reason`); 'unavailable': no router offered it, or it refused. */
export type PortMappingInfo =
  | { state: 'off'; reason?: string }
  | { state: 'searching'; internalPort: number }
  | { state: 'mapped'; via: PortMappingVia; gateway: string; internalPort: number; externalHost: string; externalPort: number; protocols?: Array<'tcp' | 'udp'> }
  | { state: 'unavailable'; reason: string }

export interface MessageInfo {
  messageId: Hex
  channelId: Hex
  author: Hex
  authorName: string
  text: string
  /** Milliseconds since the Unix epoch, as the author stamped it. */
  timestamp: number
  /**
   * The author's sequence number in this channel. Conversation order is timestamp, then author,
   * then seq, then messageId: stable, and one author's messages stay in the order they were written.
   */
  seq: number
  own: boolean
  /** Present when the author signed two different messages under one sequence number in this channel (both are kept and shown). */
  authorFlagged?: boolean
  /**
   * Our own messages only: 'sent' once stored and sent on; 'delivered' once a member holds it;
   * 'read' once a member has read it (members who turned read receipts off never say so).
   */
  state?: MessageState
  /** Our own messages only: how many members hold it, as their receipts say (who: channels.receipts). */
  deliveredTo?: number
  /** Our own messages only: how many members have read it. */
  readBy?: number
  /** A reply: the message it answers, as it shows now (`missing` when it has not arrived). */
  replyTo?: { messageId: Hex; author?: Hex; authorName?: string; text?: string; deleted?: boolean; missing?: boolean }
  /** When its author last edited it (ms, the author's clock); `text` is the edited text. */
  editedAt?: number
  /** Its author deleted it: `text` is empty and nothing of it is kept. */
  deleted?: boolean
  /** Reactions, most used first: each member's latest reaction counts once. */
  reactions?: Reaction[]
  /** Whom the message (as last edited) mentions, by public key; present when it mentions anyone. */
  mentions?: Hex[]
  /** Present with `mentions`: one of them is us. */
  mentionsMe?: boolean
}

export interface Reaction {
  emoji: string
  count: number
  /** One of them is ours. */
  mine: boolean
  /** Who reacted so (at most 64 listed). */
  by: Hex[]
}

/** How far one member holds and has read our messages in a channel (our seqs there). */
export interface ReceiptInfo {
  publicKey: Hex
  delivered: number
  read: number
}

export type MessageState = 'sent' | 'delivered' | 'read'

export interface Settings {
  listenPort: number
  trackerUserAgent: string
  trackerPeerIdPrefix: string
  dataDir: string
  /** Whether we tell authors when we have read their messages (we still say what we hold). */
  readReceipts: boolean
  /** Whether we relay for members who cannot reach each other directly (ciphertext only, within `relayLimits`). */
  relayForOthers?: boolean
  /** What relaying for others allows; read only. */
  relayLimits?: RelayLimitsInfo
  /**
   * The port chosen in settings when another program held it at start: the node listens on
   * `listenPort` for now and tries this one again at the next start.
   */
  unavailablePort?: number
  /**
   * `http://HOST:PORT` (a proxy that allows CONNECT) or `socks5://[USER[:PASSWORD]@]HOST:PORT`
   * (Tor: socks5://127.0.0.1:9050): every dial and http(s) tracker announce goes through it, names
   * resolved by the proxy; udp trackers, the DHT and LAN discovery are off meanwhile. null: none.
   * As set, login included (`network.status` shows it without the password); null or '' clears it.
   */
  proxy?: string | null
  /** Ask the router to forward the listen port (UPnP-IGD); on unless turned off. Never while a proxy is set. */
  portMapping?: boolean
  /**
   * Hide my IP address: connect directly only to contacts, reach everyone else through relays run by
   * them; nothing announces our address (no trackers, DHT, LAN, incoming connections or port mapping).
   */
  relayOnly?: boolean
}

/** Someone in your address book, known by their public key whatever name they use. */
export interface ContactInfo {
  publicKey: Hex
  /** The name you gave them; '' when you gave none (show `theirName`, else the fingerprint). */
  name: string
  /** The name they chose, from their signed profile; null until one was seen. */
  theirName: string | null
  fingerprint: string
  /** You compared the safety code with them (in person, on a call) and marked it so. */
  verified: boolean
  /** Refused everywhere: no connection, none of their messages stored or shown. */
  blocked: boolean
  notes: string
  /** Unix ms. */
  addedAt: number
}

/** What a contact link says, before it is added. The name in a link is a suggestion: anyone can write any name in one. */
export interface ContactLinkInfo {
  publicKey: Hex
  name: string
  fingerprint: string
  /** Already in the address book. */
  known: boolean
}

/** An invitation to a channel, received in a private conversation. */
export interface InvitationInfo {
  invitationId: Hex
  channelId: Hex
  name: string
  mode: ChannelMode
  /** Who sent it; `name` is the one they signed, when known. */
  from: { publicKey: Hex; fingerprint: string; name?: string }
  /** The keys an invite-only channel lets in besides its creator; 0 for an open one. */
  members: number
  receivedAt: number
  status: 'pending' | 'accepted' | 'declined'
}

/** Commands: every method takes one params object and returns a promise. */
export interface BitChatApi {
  'identity.status'(params: Record<string, never>): Promise<IdentityStatus>
  'identity.create'(params: { name: string; passphrase?: string }): Promise<IdentityInfo>
  'identity.unlock'(params: { passphrase: string }): Promise<IdentityInfo>
  /** `current` is required while a passphrase is set (WRONG_PASSPHRASE when it is not that one). */
  'identity.setPassphrase'(params: { passphrase: string | null; current?: string }): Promise<IdentityInfo>
  'identity.get'(params: Record<string, never>): Promise<IdentityInfo>
  /**
   * Locks every client out until identity.unlock with the passphrase (one must be set): meanwhile
   * only identity.status and identity.unlock answer (IDENTITY_LOCKED), no event but identity.updated
   * goes out, and the node keeps running (messages still arrive and are kept).
   */
  'identity.lock'(params: Record<string, never>): Promise<IdentityStatus>
  'identity.setName'(params: { name: string }): Promise<IdentityInfo>
  /**
   * The identity with its name and address book, sealed under `passphrase` for another machine
   * (`data`, base64, to save as `fileName`). While a passphrase guards this identity, `current` is it.
   */
  'identity.export'(params: { passphrase: string; current?: string }): Promise<{ data: string; fileName: string }>
  /** Takes an exported identity into a data folder that has none (IDENTITY_EXISTS otherwise); it stays sealed under that passphrase. */
  'identity.import'(params: { data: string; passphrase: string }): Promise<IdentityInfo>
  /** A `bitchat:contact` link to our key, for others to add us (PROTOCOL §1.5). */
  'identity.contactLink'(params: Record<string, never>): Promise<{ link: string }>
  /** The same as a contact file (PROTOCOL §1.5): its text, to save as `fileName`. */
  'identity.contactFile'(params: Record<string, never>): Promise<{ text: string; fileName: string }>

  'contacts.list'(params: Record<string, never>): Promise<ContactInfo[]>
  /** By key, contact link or contact file's text (exactly one); adding someone already there renames them when `name` is given. */
  'contacts.add'(params: { publicKey?: Hex; link?: string; contactFile?: string; name?: string }): Promise<ContactInfo>
  'contacts.update'(params: { publicKey: Hex; name?: string; notes?: string; verified?: boolean; blocked?: boolean }): Promise<ContactInfo>
  'contacts.remove'(params: { publicKey: Hex }): Promise<void>
  /** The code both sides see for the pair of keys, in 12 groups of 5 digits, to compare out of band. */
  'contacts.safetyCode'(params: { publicKey: Hex }): Promise<{ code: string }>
  'contacts.inspectLink'(params: { link: string }): Promise<ContactLinkInfo>
  /** What a contact file's text holds, checked, before adding it. */
  'contacts.inspectFile'(params: { contactFile: string }): Promise<ContactLinkInfo>

  'channels.create'(params: ChannelCreateParams): Promise<ChannelCreateResult>
  'channels.join'(params: ChannelJoinParams): Promise<{ channelId: Hex; name: string }>
  'channels.leave'(params: { channelId: Hex }): Promise<void>
  'channels.list'(params: Record<string, never>): Promise<ChannelSummary[]>
  'channels.share'(params: { channelId: Hex }): Promise<ChannelShare>
  'channels.markRead'(params: { channelId: Hex }): Promise<void>
  /** Mutes a conversation (no notifications but for mentions of us) or unmutes it; kept across restarts. Returns its summary. */
  'channels.setMuted'(params: { channelId: Hex; muted: boolean }): Promise<ChannelSummary>
  /**
   * Invites people to a channel, each by a private message they accept or decline. Without
   * `channelId` an invite-only channel named `name` is made for them first. An invite-only
   * channel takes only people on its member list.
   */
  'channels.invite'(params: { channelId?: Hex; name?: string; publicKeys: Hex[] }): Promise<{ channelId: Hex }>
  /** Adds a key to an invite-only channel's member list (its creator or an admin only: FORBIDDEN otherwise). */
  'channels.addMember'(params: { channelId: Hex; publicKey: Hex }): Promise<void>
  /** Takes a key off the list: every member cuts them off and refuses what they write from then on. */
  'channels.removeMember'(params: { channelId: Hex; publicKey: Hex }): Promise<void>
  /** Makes a member an admin (may change the list), or a plain member again. */
  'channels.setAdmin'(params: { channelId: Hex; publicKey: Hex; admin: boolean }): Promise<void>
  /** Invitations received, newest first. */
  'invitations.list'(params: Record<string, never>): Promise<InvitationInfo[]>
  'invitations.accept'(params: { invitationId: Hex }): Promise<{ channelId: Hex }>
  'invitations.decline'(params: { invitationId: Hex }): Promise<void>

  'peers.list'(params: { channelId: Hex }): Promise<PeerInfo[]>
  /** Each member's receipt for our messages in the channel: who holds and has read which of them. */
  'channels.receipts'(params: { channelId: Hex }): Promise<ReceiptInfo[]>
  /** Everyone known in the channel, online first, then the most recently seen; ourselves not included. */
  'channels.members'(params: { channelId: Hex }): Promise<MemberInfo[]>

  /**
   * The private conversation with this person (joined if it was not): its channel id works with
   * messages.send, messages.list and every other channel method. Both sides derive the same
   * conversation from their two keys, so it reaches them through a shared connection, trackers or the DHT.
   */
  'conversations.openPrivate'(params: { publicKey: Hex }): Promise<{ channelId: Hex }>

  /**
   * `message` is the stored message as messages.list will show it (its timestamp and seq set by the core). `replyTo` makes it a reply.
   * `mentions`: the people it names, by public key (at most 32, none twice); the text says `@name` where it names them.
   */
  'messages.send'(params: { channelId: Hex; text: string; replyTo?: Hex; mentions?: Hex[] }): Promise<{ messageId: Hex; message: MessageInfo }>
  /** Our own message only (FORBIDDEN for anyone else's); `message` as it shows now. `mentions` as for messages.send: the edit's own list. */
  'messages.edit'(params: { channelId: Hex; messageId: Hex; text: string; mentions?: Hex[] }): Promise<{ message: MessageInfo }>
  /** Deletes our own message for everyone, with its edits: every member erases what it said. */
  'messages.delete'(params: { channelId: Hex; messageId: Hex }): Promise<void>
  /** Our reaction to a message ('' takes it back); `message` as it shows now. */
  'messages.react'(params: { channelId: Hex; messageId: Hex; emoji: string }): Promise<{ message: MessageInfo }>
  /**
   * Up to `limit` (100) shown messages, oldest first: the newest; or the newest before the message
   * `before`; or the oldest after the message `after`; or the message `around` with about as many
   * older as newer ones beside it (a window on history far from its end, as a search result opens).
   * At most one of the three; a message the channel does not hold gives none.
   */
  'messages.list'(params: { channelId: Hex; limit?: number; before?: Hex; after?: Hex; around?: Hex }): Promise<MessageInfo[]>
  /**
   * Messages whose text (as last edited) holds every word of `query` (each as a word's beginning,
   * letters compared without case or accents), in one channel or all of them, newest first.
   */
  'messages.search'(params: { query: string; channelId?: Hex; limit?: number }): Promise<MessageInfo[]>
  /** The user is typing in the channel (true, say it as often as keys are pressed) or stopped (false). */
  'messages.typing'(params: { channelId: Hex; typing: boolean }): Promise<void>

  'network.status'(params: Record<string, never>): Promise<NetworkStatus>

  'settings.get'(params: Record<string, never>): Promise<Settings>
  /** A listen port held by another program is PORT_IN_USE, and nothing changes. */
  'settings.set'(params: Partial<Omit<Settings, 'dataDir' | 'unavailablePort' | 'relayLimits'>>): Promise<Settings>
}

export type MethodName = keyof BitChatApi
export type ParamsOf<M extends MethodName> = Parameters<BitChatApi[M]>[0]
export type ResultOf<M extends MethodName> = Awaited<ReturnType<BitChatApi[M]>>

/** Events: pushed by the core to every subscriber (JSON-RPC notifications, IPC events). */
export interface BitChatEvents {
  'peer.connected': PeerInfo & { channelId: Hex }
  /** A connected peer changed its display name: the same fields as peer.connected. */
  'peer.updated': PeerInfo & { channelId: Hex }
  'peer.disconnected': { channelId: Hex; publicKey: Hex; reason: string }
  /**
   * A message new to this node, from a peer; `own` for one of ours coming back (after a leave and a
   * join again). When several are stored at once (a catch-up), the first carries the others in `more`,
   * in the order they were stored, at most 64 in one notification: a client that ignores `more` sees
   * the first of each group and finds the rest with messages.list.
   */
  'message.received': MessageInfo & { more?: MessageInfo[] }
  /** An invite-only channel's member list changed: someone was added or removed, made an admin or a plain member again. */
  'member.changed': { channelId: Hex; publicKey: Hex; change: 'added' | 'removed' | 'admin' | 'member' }
  /**
   * An invite-only channel moved to a new epoch: a new key, given to the members still on its list, after
   * someone was removed (PROTOCOL §4.10). `removed`: the keys taken off the list that the old key reached.
   */
  'channel.rekeyed': { channelId: Hex; epoch: number; removed: Hex[] }
  /** Someone invited us to a channel in a private conversation. */
  'invitation.received': InvitationInfo
  /** A message was edited, deleted or reacted to: as it shows now. */
  'message.updated': MessageInfo
  'channel.updated': ChannelSummary
  'channel.removed': { channelId: Hex }
  'identity.updated': IdentityStatus
  /** A contact was added or changed (by this client or another one driving the same node). */
  'contact.updated': ContactInfo
  'contact.removed': { publicKey: Hex }
  /**
   * A member's receipt for our messages in a channel moved on: they hold every message of ours up to
   * seq `delivered`, and have read up to seq `read`. At most one a second per channel and member.
   */
  'receipt': ReceiptInfo & { channelId: Hex }
  /** A member we are linked with started or stopped typing in a channel (only the changes). */
  'typing': { channelId: Hex; publicKey: Hex; typing: boolean }
  /** We now hold a connection to this person (online), or no longer do (offline, since `lastSeen`). */
  'presence': { publicKey: Hex; online: boolean; lastSeen: number }
}

export type EventName = keyof BitChatEvents

/** Stable error codes that cross every boundary as `{code, message}`. */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'INVALID_PARAMS',
  'UNKNOWN_METHOD',
  'FORBIDDEN',
  'IDENTITY_MISSING',
  'IDENTITY_EXISTS',
  'IDENTITY_LOCKED',
  'WRONG_PASSPHRASE',
  'CHANNEL_NOT_FOUND',
  'INVALID_CHAT_FILE',
  'INVALID_URI',
  'FILE_ERROR',
  'DATA_DIR_IN_USE',
  'MESSAGE_TOO_LARGE',
  'NOT_A_MEMBER',
  'PORT_IN_USE',
  'INTERNAL',
  /** One reply would be larger than the API sends at once: ask for less (a smaller `limit`). */
  'RESULT_TOO_LARGE',
  /** The replies of one JSON-RPC batch together would be larger than the API sends at once: split it. */
  'BATCH_TOO_LARGE',
  /** The disk holding the data folder is full: nothing new could be stored. */
  'DISK_FULL',
  'CONTACT_NOT_FOUND',
  'MESSAGE_NOT_FOUND',
  'INVITATION_NOT_FOUND',
  /** The address book holds as many contacts as it may. */
  'TOO_MANY_CONTACTS',
  /** A `.chat` file or `bitchat:` link whose name, members or other signed details are not the ones its creator signed (PROTOCOL §1.3). */
  'INVITATION_ALTERED',
  /** A contact file (PROTOCOL §1.5) that is malformed, of another version, or whose key does not match its fingerprint. */
  'INVALID_CONTACT_FILE',
  /** A file's manifest or piece layer (PROTOCOL §5.1) that is malformed, out of bounds or does not match its root. */
  'INVALID_MANIFEST',
  /** A file larger than a transfer may be (256 GiB). */
  'FILE_TOO_LARGE',
  /** A chunk of a download that does not match the file's tree: it was not written. */
  'CHUNK_REJECTED',
  /** The folder a download is saved in is gone (a drive unplugged, a folder deleted): the download is paused. */
  'DOWNLOAD_FOLDER_MISSING',
  /** The folder a download is saved in cannot be written to: the download is paused. */
  'DOWNLOAD_FOLDER_READ_ONLY',
  /** A download was paused by an earlier error: resume it first. */
  'DOWNLOAD_PAUSED',
  /** A download asked to finish before every chunk was received. */
  'DOWNLOAD_INCOMPLETE',
  /** A finished download no longer matches its file's root (changed on disk): the chunks that differ are fetched again. */
  'DOWNLOAD_CORRUPT',
  /** The folder already holds a file by that name and every numbered variant of it. */
  'NO_FREE_NAME'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ApiError {
  code: ErrorCode
  message: string
}

/** What a client (renderer, script) holds: the commands plus event subscription. */
export interface BitChatClient {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>
  on<E extends EventName>(event: E, listener: (payload: BitChatEvents[E]) => void): () => void
}
