import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'

// Hex ids are stored as the API shows them (64 lowercase hex characters), so every lookup
// by id is a plain text comparison. Tables are STRICT so a BLOB never lands where TEXT
// belongs. The identity row holds the secret key either in the clear or sealed, never
// both: a sealed key next to its plaintext would protect nothing.
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE identity (
        id INTEGER PRIMARY KEY CONSTRAINT identity_single_row CHECK (id = 1),
        public_key BLOB NOT NULL CONSTRAINT public_key_32_bytes CHECK (length(public_key) = 32),
        secret_key BLOB CONSTRAINT secret_key_64_bytes CHECK (length(secret_key) = 64),
        sealed_secret_key BLOB,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        CONSTRAINT secret_key_clear_or_sealed CHECK ((secret_key IS NULL) <> (sealed_secret_key IS NULL))
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE channels (
        channel_id TEXT PRIMARY KEY
          CONSTRAINT channel_id_hex CHECK (length(channel_id) = 64 AND channel_id NOT GLOB '*[^0-9a-f]*'),
        name TEXT NOT NULL,
        chat_file BLOB NOT NULL,
        joined_at INTEGER NOT NULL,
        last_read_at INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE messages (
        message_id TEXT PRIMARY KEY
          CONSTRAINT message_id_hex CHECK (length(message_id) = 64 AND message_id NOT GLOB '*[^0-9a-f]*'),
        channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        author BLOB NOT NULL CONSTRAINT author_32_bytes CHECK (length(author) = 32),
        seq INTEGER NOT NULL CONSTRAINT seq_positive CHECK (seq >= 1),
        timestamp INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        kind INTEGER NOT NULL CONSTRAINT kind_u8 CHECK (kind BETWEEN 0 AND 255),
        body TEXT NOT NULL,
        raw BLOB NOT NULL,
        UNIQUE (channel_id, author, seq)
      ) STRICT;

      CREATE INDEX messages_by_time ON messages (channel_id, timestamp, message_id);
      CREATE INDEX messages_by_arrival ON messages (channel_id, received_at);
    `)
  }
}
