import type Database from 'better-sqlite3'
import type { Hex } from '../api/contract.ts'
import type { Bound, UpperBound } from '../history/bounds.ts'
import { emptySummary, IdSum, type RangeSummary } from '../history/fingerprint.ts'
import type { HistoryIndex, RangePart } from '../history/history-index.ts'

/** Above every sequence number (they stay below 2^53): "to the end of this author's log". */
const SEQ_END = 2 ** 53

/** A stretch of one author's log inside a range: the whole log (its digest is enough) or seqs [from, to). */
type Segment =
  | { kind: 'whole'; author: Uint8Array; count: number; sum: IdSum }
  | { kind: 'part'; author: Uint8Array; from: number; to: number }

export interface PushRow { messageId: Hex; author: Uint8Array; seq: number; raw: Uint8Array }

export function prepareHistoryStatements (db: Database) {
  type Digest = { author: Uint8Array; count: number; idSum: Uint8Array }
  type Cursor = { channelId: string; author: Uint8Array; seq: number; messageId: string }
  type Upper = { upperAuthor: Uint8Array; upperSeq: number }
  const PUSH = 'SELECT message_id AS messageId, author, seq, raw FROM messages WHERE channel_id = @channelId AND (author, seq, message_id) > (@author, @seq, @messageId)'
  return {
    digest: db.prepare<[channelId: string, author: Uint8Array], Digest>(
      'SELECT author, count, id_sum AS idSum FROM author_digests WHERE channel_id = ? AND author = ?'),
    digestsBetween: db.prepare<[channelId: string, after: Uint8Array, before: Uint8Array], Digest>(
      'SELECT author, count, id_sum AS idSum FROM author_digests WHERE channel_id = ? AND author > ? AND author < ? ORDER BY author'),
    digestsAfter: db.prepare<[channelId: string, after: Uint8Array], Digest>(
      'SELECT author, count, id_sum AS idSum FROM author_digests WHERE channel_id = ? AND author > ? ORDER BY author'),
    authorEntries: db.prepare<[channelId: string, author: Uint8Array, from: number, to: number], { seq: number; messageId: string }>(
      'SELECT seq, message_id AS messageId FROM messages WHERE channel_id = ? AND author = ? AND seq >= ? AND seq < ? ORDER BY seq, message_id'),
    authorCount: db.prepare<[channelId: string, author: Uint8Array, from: number, to: number], { count: number }>(
      'SELECT count(*) AS count FROM messages WHERE channel_id = ? AND author = ? AND seq >= ? AND seq < ?'),
    has: db.prepare<[messageId: string, channelId: string], { found: number }>(
      'SELECT 1 AS found FROM messages WHERE message_id = ? AND channel_id = ?'),
    raw: db.prepare<[messageId: string, channelId: string], { raw: Uint8Array }>(
      'SELECT raw FROM messages WHERE message_id = ? AND channel_id = ?'),
    pushBelow: db.prepare<[Cursor & Upper & { limit: number }], PushRow>(
      `${PUSH} AND (author, seq) < (@upperAuthor, @upperSeq) ORDER BY author, seq, message_id LIMIT @limit`),
    pushToEnd: db.prepare<[Cursor & { limit: number }], PushRow>(
      `${PUSH} ORDER BY author, seq, message_id LIMIT @limit`)
  }
}

export type HistoryStatements = ReturnType<typeof prepareHistoryStatements>

/**
 * One channel's log in reconciliation order, read from SQLite. Whole authors are summarised from
 * their digests; only the authors a range cuts through are read entry by entry, and `cost` counts
 * those entries so a peer can be charged for the work its ranges cause.
 */
export class SqliteHistoryIndex implements HistoryIndex {
  readonly #sql: HistoryStatements
  readonly #channelId: Hex
  cost = 0

  constructor (sql: HistoryStatements, channelId: Hex) {
    this.#sql = sql
    this.#channelId = channelId
  }

