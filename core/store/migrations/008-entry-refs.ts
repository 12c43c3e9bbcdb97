import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'

// Entries about other entries (replies, edits, reactions: PROTOCOL §4.7), found by the entry they are
// about, so a page of messages reads its edits and reactions in one query. Goes with its entry.
export const entryRefs: Migration = {
  version: 8,
  name: 'entry refs',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE entry_refs (
        message_id TEXT PRIMARY KEY REFERENCES messages (message_id) ON DELETE CASCADE,
        channel_id TEXT NOT NULL,
        target_id TEXT NOT NULL CONSTRAINT target_id_hex CHECK (length(target_id) = 64 AND target_id NOT GLOB '*[^0-9a-f]*'),
        kind INTEGER NOT NULL,
        author BLOB NOT NULL,
        seq INTEGER NOT NULL,
        timestamp INTEGER NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
      CREATE INDEX entry_refs_by_target ON entry_refs (channel_id, target_id);
    `)
  }
}
