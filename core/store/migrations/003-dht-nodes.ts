import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'

// The DHT routing table's good nodes, so a restart can rejoin the DHT without the
// bootstrap routers. Node-wide, not per channel. Insertion order (rowid) is kept so the
// nodes come back in the order they were saved.
export const dhtNodes: Migration = {
  version: 3,
  name: 'dht nodes',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE dht_nodes (
        host TEXT NOT NULL CONSTRAINT host_1_to_64_bytes CHECK (length(CAST(host AS BLOB)) BETWEEN 1 AND 64),
        port INTEGER NOT NULL CONSTRAINT port_u16 CHECK (port BETWEEN 1 AND 65535),
        PRIMARY KEY (host, port)
      ) STRICT;
    `)
  }
}
