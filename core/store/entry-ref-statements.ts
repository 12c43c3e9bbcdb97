// Reading entries about other entries (migration 008): the edits, reactions and replies of a page of
// messages in one query, and single entries by id.
import type Database from 'better-sqlite3'
import type { StoredMessage } from './types.ts'

export interface StoredRef { messageId: string; targetId: string; kind: number; author: Uint8Array; seq: number; timestamp: number; value: string }

/** Targets asked about at once: SQLite binds at most 32,766 parameters; a page is far below. */
const MAX_TARGETS = 1000

export function prepareEntryRefStatements (db: Database) {
  const byTarget = new Map<number, ReturnType<typeof prepareByTarget>>()
  function prepareByTarget (n: number) {
    return db.prepare<[channelId: string, ...targets: string[]], StoredRef>(`
      SELECT message_id AS messageId, target_id AS targetId, kind, author, seq, timestamp, value FROM entry_refs
      WHERE channel_id = ? AND target_id IN (${Array(n).fill('?').join(', ')}) ORDER BY timestamp, seq, message_id`)
  }
  const message = db.prepare<[channelId: string, messageId: string], StoredMessage>(`
    SELECT message_id AS messageId, channel_id AS channelId, author, seq, timestamp, received_at AS receivedAt, kind, body, raw
    FROM messages WHERE channel_id = ? AND message_id = ?`)
  const byKind = db.prepare<[channelId: string, kind: number, limit: number], StoredRef>(
    'SELECT message_id AS messageId, target_id AS targetId, kind, author, seq, timestamp, value FROM entry_refs WHERE channel_id = ? AND kind = ? LIMIT ?')
  const refOf = db.prepare<[messageId: string], StoredRef>(
    'SELECT message_id AS messageId, target_id AS targetId, kind, author, seq, timestamp, value FROM entry_refs WHERE message_id = ?')
  return {
    /** Every entry about any of `targets`, oldest first. */
    about: (channelId: string, targets: readonly string[]): StoredRef[] => {
      const out: StoredRef[] = []
      for (let i = 0; i < targets.length; i += MAX_TARGETS) {
        const chunk = targets.slice(i, i + MAX_TARGETS)
        // Statements are kept per size, rounded up to a power of two (padding repeats the last id).
        const size = 2 ** Math.ceil(Math.log2(Math.max(chunk.length, 1)))
        let statement = byTarget.get(size)
        if (statement === undefined) byTarget.set(size, statement = prepareByTarget(size))
        const padded = [...chunk, ...Array<string>(size - chunk.length).fill(chunk.at(-1) ?? '')]
        out.push(...statement.all(channelId, ...padded))
      }
      return out
    },
    message: (channelId: string, messageId: string): StoredMessage | undefined => message.get(channelId, messageId),
    refOf: (messageId: string): StoredRef | undefined => refOf.get(messageId),
    ofKind: (channelId: string, kind: number, limit: number): StoredRef[] => byKind.all(channelId, kind, limit)
  }
}

export type EntryRefStatements = ReturnType<typeof prepareEntryRefStatements>
