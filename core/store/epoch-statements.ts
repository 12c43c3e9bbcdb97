// The keys of channels' epochs (migration 012).
import type Database from 'better-sqlite3'

export interface StoredEpochKey {
  epoch: number
  key: Uint8Array
  /** When an older key stops being accepted (ms); null for the current one. */
  retireAt: number | null
}

export function prepareEpochStatements (db: Database) {
  const list = db.prepare<[channelId: string], StoredEpochKey>('SELECT epoch, key, retire_at AS retireAt FROM channel_epochs WHERE channel_id = ? ORDER BY epoch DESC')
  const retireCurrent = db.prepare<[retireAt: number, channelId: string]>('UPDATE channel_epochs SET retire_at = ? WHERE channel_id = ? AND retire_at IS NULL')
  const upsert = db.prepare<[{ channelId: string; epoch: number; key: Uint8Array; retireAt: number | null }]>(`
    INSERT INTO channel_epochs (channel_id, epoch, key, retire_at) VALUES (@channelId, @epoch, @key, @retireAt)
    ON CONFLICT (channel_id, epoch) DO UPDATE SET key = excluded.key, retire_at = excluded.retire_at`)
  const dropRetired = db.prepare<[channelId: string, now: number]>('DELETE FROM channel_epochs WHERE channel_id = ? AND retire_at IS NOT NULL AND retire_at <= ?')
  const retireAll = db.prepare<[now: number, channelId: string]>('UPDATE channel_epochs SET retire_at = ? WHERE channel_id = ? AND retire_at IS NOT NULL')
  return {
    list: (channelId: string): StoredEpochKey[] => list.all(channelId),
    /**
     * Makes `key` the channel's current epoch: the one current until now is kept as an older key until
     * `retireAt` (the genesis secret's row is written here, the first time the channel leaves epoch 0).
     */
    advance: db.transaction((channelId: string, previous: { epoch: number; key: Uint8Array }, next: { epoch: number; key: Uint8Array }, retireAt: number): void => {
      retireCurrent.run(retireAt, channelId)
      upsert.run({ channelId, epoch: previous.epoch, key: previous.key, retireAt })
      upsert.run({ channelId, epoch: next.epoch, key: next.key, retireAt: null })
    }),
    /** Older keys whose time is up are forgotten (`now` for all of them: every member is known to have moved up). */
    dropRetired: (channelId: string, now: number, all = false): void => {
      if (all) retireAll.run(now, channelId)
      dropRetired.run(channelId, now)
    }
  }
}

export type EpochStatements = ReturnType<typeof prepareEpochStatements>
