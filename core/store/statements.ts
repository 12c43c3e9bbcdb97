// Every SQL statement the store runs, prepared once per connection. Column aliases give
// rows the shape of the types in types.ts; BLOBs come back as Buffers, which store.ts
// turns into plain Uint8Arrays.
import type Database from 'better-sqlite3'
import { SHOWN_KINDS } from '../wire/entry-kinds.ts'
import { NOT_BLOCKED } from './contact-statements.ts'
import type { PeerSighting, StoredChannel, StoredIdentity, StoredMessage, StoredPeerAddress } from './types.ts'

type Named<T> = [{ [K in keyof T]: T[K] }]
type ChannelKey = [channelId: string]
type DhtNode = { host: string; port: number }

const IDENTITY = `public_key AS publicKey, secret_key AS secretKey, sealed_secret_key AS sealedSecretKey,
  name, created_at AS createdAt`
const CHANNEL = 'channel_id AS channelId, name, chat_file AS chatFile, joined_at AS joinedAt, last_read_at AS lastReadAt'
const MESSAGE = `message_id AS messageId, channel_id AS channelId, author, seq, timestamp, received_at AS receivedAt,
  kind, body, raw`
const PEER_ADDRESS = `channel_id AS channelId, host, port, public_key AS publicKey, source, last_seen_at AS lastSeenAt,
  failures`
/** Entries shown as messages (text and replies), deleted ones included: they show as deleted. */
const SHOWN = `kind IN (${SHOWN_KINDS.join(', ')})`
const NEWEST_FIRST = 'ORDER BY timestamp DESC, author DESC, seq DESC, message_id DESC'
const OLDEST_FIRST = 'ORDER BY timestamp, author, seq, message_id'
/** Where message @at stands in conversation order; NULL (so nothing compares) when the channel does not hold it. */
const POSITION_OF_AT = '(SELECT timestamp, author, seq, message_id FROM messages WHERE message_id = @at AND channel_id = @channelId)'
const MOST_RECENT_FIRST = 'ORDER BY last_seen_at DESC, host, port'

