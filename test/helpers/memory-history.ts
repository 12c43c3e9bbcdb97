// An in-memory log in reconciliation order, for testing the reconciler without SQLite.
import { compareBounds, type Bound, type UpperBound } from '../../core/history/bounds.ts'
import { emptySummary, IdSum, type RangeSummary } from '../../core/history/fingerprint.ts'
import type { HistoryIndex, RangePart } from '../../core/history/history-index.ts'

export interface MemoryEntry { author: Uint8Array; seq: number; id: Uint8Array }

const order = (a: MemoryEntry, b: MemoryEntry): number => compareBounds(a, b) || Buffer.compare(a.id, b.id)
const hex = (id: Uint8Array): string => Buffer.from(id).toString('hex')

export class MemoryHistory implements HistoryIndex {
  readonly entries: MemoryEntry[] = []
  readonly #byId = new Map<string, MemoryEntry>()
  cost = 0

  constructor (entries: MemoryEntry[] = []) {
    for (const e of entries) {
      if (this.#byId.has(hex(e.id))) continue
      this.#byId.set(hex(e.id), e)
      this.entries.push(e)
    }
    this.entries.sort(order)
  }

  add (entry: MemoryEntry): boolean {
    if (this.has(entry.id)) return false
    this.#byId.set(hex(entry.id), entry)
    this.entries.splice(this.#firstAtOrAfter(entry, order), 0, entry)
    return true
  }

  has (id: Uint8Array): boolean {
    return this.#byId.has(hex(id))
  }

  #firstAtOrAfter<T> (point: T, cmp: (e: MemoryEntry, p: T) => number): number {
    let lo = 0
    let hi = this.entries.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cmp(this.entries[mid]!, point) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  #inRange (lower: Bound, upper: UpperBound): MemoryEntry[] {
    const start = this.#firstAtOrAfter(lower, compareBounds)
    const end = upper === null ? this.entries.length : this.#firstAtOrAfter(upper, compareBounds)
    const found = this.entries.slice(start, end)
    this.cost += found.length
    return found
  }

  summarize (lower: Bound, upper: UpperBound): RangeSummary {
    const summary = emptySummary()
    for (const e of this.#inRange(lower, upper)) {
      summary.count++
      summary.sum.add(e.id)
    }
    return summary
  }

  split (lower: Bound, upper: UpperBound, parts: number): RangePart[] {
    const found = this.#inRange(lower, upper)
    const out: RangePart[] = []
    const size = Math.ceil(found.length / parts)
    let i = 0
    while (i < found.length) {
      let j = Math.min(i + size, found.length)
      while (j < found.length && compareBounds(found[j]!, found[j - 1]!) === 0) j++
      const sum = new IdSum()
      for (const e of found.slice(i, j)) sum.add(e.id)
      out.push({ upper: j < found.length ? { author: found[j]!.author, seq: found[j]!.seq } : upper, summary: { count: j - i, sum } })
      i = j
    }
    if (out.length === 0) out.push({ upper, summary: emptySummary() })
    return out
  }

  ids (lower: Bound, upper: UpperBound): Uint8Array[] {
    return this.#inRange(lower, upper).map(e => e.id)
  }

  pushed (lower: Bound, upper: UpperBound, except: ReadonlySet<string>): MemoryEntry[] {
    return this.#inRange(lower, upper).filter(e => !except.has(Buffer.from(e.id).toString('hex')))
  }

  /** Up to `limit` entries after the cursor (an entry, or a bound with the empty id) and below `upper`, as the store pages a push. */
  page (after: Bound & { messageId: string }, upper: UpperBound, limit: number): MemoryEntry[] {
    const start = this.#firstAtOrAfter(after, (e, p) => compareBounds(e, p) || (hex(e.id) <= p.messageId ? -1 : 1))
    const end = upper === null ? this.entries.length : this.#firstAtOrAfter(upper, compareBounds)
    return this.entries.slice(start, Math.min(end, start + limit))
  }

  byId (id: Uint8Array): MemoryEntry | undefined {
    return this.#byId.get(hex(id))
  }
}
