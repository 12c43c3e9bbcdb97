import type Database from 'better-sqlite3'
import type { Migration } from './migration.ts'

// The keys of an invite-only channel's epochs this node holds (PROTOCOL §4.10): the current one
// (retire_at NULL) and older ones still accepted from members who have not moved up yet, each until
// its retire_at (ms). Epoch 0's key is the genesis secret (the channel's .chat file): a row for it only
// while it is an older key in its grace. Goes with its channel.
export const channelEpochs: Migration = {
  version: 12,
  name: 'channel epochs',
  up (db: Database): void {
    db.exec(`
      CREATE TABLE channel_epochs (
        channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL CONSTRAINT epoch_u32 CHECK (epoch BETWEEN 0 AND 4294967295),
        key BLOB NOT NULL CONSTRAINT key_32_bytes CHECK (length(key) = 32),
        retire_at INTEGER,
        PRIMARY KEY (channel_id, epoch)
      ) STRICT;
      CREATE UNIQUE INDEX channel_epochs_one_current ON channel_epochs (channel_id) WHERE retire_at IS NULL;
    `)
  }
}
