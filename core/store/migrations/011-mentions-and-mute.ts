import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'

// Whom an entry mentions (PROTOCOL §4.7), one row per mentioned key, found by the key so that a
// channel's unread mentions of us are one indexed count; and whether the user muted a conversation.
// Entries of version 4 mention no one: nothing to fill in.
export const mentionsAndMute: Migration = {
  version: 11,
  name: 'mentions and mute',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE mentions (
        message_id TEXT NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
        channel_id TEXT NOT NULL,
        mentioned BLOB NOT NULL CONSTRAINT mentioned_key CHECK (length(mentioned) = 32),
        PRIMARY KEY (message_id, mentioned)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX mentions_by_key ON mentions (mentioned, channel_id);
      ALTER TABLE channels ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
    `)
  }
}