  summarize (lower: Bound, upper: UpperBound): RangeSummary {
    const total = emptySummary()
    for (const segment of this.#segments(lower, upper)) {
      if (segment.kind === 'whole') {
        total.count += segment.count
        total.sum.addSum(segment.sum)
        continue
      }
      for (const row of this.#entries(segment)) {
        total.count++
        total.sum.add(Buffer.from(row.messageId, 'hex'))
      }
    }
    return total
  }

  split (lower: Bound, upper: UpperBound, parts: number): RangePart[] {
    const segments = this.#segments(lower, upper)
    let total = 0
    for (const s of segments) total += s.kind === 'whole' ? s.count : this.#count(s)
    const target = Math.max(1, Math.ceil(total / parts))
    const out: RangePart[] = []
    let current = emptySummary()
    // Closes the current part just before an entry (or author) starting at `start`, once it is full.
    const closeBefore = (start: Bound): void => {
      if (current.count < target || out.length === parts - 1) return
      out.push({ upper: start, summary: current })
      current = emptySummary()
    }
    for (const segment of segments) {
      if (segment.kind === 'whole' && current.count + segment.count <= target + target / 2) {
        closeBefore({ author: segment.author, seq: 0 })
        current.count += segment.count
        current.sum.addSum(segment.sum)
        continue
      }
      const rows = this.#entries(segment.kind === 'whole' ? { author: segment.author, from: 1, to: SEQ_END } : segment)
      for (const [i, row] of rows.entries()) {
        // Versions under one seq stay in one part: a bound cannot fall between them.
        if (i === 0 || rows[i - 1]!.seq !== row.seq) closeBefore({ author: segment.author, seq: row.seq })
        current.count++
        current.sum.add(Buffer.from(row.messageId, 'hex'))
      }
    }
    out.push({ upper, summary: current })
    return out
  }

  ids (lower: Bound, upper: UpperBound): Uint8Array[] {
    const ids: Uint8Array[] = []
    for (const segment of this.#segments(lower, upper)) {
      const part = segment.kind === 'whole' ? { author: segment.author, from: 1, to: SEQ_END } : segment
      for (const row of this.#entries(part)) ids.push(Buffer.from(row.messageId, 'hex'))
    }
    return ids
  }

  has (id: Uint8Array): boolean {
    return this.#sql.has.get(Buffer.from(id).toString('hex'), this.#channelId) !== undefined
  }

  /** The authors [lower, upper) touches, in order: whole ones from their digests, cut ones as seq ranges. */
  #segments (lower: Bound, upper: UpperBound): Segment[] {
    const channelId = this.#channelId
    if (upper !== null && Buffer.compare(lower.author, upper.author) === 0) {
      return upper.seq > lower.seq ? [{ kind: 'part', author: lower.author, from: lower.seq, to: upper.seq }] : []
    }
    const segments: Segment[] = []
    const whole = (d: { author: Uint8Array; count: number; idSum: Uint8Array }): Segment =>
      ({ kind: 'whole', author: d.author, count: d.count, sum: IdSum.fromBytes(d.idSum) })
    if (lower.seq <= 1) {
      const first = this.#sql.digest.get(channelId, lower.author)
      if (first !== undefined) segments.push(whole(first))
    } else {
      segments.push({ kind: 'part', author: lower.author, from: lower.seq, to: SEQ_END })
    }
    const middle = upper === null
      ? this.#sql.digestsAfter.all(channelId, lower.author)
      : this.#sql.digestsBetween.all(channelId, lower.author, upper.author)
    this.cost += middle.length
    for (const d of middle) segments.push(whole(d))
    if (upper !== null && upper.seq > 1) segments.push({ kind: 'part', author: upper.author, from: 1, to: upper.seq })
    return segments
  }

  #entries (part: { author: Uint8Array; from: number; to: number }): { seq: number; messageId: string }[] {
    const rows = this.#sql.authorEntries.all(this.#channelId, part.author, part.from, part.to)
    this.cost += rows.length
    return rows
  }

  #count (part: { author: Uint8Array; from: number; to: number }): number {
    const count = this.#sql.authorCount.get(this.#channelId, part.author, part.from, part.to)?.count ?? 0
    this.cost += count
    return count
  }
}