export function prepareStatements (db: Database) {
  return {
    getIdentity: db.prepare<[], StoredIdentity>(`SELECT ${IDENTITY} FROM identity WHERE id = 1`),
    saveIdentity: db.prepare<Named<StoredIdentity>>(`
      INSERT INTO identity (id, public_key, secret_key, sealed_secret_key, name, created_at)
      VALUES (1, @publicKey, @secretKey, @sealedSecretKey, @name, @createdAt)
      ON CONFLICT (id) DO UPDATE SET public_key = excluded.public_key, secret_key = excluded.secret_key,
        sealed_secret_key = excluded.sealed_secret_key, name = excluded.name, created_at = excluded.created_at`),
    setIdentityName: db.prepare<[name: string]>('UPDATE identity SET name = ? WHERE id = 1'),
    setIdentityKeys: db.prepare<Named<Pick<StoredIdentity, 'secretKey' | 'sealedSecretKey'>>>(
      'UPDATE identity SET secret_key = @secretKey, sealed_secret_key = @sealedSecretKey WHERE id = 1'),

    getSetting: db.prepare<[key: string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    setSetting: db.prepare<[key: string, value: string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),

    addChannel: db.prepare<Named<StoredChannel>>(`
      INSERT INTO channels (channel_id, name, chat_file, joined_at, last_read_at)
      VALUES (@channelId, @name, @chatFile, @joinedAt, @lastReadAt)
      ON CONFLICT (channel_id) DO NOTHING`),
    removeChannel: db.prepare<ChannelKey>('DELETE FROM channels WHERE channel_id = ?'),
    getChannel: db.prepare<ChannelKey, StoredChannel>(`SELECT ${CHANNEL} FROM channels WHERE channel_id = ?`),
    listChannels: db.prepare<[], StoredChannel>(`SELECT ${CHANNEL} FROM channels ORDER BY joined_at, channel_id`),
    markRead: db.prepare<[atMs: number, channelId: string]>('UPDATE channels SET last_read_at = ? WHERE channel_id = ?'),

    hasMessage: db.prepare<[messageId: string], { found: number }>(
      'SELECT 1 AS found FROM messages WHERE message_id = ?'),
    // Only what this version can show: entries of other kinds stay for reconciliation (PROTOCOL §4.1).
    latestMessages: db.prepare<[channelId: string, limit: number], StoredMessage>(
      `SELECT ${MESSAGE} FROM messages WHERE channel_id = ? AND ${SHOWN} AND ${NOT_BLOCKED} ${NEWEST_FIRST} LIMIT ?`),
    // An unknown `before` makes the row-value comparison NULL, so nothing matches.
    messagesBefore: db.prepare<Named<{ channelId: string; before: string; limit: number }>, StoredMessage>(`
      SELECT ${MESSAGE} FROM messages
      WHERE channel_id = @channelId AND ${SHOWN} AND ${NOT_BLOCKED} AND (timestamp, author, seq, message_id) <
        (SELECT timestamp, author, seq, message_id FROM messages WHERE message_id = @before AND channel_id = @channelId)
      ${NEWEST_FIRST} LIMIT @limit`),
    // Forwards from a message, for a window of history that does not end at the newest (messages.list `after`, `around`).
    messagesAfter: db.prepare<Named<{ channelId: string; at: string; limit: number }>, StoredMessage>(`
      SELECT ${MESSAGE} FROM messages
      WHERE channel_id = @channelId AND ${SHOWN} AND ${NOT_BLOCKED} AND (timestamp, author, seq, message_id) > ${POSITION_OF_AT}
      ${OLDEST_FIRST} LIMIT @limit`),
    messagesFrom: db.prepare<Named<{ channelId: string; at: string; limit: number }>, StoredMessage>(`
      SELECT ${MESSAGE} FROM messages
      WHERE channel_id = @channelId AND ${SHOWN} AND ${NOT_BLOCKED} AND (timestamp, author, seq, message_id) >= ${POSITION_OF_AT}
      ${OLDEST_FIRST} LIMIT @limit`),
    // The author's last entry through its own index: left to itself the planner reads every message
    // of the channel from the time index (it covers timestamp), milliseconds a send on a long log.
    nextEntry: db.prepare<[channelId: string, author: Uint8Array], { seq: number; lastTimestamp: number }>(`
      SELECT seq + 1 AS seq, timestamp AS lastTimestamp FROM messages INDEXED BY messages_by_author
      WHERE channel_id = ? AND author = ? ORDER BY messages.seq DESC, messages.timestamp DESC LIMIT 1`),
    hasEntry: db.prepare<[channelId: string, author: Uint8Array, seq: number], { found: number }>(
      'SELECT 1 AS found FROM messages WHERE channel_id = ? AND author = ? AND seq = ?'),
    unreadCount: db.prepare<[channelId: string, localKey: Uint8Array], { count: number }>(`
      SELECT count(*) AS count FROM messages AS m JOIN channels AS c ON c.channel_id = m.channel_id
      WHERE m.channel_id = ? AND m.${SHOWN} AND length(m.raw) > 0 AND m.received_at > c.last_read_at AND m.author <> ? AND m.${NOT_BLOCKED}`),
    countMessages: db.prepare<ChannelKey, { count: number }>(
      'SELECT count(*) AS count FROM messages WHERE channel_id = ?'),
    flaggedAuthors: db.prepare<ChannelKey, { author: Uint8Array }>(
      'SELECT author FROM flagged_authors WHERE channel_id = ? ORDER BY author'),

    upsertPeerAddress: db.prepare<Named<PeerSighting>>(`
      INSERT INTO peer_addresses (channel_id, host, port, public_key, source, last_seen_at)
      VALUES (@channelId, @host, @port, @publicKey, @source, @lastSeenAt)
      ON CONFLICT (channel_id, host, port) DO UPDATE SET
        public_key = coalesce(excluded.public_key, public_key),
        source = excluded.source,
        last_seen_at = max(last_seen_at, excluded.last_seen_at)`),
    prunePeerAddresses: db.prepare<[channelId: string, keep: number]>(`
      DELETE FROM peer_addresses WHERE rowid IN
        (SELECT rowid FROM peer_addresses WHERE channel_id = ? ${MOST_RECENT_FIRST} LIMIT -1 OFFSET ?)`),
    listPeerAddresses: db.prepare<[channelId: string, limit: number], StoredPeerAddress>(
      `SELECT ${PEER_ADDRESS} FROM peer_addresses WHERE channel_id = ? ${MOST_RECENT_FIRST} LIMIT ?`),

    clearDhtNodes: db.prepare<[]>('DELETE FROM dht_nodes'),
    insertDhtNode: db.prepare<Named<DhtNode>>(
      'INSERT INTO dht_nodes (host, port) VALUES (@host, @port) ON CONFLICT DO NOTHING'),
    saveMember: db.prepare<Named<{ channelId: string; publicKey: Uint8Array; name: string; lastSeenAt: number }>>(`
      INSERT INTO members (channel_id, public_key, name, last_seen_at) VALUES (@channelId, @publicKey, @name, @lastSeenAt)
      ON CONFLICT (channel_id, public_key) DO UPDATE SET name = excluded.name, last_seen_at = excluded.last_seen_at`),
    // Rows of identities that never wrote anything here are kept only while they are connected.
    pruneMembers: db.prepare<Named<{ channelId: string }>>(`
      DELETE FROM members WHERE channel_id = @channelId AND NOT EXISTS
        (SELECT 1 FROM messages AS m WHERE m.channel_id = @channelId AND m.author = members.public_key)`),
    listMembers: db.prepare<ChannelKey, { publicKey: Uint8Array; name: string; lastSeenAt: number }>(
      'SELECT public_key AS publicKey, name, last_seen_at AS lastSeenAt FROM members WHERE channel_id = ? ORDER BY last_seen_at DESC LIMIT 10000'),
    listDhtNodes: db.prepare<[limit: number], DhtNode>('SELECT host, port FROM dht_nodes ORDER BY rowid LIMIT ?')
  }
}

export type Statements = ReturnType<typeof prepareStatements>
