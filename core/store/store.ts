import { closeSync, openSync, statfsSync } from 'node:fs'
import { dirname } from 'node:path'
import Database, { SqliteError } from 'better-sqlite3'
import type { Hex } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import { migrate } from './migrate.ts'
import { prepareStatements } from './statements.ts'
import type { Statements } from './statements.ts'
import { MessageLog, type InsertOutcome } from './message-log.ts'
import { prepareContactStatements, type ContactStatements, type StoredContact } from './contact-statements.ts'
import { prepareMentionStatements, type MentionStatements } from './mention-statements.ts'
import { prepareReceiptStatements, type ReceiptStatements, type StoredReceipt } from './receipt-statements.ts'
import { prepareEntryRefStatements, type EntryRefStatements, type StoredRef } from './entry-ref-statements.ts'
import { prepareSearch } from './search-index.ts'
import { prepareInvitationStatements, type InvitationStatements, type InvitationStatus, type StoredInvitation } from './invitation-statements.ts'
import { prepareEpochStatements, type EpochStatements, type StoredEpochKey } from './epoch-statements.ts'
import { prepareHistoryStatements, SqliteHistoryIndex, type HistoryStatements, type PushRow } from './history-reader.ts'
import type { Bound, UpperBound } from '../history/bounds.ts'
import type {
  MessagePageAt, NewChannel, PeerSighting, StoredChannel, StoredIdentity, StoredMessage, StoredPeerAddress
} from './types.ts'

/** How long a write waits for another connection's lock before failing. */
const BUSY_TIMEOUT_MS = 5000

/** Addresses remembered per channel; the least recently seen are forgotten first. */
export const PEER_ADDRESSES_PER_CHANNEL = 500

/** DHT nodes remembered across restarts: enough to rejoin the DHT with many of them gone. */
export const DHT_NODES_KEPT = 500

// The write-ahead log is cut back to 1 MiB when reused (SQLite's default, never, lets it alone fill a
// small disk, after which no checkpoint can make room: a node stuck until restarted). It is copied into
// the database every 4 MiB (SQLite's default) where the disk has room, and every 1 MiB where it has
// little or once it was found full: each copy stops the event loop for its fsync, so not more often
// than the disk needs.
const WAL_CHECKPOINT_PAGES = 1000
const WAL_CHECKPOINT_PAGES_TIGHT = 256
const TIGHT_DISK_BYTES = 512 * 1024 * 1024
const WAL_SIZE_LIMIT_BYTES = 1024 * 1024
/** After a full disk, how often a call tries to empty the write-ahead log. */
const FULL_DISK_CHECKPOINT_GAP_MS = 1000

/** The node's durable state: identity, settings, joined channels, their messages and peer addresses. */
export class Store {
  readonly #db: Database
  readonly #sql: Statements
  readonly #history: HistoryStatements
  readonly #contacts: ContactStatements
  readonly #receipts: ReceiptStatements
  readonly #refs: EntryRefStatements
  readonly #mentions: MentionStatements
  readonly #invitations: InvitationStatements
  readonly #epochs: EpochStatements
  readonly #search: ReturnType<typeof prepareSearch>
  readonly #insertMessages: (channelId: Hex, messages: readonly StoredMessage[]) => InsertOutcome[]
  readonly #savePeerAddress: (sighting: PeerSighting) => void
  readonly #saveDhtNodes: (nodes: readonly { host: string; port: number }[]) => void
  /** When the disk was last found full, until a checkpoint succeeds again; null while it is not. */
  #fullAt: number | null = null

