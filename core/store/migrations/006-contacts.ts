import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'

// The address book: people known by their public key, with the name you gave them, the name they
// last chose (from their signed profile, kept so it shows while they are offline), whether you
// verified their safety code, and whether they are blocked.
export const contacts: Migration = {
  version: 6,
  name: 'contacts',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE contacts (
        public_key BLOB PRIMARY KEY CONSTRAINT public_key_32_bytes CHECK (length(public_key) = 32),
        name TEXT NOT NULL CONSTRAINT name_at_most_256_bytes CHECK (length(CAST(name AS BLOB)) <= 256),
        their_name TEXT CONSTRAINT their_name_at_most_256_bytes CHECK (length(CAST(their_name AS BLOB)) <= 256),
        notes TEXT NOT NULL CONSTRAINT notes_at_most_8_kib CHECK (length(CAST(notes AS BLOB)) <= 8192),
        verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
        blocked INTEGER NOT NULL CHECK (blocked IN (0, 1)),
        added_at INTEGER NOT NULL
      ) STRICT;
    `)
  }
}
