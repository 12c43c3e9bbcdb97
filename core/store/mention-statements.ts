// Mentions (migration 011): written with their entry, dropped when it is erased; read for a page of
// messages at once, and counted per channel for the ones that name us and are not read yet.
import type Database from 'better-sqlite3'
import { KIND_EDIT } from '../wire/entry-kinds.ts'
import { NOT_BLOCKED } from './contact-statements.ts'

export function prepareMentionStatements (db: Database) {
  const insert = db.prepare<[messageId: string, channelId: string, mentioned: Uint8Array]>(
    'INSERT INTO mentions (message_id, channel_id, mentioned) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
  const drop = db.prepare<[messageId: string]>('DELETE FROM mentions WHERE message_id = ?')
  // Ids as one JSON array: a page's worth in one statement, whatever its size.
  const of = db.prepare<[ids: string], { messageId: string; mentioned: Uint8Array }>(
    'SELECT message_id AS messageId, mentioned FROM mentions WHERE message_id IN (SELECT value FROM json_each(?))')
  // A message and an edit of it that both name us are one mention: counted by the message shown.
  const unread = db.prepare<[{ channelId: string; me: Uint8Array }], { count: number }>(`
    SELECT count(DISTINCT coalesce(r.target_id, m.message_id)) AS count
    FROM mentions AS x JOIN messages AS m ON m.message_id = x.message_id JOIN channels AS c ON c.channel_id = m.channel_id
    LEFT JOIN entry_refs AS r ON r.message_id = m.message_id AND m.kind = ${KIND_EDIT}
    WHERE x.mentioned = @me AND x.channel_id = @channelId AND length(m.raw) > 0 AND m.received_at > c.last_read_at
      AND m.author <> @me AND m.${NOT_BLOCKED}`)
  const muted = db.prepare<[channelId: string], { muted: number }>('SELECT muted FROM channels WHERE channel_id = ?')
  const setMuted = db.prepare<[muted: number, channelId: string]>('UPDATE channels SET muted = ? WHERE channel_id = ?')
  return {
    /** Inside the caller's transaction, with the entry. */
    add: (messageId: string, channelId: string, keys: readonly string[]): void => {
      for (const key of keys) insert.run(messageId, channelId, Buffer.from(key, 'hex'))
    },
    drop: (messageId: string): void => { drop.run(messageId) },
    /** Each entry's mentioned keys (hex), for those that mention anyone. */
    of: (messageIds: readonly string[]): Map<string, string[]> => {
      const out = new Map<string, string[]>()
      if (messageIds.length === 0) return out
      for (const row of of.all(JSON.stringify(messageIds))) {
        let keys = out.get(row.messageId)
        if (keys === undefined) out.set(row.messageId, keys = [])
        keys.push(Buffer.from(row.mentioned).toString('hex'))
      }
      return out
    },
    unread: (channelId: string, me: Uint8Array): number => unread.get({ channelId, me })?.count ?? 0,
    muted: (channelId: string): boolean => muted.get(channelId)?.muted === 1,
    /** False when the channel is not joined. */
    setMuted: (channelId: string, value: boolean): boolean => setMuted.run(value ? 1 : 0, channelId).changes === 1
  }
}

export type MentionStatements = ReturnType<typeof prepareMentionStatements>
