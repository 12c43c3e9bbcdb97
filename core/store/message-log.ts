import type Database from 'better-sqlite3'
import type { Hex } from '../api/contract.ts'
import { decideVersion } from '../history/conflicts.ts'
import { IdSum } from '../history/fingerprint.ts'
import type { StoredMessage } from './types.ts'
import { SearchIndex } from './search-index.ts'
import { prepareMentionStatements } from './mention-statements.ts'
import { KIND_EDIT, SHOWN_KINDS } from '../wire/entry-kinds.ts'

/** What became of one message handed to `insert`. */
export type InsertOutcome =
  /** New, and the first entry under its (author, seq). */
  | 'stored'
  /** Already held. */
  | 'known'
  /** New, stored beside a different entry the author signed under the same seq: the author is flagged. */
  | 'conflict'
  /** A further conflicting version beyond what is kept as evidence: not stored, the author is flagged. */
  | 'refused'

type DigestRow = { count: number; idSum: Uint8Array }

/**
 * Writes to the message log: each insert keeps the per-author digests (count and id sum) that
 * reconciliation reads, and applies the conflicting-versions rule. Runs inside the caller's transaction.
 */
export class MessageLog {
  readonly #versions
  readonly #insert
  readonly #delete
  readonly #digest
  readonly #saveDigest
  readonly #flag
  readonly #authorOf
  readonly #erase
  readonly #insertRef
  readonly #dropRef
  readonly #index: SearchIndex
  readonly #mentions

