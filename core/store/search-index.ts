// The full-text index (migration 010): kept in step with the log (a shown message is indexed with its
// text as its author last edited it, and leaves the index when it is deleted or evicted), and searched.
import type Database from 'better-sqlite3'
import { KIND_EDIT, SHOWN_KINDS } from '../wire/entry-kinds.ts'
import { NOT_BLOCKED } from './contact-statements.ts'
import type { StoredMessage } from './types.ts'

export class SearchIndex {
  readonly #shown
  readonly #lastEdit
  readonly #insert
  readonly #delete
  readonly #editsOf
  #pending: Array<{ rowid: number; messageId: string; author: Uint8Array; body: string }> = []

  constructor (db: Database) {
    this.#editsOf = db.prepare<[channelId: string, targets: string], { targetId: string; author: Uint8Array; value: string }>(
      `SELECT target_id AS targetId, author, value FROM entry_refs WHERE channel_id = ? AND kind = ${KIND_EDIT}
       AND target_id IN (SELECT value FROM json_each(?)) ORDER BY timestamp, seq, message_id`)
    this.#shown = db.prepare<[messageId: string], { rowid: number; channelId: string; author: Uint8Array; body: string; kind: number; rawLength: number }>(
      'SELECT rowid, channel_id AS channelId, author, body, kind, length(raw) AS rawLength FROM messages WHERE message_id = ?')
    this.#lastEdit = db.prepare<[channelId: string, target: string, author: Uint8Array], { value: string }>(
      `SELECT value FROM entry_refs WHERE channel_id = ? AND target_id = ? AND kind = ${KIND_EDIT} AND author = ? ORDER BY timestamp DESC, seq DESC, message_id DESC LIMIT 1`)
    this.#insert = db.prepare<[rowid: number, body: string]>('INSERT INTO message_search (rowid, body) VALUES (?, ?)')
    this.#delete = db.prepare<[rowid: number]>('DELETE FROM message_search WHERE rowid = ?')
  }

  /** (Re)indexes a message with the text it shows now; nothing for a message not held, not shown or deleted. */
  show (messageId: string): void {
    this.#pending = this.#pending.filter(p => p.messageId !== messageId)
    const row = this.#shown.get(messageId)
    if (row === undefined || !SHOWN_KINDS.includes(row.kind) || row.rawLength === 0) return
    const text = this.#lastEdit.get(row.channelId, messageId, row.author)?.value ?? row.body
    this.#delete.run(row.rowid)
    this.#insert.run(row.rowid, indexed(text))
  }

  /** A message just stored (its row is `rowid`): indexed by flush(), with its text or an edit of it that came first. */
  added (rowid: number, messageId: string, author: Uint8Array, body: string): void {
    this.#pending.push({ rowid, messageId, author, body })
  }

  /** Indexes what was added, with one look for edits for the whole batch (one per message was most of the cost). */
  flush (channelId: string): void {
    if (this.#pending.length === 0) return
    const pending = this.#pending
    this.#pending = []
    // Oldest first: the last one seen for a target is its latest.
    const latest = new Map<string, { author: Uint8Array; value: string }[]>()
    for (const edit of this.#editsOf.all(channelId, JSON.stringify(pending.map(p => p.messageId)))) {
      let list = latest.get(edit.targetId)
      if (list === undefined) latest.set(edit.targetId, list = [])
      list.push(edit)
    }
    for (const p of pending) {
      const edit = latest.get(p.messageId)?.filter(e => Buffer.compare(e.author, p.author) === 0).at(-1)
      this.#insert.run(p.rowid, indexed(edit?.value ?? p.body))
    }
  }

  remove (messageId: string): void {
    this.#pending = this.#pending.filter(p => p.messageId !== messageId)
    const row = this.#shown.get(messageId)
    if (row !== undefined) this.#delete.run(row.rowid)
  }
}

/** Newest first: the index walks its rows by rowid, which grows with arrival, and stops at `limit`. */
export function prepareSearch (db: Database) {
  const statement = db.prepare<[{ query: string; channelId: string | null; limit: number }], StoredMessage>(`
    SELECT m.message_id AS messageId, m.channel_id AS channelId, m.author, m.seq, m.timestamp, m.received_at AS receivedAt, m.kind, m.body, m.raw
    FROM message_search AS s JOIN messages AS m ON m.rowid = s.rowid
    WHERE message_search MATCH @query AND (@channelId IS NULL OR m.channel_id = @channelId) AND m.${NOT_BLOCKED}
    ORDER BY s.rowid DESC LIMIT @limit`)
  return (query: string, channelId: string | null, limit: number): StoredMessage[] => statement.all({ query, channelId, limit })
}

/** Words are indexed, and searched, by their first MAX_TERM_CHARS characters: a 6,000-character "word" costs an index no more than a short one. */
const MAX_TERM_CHARS = 64

const LONG_WORD = new RegExp(`[\\p{L}\\p{N}\\p{M}_]{${MAX_TERM_CHARS + 1},}`, 'gu')

function indexed (text: string): string {
  return text.replace(LONG_WORD, w => w.slice(0, MAX_TERM_CHARS))
}

/** Words of what a person typed, each matched as a prefix, all required: an FTS5 query that cannot be malformed. */
export function searchQuery (text: string, maxTerms = 16): string | null {
  const words = (text.match(/[\p{L}\p{N}\p{M}_]+/gu) ?? []).slice(0, maxTerms).map(w => w.slice(0, MAX_TERM_CHARS))
  return words.length === 0 ? null : words.map(w => `"${w}"*`).join(' ')
}
