import type Database from 'better-sqlite3'
import { IdSum } from '../../history/fingerprint.ts'
import type { Migration } from './migration.ts'

// Gap-free sync (PROTOCOL §4.2) compares sets of entries by range, so the log must be readable in
// (author, seq, id) order, and it keeps conflicting versions an author signed under one seq as
// evidence: the (channel, author, seq) uniqueness goes. Conversation order becomes (timestamp,
// author, seq, id), so one author's messages stamped in the same millisecond keep their order. Each author's log gets a running count and
// id sum, so a range covering whole authors is summarised without reading their messages.
export const historyReconciliation: Migration = {
  version: 5,
  name: 'history reconciliation',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE messages_v5 (
        message_id TEXT PRIMARY KEY
          CONSTRAINT message_id_hex CHECK (length(message_id) = 64 AND message_id NOT GLOB '*[^0-9a-f]*'),
        channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        author BLOB NOT NULL CONSTRAINT author_32_bytes CHECK (length(author) = 32),
        seq INTEGER NOT NULL CONSTRAINT seq_positive CHECK (seq >= 1),
        timestamp INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        kind INTEGER NOT NULL CONSTRAINT kind_u8 CHECK (kind BETWEEN 0 AND 255),
        body TEXT NOT NULL,
        raw BLOB NOT NULL
      ) STRICT;
      INSERT INTO messages_v5 SELECT message_id, channel_id, author, seq, timestamp, received_at, kind, body, raw FROM messages;
      DROP TABLE messages;
      ALTER TABLE messages_v5 RENAME TO messages;
      CREATE INDEX messages_by_time ON messages (channel_id, timestamp, author, seq, message_id);
      CREATE INDEX messages_by_arrival ON messages (channel_id, received_at);
      CREATE INDEX messages_by_author ON messages (channel_id, author, seq, message_id);

      CREATE TABLE author_digests (
        channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        author BLOB NOT NULL CONSTRAINT author_32_bytes CHECK (length(author) = 32),
        count INTEGER NOT NULL CONSTRAINT count_positive CHECK (count >= 1),
        id_sum BLOB NOT NULL CONSTRAINT id_sum_32_bytes CHECK (length(id_sum) = 32),
        PRIMARY KEY (channel_id, author)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE flagged_authors (
        channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        author BLOB NOT NULL CONSTRAINT author_32_bytes CHECK (length(author) = 32),
        seq INTEGER NOT NULL,
        detected_at INTEGER NOT NULL,
        PRIMARY KEY (channel_id, author)
      ) STRICT, WITHOUT ROWID;
    `)
    const digests = new Map<string, { channelId: string; author: Uint8Array; count: number; sum: IdSum }>()
    const rows = db.prepare<[], { channelId: string; author: Uint8Array; messageId: string }>(
      'SELECT channel_id AS channelId, author, message_id AS messageId FROM messages')
    for (const row of rows.iterate()) {
      const key = `${row.channelId}:${Buffer.from(row.author).toString('hex')}`
      let digest = digests.get(key)
      if (digest === undefined) digests.set(key, digest = { channelId: row.channelId, author: row.author, count: 0, sum: new IdSum() })
      digest.count++
      digest.sum.add(Buffer.from(row.messageId, 'hex'))
    }
    const insert = db.prepare<[string, Uint8Array, number, Uint8Array]>(
      'INSERT INTO author_digests (channel_id, author, count, id_sum) VALUES (?, ?, ?, ?)')
    for (const d of digests.values()) insert.run(d.channelId, d.author, d.count, d.sum.bytes())
  }
}