  constructor (db: Database) {
    this.#authorOf = db.prepare<[messageId: string], { author: Uint8Array }>('SELECT author FROM messages WHERE message_id = ?')
    // Its author took it back: what it said goes from the store; its id stays, so logs still reconcile.
    this.#erase = db.prepare<[messageId: string]>("UPDATE messages SET body = '', raw = x'' WHERE message_id = ?")
    this.#insertRef = db.prepare<[{ messageId: string; channelId: string; target: string; kind: number; author: Uint8Array; seq: number; timestamp: number; value: string }]>(`
      INSERT INTO entry_refs (message_id, channel_id, target_id, kind, author, seq, timestamp, value)
      VALUES (@messageId, @channelId, @target, @kind, @author, @seq, @timestamp, @value) ON CONFLICT DO NOTHING`)
    this.#dropRef = db.prepare<[messageId: string]>('DELETE FROM entry_refs WHERE message_id = ?')
    this.#index = new SearchIndex(db)
    this.#mentions = prepareMentionStatements(db)
    this.#versions = db.prepare<[channelId: string, author: Uint8Array, seq: number], { messageId: string }>(
      'SELECT message_id AS messageId FROM messages WHERE channel_id = ? AND author = ? AND seq = ?')
    this.#insert = db.prepare<[{ [K in Exclude<keyof StoredMessage, 'about' | 'mentions'>]-?: StoredMessage[K] }]>(`
      INSERT INTO messages (message_id, channel_id, author, seq, timestamp, received_at, kind, body, raw)
      VALUES (@messageId, @channelId, @author, @seq, @timestamp, @receivedAt, @kind, @body, @raw)
      ON CONFLICT (message_id) DO NOTHING`)
    this.#delete = db.prepare<[messageId: string]>('DELETE FROM messages WHERE message_id = ?')
    this.#digest = db.prepare<[channelId: string, author: Uint8Array], DigestRow>(
      'SELECT count, id_sum AS idSum FROM author_digests WHERE channel_id = ? AND author = ?')
    this.#saveDigest = db.prepare<[channelId: string, author: Uint8Array, count: number, idSum: Uint8Array]>(`
      INSERT INTO author_digests (channel_id, author, count, id_sum) VALUES (?, ?, ?, ?)
      ON CONFLICT (channel_id, author) DO UPDATE SET count = excluded.count, id_sum = excluded.id_sum`)
    this.#flag = db.prepare<[channelId: string, author: Uint8Array, seq: number, detectedAt: number]>(
      'INSERT INTO flagged_authors (channel_id, author, seq, detected_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
  }

  /** Inserts `messages` of one channel; call inside a transaction. */
  insert (channelId: Hex, messages: readonly StoredMessage[]): InsertOutcome[] {
    const deltas = new Map<string, { author: Uint8Array; count: number; sum: IdSum }>()
    const delta = (author: Uint8Array): { count: number; sum: IdSum } => {
      const key = Buffer.from(author).toString('hex')
      let d = deltas.get(key)
      if (d === undefined) deltas.set(key, d = { author, count: 0, sum: new IdSum() })
      return d
    }
    const store = (m: StoredMessage): InsertOutcome => {
      if (m.channelId !== channelId) throw new RangeError(`message ${m.messageId} belongs to channel ${m.channelId}, not ${channelId}`)
      // An id is the hash of bytes that hold the author and seq: if it is held, it is among these
      // (and should a caller break that, the insert below finds it held and changes nothing).
      const held = this.#versions.all(channelId, m.author, m.seq).map(v => v.messageId)
      if (held.includes(m.messageId)) return 'known'
      const decision = decideVersion(held, m.messageId)
      if (decision.kind !== 'first') this.#flag.run(channelId, m.author, m.seq, m.receivedAt)
      if (decision.kind === 'refused') return 'refused'
      const d = delta(m.author)
      if (decision.kind === 'conflict' && decision.evict !== null) {
        this.#index.remove(decision.evict)
        this.#mentions.drop(decision.evict)
        this.#delete.run(decision.evict)
        d.count--
        d.sum.subtract(Buffer.from(decision.evict, 'hex'))
      }
      const { about, mentions, ...row } = m
      const inserted = this.#insert.run(row)
      if (inserted.changes === 0) return 'known'
      if (mentions !== undefined) this.#mentions.add(m.messageId, channelId, mentions)
      d.count++
      d.sum.add(Buffer.from(m.messageId, 'hex'))
      if (about?.kind === 'ref') this.#insertRef.run({ messageId: m.messageId, channelId, target: about.target, kind: m.kind, author: m.author, seq: m.seq, timestamp: m.timestamp, value: about.value })
      if (SHOWN_KINDS.includes(m.kind) && m.raw.length > 0) this.#index.added(Number(inserted.lastInsertRowid), m.messageId, m.author, m.body)
      if (m.kind === KIND_EDIT && about?.kind === 'ref') this.#index.show(about.target)
      if (about?.kind === 'delete') for (const target of about.targets) eraseOrBury(m, target)
      return decision.kind === 'first' ? 'stored' : 'conflict'
    }
    // A deleted entry we hold is erased (only its own author may); one we have not seen yet is buried:
    // its id is held with nothing in it, so it is neither shown nor asked for when it comes.
    const eraseOrBury = (deletion: StoredMessage, target: { id: string; seq: number }): void => {
      const holder = this.#authorOf.get(target.id)
      if (holder !== undefined) {
        if (Buffer.compare(holder.author, deletion.author) !== 0) return
        this.#index.remove(target.id)
        this.#erase.run(target.id)
        this.#dropRef.run(target.id)
        this.#mentions.drop(target.id)
        return
      }
      store({ messageId: target.id, channelId, author: deletion.author, seq: target.seq, timestamp: deletion.timestamp, receivedAt: deletion.receivedAt, kind: 0, body: '', raw: new Uint8Array(0) })
    }
    const outcomes = messages.map(store)
    this.#index.flush(channelId)
    for (const d of deltas.values()) {
      if (d.count === 0 && Buffer.compare(d.sum.bytes(), new Uint8Array(32)) === 0) continue
      const row = this.#digest.get(channelId, d.author)
      const sum = row === undefined ? d.sum : IdSum.fromBytes(row.idSum).addSum(d.sum)
      this.#saveDigest.run(channelId, d.author, (row?.count ?? 0) + d.count, sum.bytes())
    }
    return outcomes
  }
}
