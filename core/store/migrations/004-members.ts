import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'

// The display name each member last gave in a HELLO, per channel, so history shows who wrote
// what after a restart and while the author is offline.
export const members: Migration = {
  version: 4,
  name: 'members',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE members (
        channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        public_key BLOB NOT NULL CONSTRAINT public_key_32_bytes CHECK (length(public_key) = 32),
        name TEXT NOT NULL CONSTRAINT name_at_most_256_bytes CHECK (length(CAST(name AS BLOB)) <= 256),
        last_seen_at INTEGER NOT NULL,
        PRIMARY KEY (channel_id, public_key)
      ) STRICT;
    `)
  }
}
