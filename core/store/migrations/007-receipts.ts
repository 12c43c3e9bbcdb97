import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'

// How far each member of a channel holds and has read our own messages there (RECEIPT, PROTOCOL
// §4.5): two sequence numbers of ours per member, only ever raised.
export const receipts: Migration = {
  version: 7,
  name: 'receipts',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE receipts (
        channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        member BLOB NOT NULL CONSTRAINT member_32_bytes CHECK (length(member) = 32),
        delivered INTEGER NOT NULL CHECK (delivered >= 0),
        read INTEGER NOT NULL CHECK (read >= 0 AND read <= delivered),
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (channel_id, member)
      ) STRICT;
    `)
  }
}
