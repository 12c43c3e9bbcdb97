import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'

// Invitations to channels received in private conversations (PROTOCOL §4.8): the link, who sent it,
// and what the user made of it.
export const invitations: Migration = {
  version: 9,
  name: 'invitations',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE invitations (
        invitation_id TEXT PRIMARY KEY CONSTRAINT invitation_id_hex CHECK (length(invitation_id) = 64 AND invitation_id NOT GLOB '*[^0-9a-f]*'),
        channel_id TEXT NOT NULL,
        sender BLOB NOT NULL CONSTRAINT sender_32_bytes CHECK (length(sender) = 32),
        link TEXT NOT NULL CONSTRAINT link_at_most_16_kib CHECK (length(link) <= 16384),
        received_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined'))
      ) STRICT;
      CREATE INDEX invitations_by_time ON invitations (received_at);
    `)
  }
}