  private constructor (db: Database) {
    this.#db = db
    this.#sql = prepareStatements(db)
    this.#history = prepareHistoryStatements(db)
    this.#contacts = prepareContactStatements(db)
    this.#receipts = prepareReceiptStatements(db)
    this.#refs = prepareEntryRefStatements(db)
    this.#mentions = prepareMentionStatements(db)
    this.#invitations = prepareInvitationStatements(db)
    this.#epochs = prepareEpochStatements(db)
    this.#search = prepareSearch(db)
    const log = new MessageLog(db)
    this.#insertMessages = db.transaction((channelId: Hex, messages: readonly StoredMessage[]) => log.insert(channelId, messages))
    this.#savePeerAddress = db.transaction((sighting: PeerSighting) => {
      this.#sql.upsertPeerAddress.run(sighting)
      this.#sql.prunePeerAddresses.run(sighting.channelId, PEER_ADDRESSES_PER_CHANNEL)
    })
    this.#saveDhtNodes = db.transaction((nodes: readonly { host: string; port: number }[]) => {
      this.#sql.clearDhtNodes.run()
      let kept = 0
      for (const { host, port } of nodes) {
        if (kept === DHT_NODES_KEPT) break
        kept += this.#sql.insertDhtNode.run({ host, port }).changes
      }
    })
  }

  /** Opens (creating when missing) the database file at `path` and brings its schema up to date. */
  static open (path: string): Store {
    // Created owner-only before SQLite sees it, because SQLite gives the WAL and
    // shared-memory files the database's mode and the secret key may be stored in the clear.
    closeSync(openSync(path, 'a', 0o600))
    const db = new Database(path, { timeout: BUSY_TIMEOUT_MS })
    try {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      db.pragma('foreign_keys = ON')
      db.pragma(`wal_autocheckpoint = ${freeBytes(dirname(path)) < TIGHT_DISK_BYTES ? WAL_CHECKPOINT_PAGES_TIGHT : WAL_CHECKPOINT_PAGES}`)
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
      migrate(db)
      return new Store(db)
    } catch (err) {
      db.close()
      throw isDiskFull(err) ? BitChatError.diskFull() : err
    }
  }

  /**
   * Every public method goes through here (see the static block at the end of the class, so a new
   * method cannot forget): SQLite's "disk full" becomes DISK_FULL, and the write-ahead log is
   * emptied as soon as the disk allows, so the node carries on by itself once space is back.
   */
  #guard<T> (call: () => T): T {
    try {
      const result = call()
      if (this.#fullAt !== null) this.#emptyWal(false)
      return result
    } catch (err) {
      if (!isDiskFull(err)) throw err
      this.#db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES_TIGHT}`)
      this.#emptyWal(true)
      throw BitChatError.diskFull()
    }
  }

  #emptyWal (justFailed: boolean): void {
    const now = Date.now()
    if (!justFailed && this.#fullAt !== null && now - this.#fullAt < FULL_DISK_CHECKPOINT_GAP_MS) return
    try {
      const [result] = this.#db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>
      this.#fullAt = justFailed || result?.busy !== 0 ? now : null
    } catch {
      this.#fullAt = now
    }
  }

  /** Closing the last connection checkpoints the WAL into the database file. */
  close (): void {
    if (this.#db.open) this.#db.close()
  }

  getIdentity (): StoredIdentity | undefined {
    const row = this.#sql.getIdentity.get()
    if (row === undefined) return undefined
    return {
      ...row,
      publicKey: bytes(row.publicKey),
      secretKey: row.secretKey && bytes(row.secretKey),
      sealedSecretKey: row.sealedSecretKey && bytes(row.sealedSecretKey)
    }
  }

  /** Replaces the identity. Exactly one of `secretKey` and `sealedSecretKey` must be set. */
  saveIdentity (identity: StoredIdentity): void {
    this.#sql.saveIdentity.run(identity)
  }

  setIdentityName (name: string): void {
    if (this.#sql.setIdentityName.run(name).changes === 0) throw BitChatError.identityMissing()
  }

  /** Switches the key at rest between clear and sealed; exactly one of the two must be set. */
  setIdentityKeys (keys: Pick<StoredIdentity, 'secretKey' | 'sealedSecretKey'>): void {
    if (this.#sql.setIdentityKeys.run(keys).changes === 0) throw BitChatError.identityMissing()
  }

  getSetting (key: string): string | undefined {
    return this.#sql.getSetting.get(key)?.value
  }

  setSetting (key: string, value: string): void {
    this.#sql.setSetting.run(key, value)
  }

  /** Returns false, changing nothing, when the channel is already joined. */
  addChannel (channel: NewChannel): boolean {
    return this.#sql.addChannel.run({ ...channel, lastReadAt: channel.lastReadAt ?? 0 }).changes === 1
  }

  /** Forgets the channel with its messages and peer addresses. */
  removeChannel (channelId: Hex): void {
    if (this.#sql.removeChannel.run(channelId).changes === 0) throw BitChatError.channelNotFound(channelId)
  }

  getChannel (channelId: Hex): StoredChannel | undefined {
    const row = this.#sql.getChannel.get(channelId)
    return row && toChannel(row)
  }

  /** Joined channels, earliest joined first. */
  listChannels (): StoredChannel[] {
    return this.#sql.listChannels.all().map(toChannel)
  }

  markRead (channelId: Hex, atMs: number): void {
    if (this.#sql.markRead.run(atMs, channelId).changes === 0) throw BitChatError.channelNotFound(channelId)
  }

  /**
   * Stores messages of one channel in one transaction; for each, whether it was new, known, or a
   * conflicting version of an (author, seq) already held (PROTOCOL §4.3).
   */
  insertMessages (channelId: Hex, messages: readonly StoredMessage[]): InsertOutcome[] {
    try {
      return this.#insertMessages(channelId, messages)
    } catch (err) {
      throw channelMissingOr(err, channelId)
    }
  }

  /** Stores one message; false when it was already held or refused as a further conflicting version. */
  insertMessage (message: StoredMessage): boolean {
    const [outcome] = this.insertMessages(message.channelId, [message])
    return outcome === 'stored' || outcome === 'conflict'
  }

  hasMessage (messageId: Hex): boolean {
    return this.#sql.hasMessage.get(messageId) !== undefined
  }

  /** The channel's log in reconciliation order, for answering a peer's ranges. */
  historyIndex (channelId: Hex): SqliteHistoryIndex {
    return new SqliteHistoryIndex(this.#history, channelId)
  }

  /**
   * Up to `limit` messages after `after` (an entry already sent, or a lower bound with the empty id)
   * and below `upper`, in reconciliation order: one batch of a range being sent to a peer.
   */
  messagesInRange (channelId: Hex, after: Bound & { messageId: Hex }, upper: UpperBound, limit: number): PushRow[] {
    const cursor = { channelId, author: after.author, seq: after.seq, messageId: after.messageId, limit: checkLimit(limit) }
    const rows = upper === null
      ? this.#history.pushToEnd.all(cursor)
      : this.#history.pushBelow.all({ ...cursor, upperAuthor: upper.author, upperSeq: upper.seq })
    return rows.map(r => ({ ...r, author: bytes(r.author), raw: bytes(r.raw) }))
  }

  /** The signed bytes of a message of the channel, if held. */
  rawMessage (channelId: Hex, messageId: Hex): Uint8Array | undefined {
    const row = this.#history.raw.get(messageId, channelId)
    // A deleted entry keeps its id and nothing else: there is nothing to send.
    return row !== undefined && row.raw.length > 0 ? bytes(row.raw) : undefined
  }

  /** Authors seen signing two different messages under one sequence number in the channel. */
  flaggedAuthors (channelId: Hex): Uint8Array[] {
    return this.#sql.flaggedAuthors.all(channelId).map(r => bytes(r.author))
  }

  /**
   * A page of a channel's shown messages, oldest first, in conversation order (author timestamp,
   * author, seq, id): the newest `limit` (before the message `before` when given), or the oldest
   * `limit` after the message `after` (from `from`, which included). An id the channel does not hold gives none.
   */
  listMessages (channelId: Hex, page: { limit: number } & MessagePageAt): StoredMessage[] {
    const limit = checkLimit(page.limit)
    if (page.after !== undefined) return this.#sql.messagesAfter.all({ channelId, at: page.after, limit }).map(toMessage)
    if (page.from !== undefined) return this.#sql.messagesFrom.all({ channelId, at: page.from, limit }).map(toMessage)
    const newestFirst = page.before === undefined
      ? this.#sql.latestMessages.all(channelId, limit)
      : this.#sql.messagesBefore.all({ channelId, before: page.before, limit })
    return newestFirst.reverse().map(toMessage)
  }

  /** `author`'s next seq in the channel (1 for a first message), and the timestamp of its entry before it. */
  nextEntry (channelId: Hex, author: Uint8Array): { seq: number; lastTimestamp: number } {
    return this.#sql.nextEntry.get(channelId, author) ?? { seq: 1, lastTimestamp: 0 }
  }

  /** Whether any version of `author`'s entry `seq` is held. */
  hasEntry (channelId: Hex, author: Uint8Array, seq: number): boolean {
    return this.#sql.hasEntry.get(channelId, author, seq) !== undefined
  }

  /** Messages received since the channel was last read, not counting the local identity's own. */
  unreadCount (channelId: Hex, localKey: Uint8Array): number {
    return this.#sql.unreadCount.get(channelId, localKey)?.count ?? 0
  }

  /** Messages received since the channel was last read that mention `localKey` (by others, not blocked). */
  unreadMentions (channelId: Hex, localKey: Uint8Array): number {
    return this.#mentions.unread(channelId, localKey)
  }

  /** The keys (hex) each of these entries mentions, for those that mention anyone. */
  mentionsOf (messageIds: readonly Hex[]): Map<Hex, string[]> {
    return this.#mentions.of(messageIds)
  }

  isMuted (channelId: Hex): boolean {
    return this.#mentions.muted(channelId)
  }

  setMuted (channelId: Hex, muted: boolean): void {
    if (!this.#mentions.setMuted(channelId, muted)) throw BitChatError.channelNotFound(channelId)
  }

  countMessages (channelId: Hex): number {
    return this.#sql.countMessages.get(channelId)?.count ?? 0
  }

  /**
   * Records that a member was seen listening at host:port. A sighting without a key keeps
   * a known one; the dial failure count survives (only a successful dial clears it).
   * Beyond PEER_ADDRESSES_PER_CHANNEL the least recently seen addresses are dropped.
   */
  upsertPeerAddress (sighting: PeerSighting): void {
    try {
      this.#savePeerAddress(sighting)
    } catch (err) {
      throw channelMissingOr(err, sighting.channelId)
    }
  }

  /** The channel's known addresses, most recently seen first. */
  listPeerAddresses (channelId: Hex, limit: number): StoredPeerAddress[] {
    return this.#sql.listPeerAddresses.all(channelId, checkLimit(limit))
      .map(row => ({ ...row, publicKey: row.publicKey && bytes(row.publicKey) }))
  }

  /**
   * Replaces the saved DHT nodes with the first DHT_NODES_KEPT distinct ones of `nodes`, in
   * their order. A port outside 1..65535 or an empty host fails the whole call, keeping the old list.
   */
  saveDhtNodes (nodes: readonly { host: string; port: number }[]): void {
    this.#saveDhtNodes(nodes)
  }

  /** Remembers the name a member gave; the latest sighting wins. */
  saveMember (member: { channelId: Hex; publicKey: Uint8Array; name: string; lastSeenAt: number }): void {
    this.#sql.saveMember.run(member)
  }

  /** Forgets the names of members who never wrote anything in the channel. */
  pruneMembers (channelId: Hex): void {
    this.#sql.pruneMembers.run({ channelId })
  }

  /** The names members of a channel last gave, most recently seen first. */
  listMembers (channelId: Hex): { publicKey: Uint8Array; name: string; lastSeenAt: number }[] {
    return this.#sql.listMembers.all(channelId).map(m => ({ publicKey: bytes(m.publicKey), name: m.name, lastSeenAt: m.lastSeenAt }))
  }

  getContact (publicKey: Uint8Array): StoredContact | undefined {
    return this.#contacts.get(publicKey)
  }

  /** The address book, oldest first, at most `limit`. */
  listContacts (limit: number): StoredContact[] {
    return this.#contacts.list(checkLimit(limit))
  }

  countContacts (): number {
    return this.#contacts.count()
  }

  /** Adds the contact, or replaces every field but when it was added. */
  saveContact (contact: StoredContact): void {
    this.#contacts.save(contact)
  }

  /** False when there was no such contact. */
  removeContact (publicKey: Uint8Array): boolean {
    return this.#contacts.remove(publicKey)
  }

  /** Keeps an invitation (false when it was kept already); only the newest `keep` stay, pending ones first. */
  addInvitation (invitation: StoredInvitation, keep: number): boolean {
    return this.#invitations.add(invitation, keep)
  }

  getInvitation (invitationId: Hex): StoredInvitation | undefined {
    const row = this.#invitations.get(invitationId)
    return row === undefined ? undefined : { ...row, sender: bytes(row.sender) }
  }

  /** Invitations, newest first. */
  listInvitations (limit: number): StoredInvitation[] {
    return this.#invitations.list(checkLimit(limit)).map(r => ({ ...r, sender: bytes(r.sender) }))
  }

  setInvitationStatus (invitationId: Hex, status: InvitationStatus): void {
    this.#invitations.setStatus(invitationId, status)
  }

  /** Shown messages matching an FTS5 `query` (see searchQuery), in one channel or all, newest first. */
  searchMessages (query: string, channelId: Hex | null, limit: number): StoredMessage[] {
    return this.#search(query, channelId, checkLimit(limit)).map(toMessage)
  }

  /** One entry of the channel by id (a deleted one has an empty body and raw). */
  getMessage (channelId: Hex, messageId: Hex): StoredMessage | undefined {
    const row = this.#refs.message(channelId, messageId)
    return row === undefined ? undefined : toMessage(row)
  }

  /** Every reply, edit and reaction about any of `targets`, oldest first. */
  entriesAbout (channelId: Hex, targets: readonly Hex[]): StoredRef[] {
    return this.#refs.about(channelId, targets).map(r => ({ ...r, author: bytes(r.author) }))
  }

  /** The channel's entries about others of one kind (membership changes, say), at most `limit`. */
  entriesOfKind (channelId: Hex, kind: number, limit: number): StoredRef[] {
    return this.#refs.ofKind(channelId, kind, checkLimit(limit)).map(r => ({ ...r, author: bytes(r.author) }))
  }

  /** What this entry is about, when it is a reply, edit or reaction. */
  refOf (messageId: Hex): StoredRef | undefined {
    const row = this.#refs.refOf(messageId)
    return row === undefined ? undefined : { ...row, author: bytes(row.author) }
  }

  /** How far members hold and have read our messages in the channel, the most recently updated first. */
  listReceipts (channelId: Hex, limit: number): StoredReceipt[] {
    return this.#receipts.list(channelId, checkLimit(limit)).map(r => ({ ...r, member: bytes(r.member) }))
  }

  /** Raises members' receipts (never lowers them), in one transaction. */
  saveReceipts (channelId: Hex, rows: readonly StoredReceipt[]): void {
    this.#receipts.save(channelId, rows, Date.now())
  }

  /** The highest seq of `author` held with no hole below it (0 when their first is missing). */
  heldPrefix (channelId: Hex, author: Uint8Array): number {
    return this.#receipts.heldPrefix(channelId, author)
  }

  /** The highest seq of `author` that had arrived by `readAt` (ms). */
  readUpTo (channelId: Hex, author: Uint8Array, readAt: number): number {
    return this.#receipts.readUpTo(channelId, author, readAt)
  }

  /** The keys held of an invite-only channel's epochs, the newest epoch first (none while it is at epoch 0). */
  epochKeys (channelId: Hex): StoredEpochKey[] {
    return this.#epochs.list(channelId).map(r => ({ ...r, key: bytes(r.key) }))
  }

  /** The channel moves up to `next`; the key it leaves stays accepted until `retireAt` (ms). */
  advanceEpoch (channelId: Hex, previous: { epoch: number; key: Uint8Array }, next: { epoch: number; key: Uint8Array }, retireAt: number): void {
    try {
      this.#epochs.advance(channelId, previous, next, retireAt)
    } catch (err) {
      throw channelMissingOr(err, channelId)
    }
  }

  /** Forgets older epoch keys whose time is up at `now`, or every older key (`all`). */
  dropRetiredEpochs (channelId: Hex, now: number, all = false): void {
    this.#epochs.dropRetired(channelId, now, all)
  }

  /** The saved DHT nodes, in the order they were saved. */
  loadDhtNodes (): { host: string; port: number }[] {
    return this.#sql.listDhtNodes.all(DHT_NODES_KEPT)
  }

  static {
    const methods = Store.prototype as unknown as Record<string, unknown>
    for (const name of Object.getOwnPropertyNames(Store.prototype)) {
      const method = methods[name]
      if (name === 'constructor' || name === 'close' || typeof method !== 'function') continue
      methods[name] = function (this: Store, ...args: unknown[]): unknown {
        return this.#guard(() => method.apply(this, args))
      }
    }
  }
}

/** Space left on the filesystem holding `dir`; unknown counts as plenty. */
function freeBytes (dir: string): number {
  try {
    const stats = statfsSync(dir)
    return stats.bavail * stats.bsize
  } catch {
    return Number.POSITIVE_INFINITY
  }
}

function isDiskFull (err: unknown): boolean {
  return err instanceof SqliteError && err.code === 'SQLITE_FULL'
}

// better-sqlite3 hands BLOBs out as Buffers; a plain view keeps Buffer's own slice() and
// toString() semantics from surprising code written against Uint8Array.
function bytes (blob: Uint8Array): Uint8Array {
  return new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength)
}

function toChannel (row: StoredChannel): StoredChannel {
  return { ...row, chatFile: bytes(row.chatFile) }
}

function toMessage (row: StoredMessage): StoredMessage {
  return { ...row, author: bytes(row.author), raw: bytes(row.raw) }
}

// SQLite reads a negative LIMIT as "no limit", which would turn a caller's bug into an unbounded read.
function checkLimit (limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`)
  return limit
}

function channelMissingOr (err: unknown, channelId: Hex): unknown {
  const missing = err instanceof SqliteError && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
  return missing ? BitChatError.channelNotFound(channelId) : err
}
