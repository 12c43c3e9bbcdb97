// Receipts' SQL (migration 007), and the two positions we report to an author: how far we hold
// their entries without a hole, and how far we have read them.
import type Database from 'better-sqlite3'

export interface StoredReceipt { member: Uint8Array; delivered: number; read: number }

export function prepareReceiptStatements (db: Database) {
  type Key = [channelId: string, author: Uint8Array]
  const statements = {
    list: db.prepare<[channelId: string, limit: number], StoredReceipt>(
      'SELECT member, delivered, read FROM receipts WHERE channel_id = ? ORDER BY updated_at DESC LIMIT ?'),
    // Only ever raised: a receipt from before cannot take back what a later one said.
    upsert: db.prepare<[{ channelId: string; member: Uint8Array; delivered: number; read: number; updatedAt: number }]>(`
      INSERT INTO receipts (channel_id, member, delivered, read, updated_at) VALUES (@channelId, @member, @delivered, @read, @updatedAt)
      ON CONFLICT (channel_id, member) DO UPDATE SET delivered = max(delivered, excluded.delivered),
        read = min(max(read, excluded.read), max(delivered, excluded.delivered)), updated_at = excluded.updated_at`),
    digest: db.prepare<Key, { count: number }>('SELECT count FROM author_digests WHERE channel_id = ? AND author = ?'),
    lastSeq: db.prepare<Key, { seq: number }>(
      'SELECT seq FROM messages INDEXED BY messages_by_author WHERE channel_id = ? AND author = ? ORDER BY seq DESC LIMIT 1'),
    hasFirst: db.prepare<Key, { found: number }>('SELECT 1 AS found FROM messages WHERE channel_id = ? AND author = ? AND seq = 1'),
    flagged: db.prepare<Key, { found: number }>('SELECT 1 AS found FROM flagged_authors WHERE channel_id = ? AND author = ?'),
    // The last seq before the first hole: walks the author's log from its start only when it has one.
    beforeHole: db.prepare<[{ channelId: string; author: Uint8Array }], { seq: number }>(`
      SELECT m.seq FROM messages AS m INDEXED BY messages_by_author WHERE m.channel_id = @channelId AND m.author = @author
        AND NOT EXISTS (SELECT 1 FROM messages AS n WHERE n.channel_id = @channelId AND n.author = @author AND n.seq = m.seq + 1)
      ORDER BY m.seq LIMIT 1`),
    readUpTo: db.prepare<[channelId: string, author: Uint8Array, readAt: number], { seq: number }>(
      'SELECT seq FROM messages INDEXED BY messages_by_author WHERE channel_id = ? AND author = ? AND received_at <= ? ORDER BY seq DESC LIMIT 1')
  }
  return {
    list: (channelId: string, limit: number): StoredReceipt[] => statements.list.all(channelId, limit),
    save: db.transaction((channelId: string, rows: readonly StoredReceipt[], updatedAt: number) => {
      for (const r of rows) statements.upsert.run({ channelId, member: r.member, delivered: r.delivered, read: r.read, updatedAt })
    }),
    /** The highest seq of `author` we hold with every seq below it held too; 0 when we lack their first. */
    heldPrefix: (channelId: string, author: Uint8Array): number => {
      const last = statements.lastSeq.get(channelId, author)?.seq ?? 0
      if (last === 0 || statements.hasFirst.get(channelId, author) === undefined) return 0
      // As many entries as seqs up to the last, and no seq held twice (the author is not flagged): no hole.
      if ((statements.digest.get(channelId, author)?.count ?? 0) === last && statements.flagged.get(channelId, author) === undefined) return last
      return statements.beforeHole.get({ channelId, author })?.seq ?? last
    },
    /** The highest seq of `author` that had arrived by `readAt` (ms, our clock). */
    readUpTo: (channelId: string, author: Uint8Array, readAt: number): number => statements.readUpTo.get(channelId, author, readAt)?.seq ?? 0
  }
}

export type ReceiptStatements = ReturnType<typeof prepareReceiptStatements>
