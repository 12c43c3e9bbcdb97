import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'

// Where members of each channel were last seen listening, so a restart can dial them
// before any tracker answers. Bounds mirror the protocol's (`host` at most 64 bytes in
// PEX), so a hostile peer list cannot grow a row past what the wire allows.
export const peerAddresses: Migration = {
  version: 2,
  name: 'peer addresses',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE peer_addresses (
        channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        host TEXT NOT NULL CONSTRAINT host_1_to_64_bytes CHECK (length(CAST(host AS BLOB)) BETWEEN 1 AND 64),
        port INTEGER NOT NULL CONSTRAINT port_u16 CHECK (port BETWEEN 1 AND 65535),
        public_key BLOB CONSTRAINT public_key_32_bytes CHECK (length(public_key) = 32),
        source TEXT NOT NULL CONSTRAINT known_source CHECK (source IN ('tracker', 'dht', 'lan', 'pex', 'incoming')),
        last_seen_at INTEGER NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0 CONSTRAINT failures_not_negative CHECK (failures >= 0),
        PRIMARY KEY (channel_id, host, port)
      ) STRICT;

      CREATE INDEX peer_addresses_by_recency ON peer_addresses (channel_id, last_seen_at);
    `)
  }
}
