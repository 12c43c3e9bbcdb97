import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compareBounds, MIN_BOUND, type Bound, type UpperBound } from '../../core/history/bounds.ts'
import { fingerprintOf } from '../../core/history/fingerprint.ts'
import { answerRanges, openingRanges } from '../../core/history/reconciler.ts'
import type { Store } from '../../core/store/store.ts'
import type { StoredMessage } from '../../core/store/types.ts'
import { MemoryHistory } from '../helpers/memory-history.ts'
import { channel, hexId, key, message, openTempStore } from './store-fixture.ts'

const C1 = hexId(1)
const idBytes = (m: StoredMessage): Uint8Array => Buffer.from(m.messageId, 'hex')

/** A deterministic pseudo-random log: a few authors, gaps, and some conflicting versions. */
function randomLog (seed: number, size: number): StoredMessage[] {
  let x = seed
  const next = (n: number): number => { x = (x * 1103515245 + 12345) % 2 ** 31; return x % n }
  const out: StoredMessage[] = []
  for (let i = 0; i < size; i++) {
    const seq = 1 + next(size)
    out.push(message({ channelId: C1, author: key(1 + next(6)), seq }))
  }
  return out
}

function both (t: Parameters<typeof openTempStore>[0], messages: StoredMessage[]): { store: Store; memory: MemoryHistory } {
  const { store } = openTempStore(t)
  store.addChannel(channel(1))
  const outcomes = store.insertMessages(C1, messages)
  const kept = new Set(store.listMessages(C1, { limit: 100_000 }).map(m => m.messageId))
  assert.equal(outcomes.filter(o => o === 'stored' || o === 'conflict').length >= kept.size, true)
  const memory = new MemoryHistory(messages.filter(m => kept.has(m.messageId)).map(m => ({ author: m.author, seq: m.seq, id: idBytes(m) })))
  return { store, memory }
}

const bound = (a: number, seq: number): Bound => ({ author: key(a), seq })
const ranges: [Bound, UpperBound][] = [
  [MIN_BOUND, null], [bound(1, 0), bound(3, 0)], [bound(2, 17), bound(2, 90)], [bound(2, 50), bound(5, 3)],
  [bound(4, 1), null], [bound(6, 100), null], [bound(0, 0), bound(1, 1)], [bound(3, 10), bound(3, 11)]
]

test('the SQLite index summarises every range exactly as the whole log read entry by entry', t => {
  const { store, memory } = both(t, randomLog(7, 600))
  const index = store.historyIndex(C1)
  for (const [lower, upper] of ranges) {
    const a = index.summarize(lower, upper)
    const b = memory.summarize(lower, upper)
    assert.equal(a.count, b.count)
    assert.deepEqual(fingerprintOf(a), fingerprintOf(b))
    assert.deepEqual(index.ids(lower, upper), memory.ids(lower, upper))
  }
})

test('a split covers its range in order, its parts add up, and conflicting versions stay together', t => {
  const messages = randomLog(11, 800)
  // A pile of versions under one seq, and an author much larger than a part.
  messages.push(...[1, 2, 3].map(() => message({ channelId: C1, author: key(3), seq: 5 })))
  messages.push(...Array.from({ length: 400 }, (_, i) => message({ channelId: C1, author: key(9), seq: i + 1 })))
  const { store, memory } = both(t, messages)
  const index = store.historyIndex(C1)
  for (const [lower, upper] of ranges) {
    for (const parts of [2, 5, 16]) {
      const split = index.split(lower, upper, parts)
      assert.ok(split.length >= 1 && split.length <= parts)
      assert.deepEqual(split.at(-1)!.upper, upper)
      let from = lower
      let total = 0
      for (const part of split) {
        if (part.upper !== null) assert.ok(compareBounds(part.upper, from) >= 0)
        const expected = memory.summarize(from, part.upper)
        assert.equal(part.summary.count, expected.count)
        assert.deepEqual(fingerprintOf(part.summary), fingerprintOf(expected))
        total += part.summary.count
        if (part.upper !== null) from = part.upper
      }
      assert.equal(total, memory.summarize(lower, upper).count)
    }
  }
})

test('digests follow evictions of conflicting versions', t => {
  const versions = [hexId(0x40), hexId(0x10), hexId(0x30)].map(messageId => message({ channelId: C1, messageId, author: key(2), seq: 3 }))
  const { store } = openTempStore(t)
  store.addChannel(channel(1))
  store.insertMessages(C1, versions)
  const memory = new MemoryHistory([hexId(0x10), hexId(0x30)].map(id => ({ author: key(2), seq: 3, id: Buffer.from(id, 'hex') })))
  assert.deepEqual(fingerprintOf(store.historyIndex(C1).summarize(MIN_BOUND, null)), fingerprintOf(memory.summarize(MIN_BOUND, null)))
})

test('messagesInRange pages through a range in reconciliation order', t => {
  const { store, memory } = both(t, randomLog(3, 300))
  const lower = bound(2, 0)
  const upper = bound(5, 40)
  const seen: string[] = []
  let after = { ...lower, messageId: '' }
  for (;;) {
    const rows = store.messagesInRange(C1, after, upper, 7)
    if (rows.length === 0) break
    seen.push(...rows.map(r => r.messageId))
    const last = rows.at(-1)!
    after = { author: last.author, seq: last.seq, messageId: last.messageId }
  }
  assert.deepEqual(seen, memory.ids(lower, upper).map(id => Buffer.from(id).toString('hex')))
})

test('two stores reconcile to the union of their logs', t => {
  const all = randomLog(5, 1500)
  const stores = [openTempStore(t).store, openTempStore(t).store, openTempStore(t).store]
  for (const s of stores) s.addChannel(channel(1))
  const [a, b, union] = stores as [Store, Store, Store]
  a.insertMessages(C1, all.filter((_, i) => i % 3 !== 0))
  b.insertMessages(C1, all.filter((_, i) => i % 4 !== 0))
  union.insertMessages(C1, all.filter((_, i) => i % 3 !== 0 || i % 4 !== 0))
  const byId = new Map(all.map(m => [m.messageId, m]))
  let frame = openingRanges(a.historyIndex(C1))
  let [opener, answerer] = [a, b]
  for (let round = 0; round < 50; round++) {
    const answer = answerRanges(answerer.historyIndex(C1), frame, () => true)
    for (const job of answer.push) {
      const rows = answerer.messagesInRange(C1, { ...job.lower, messageId: '' }, job.upper, 100_000).filter(r => !job.except.has(r.messageId))
      opener.insertMessages(C1, rows.map(r => byId.get(r.messageId)!))
    }
    answerer.insertMessages(C1, answer.want.map(id => byId.get(Buffer.from(id).toString('hex'))!))
    if (answer.done) break
    frame = answer.reply
    ;[opener, answerer] = [answerer, opener]
  }
  const idsOf = (s: Store): string[] => s.listMessages(C1, { limit: 100_000 }).map(m => m.messageId).sort()
  assert.deepEqual(idsOf(a), idsOf(union))
  assert.deepEqual(idsOf(b), idsOf(union))
})

test('bounds at author edges and at seq 0, 1 and 2^53-1 read, split and page exactly the entries of their range', t => {
  const { store } = openTempStore(t)
  store.addChannel(channel(1))
  const MAX = 2 ** 53 - 1
  const authors = [0x00, 0x01, 0x7f, 0xff]
  const messages = authors.flatMap(a => [1, 2, 3, 3, MAX - 1, MAX].map(seq => message({ channelId: C1, author: key(a), seq })))
  store.insertMessages(C1, messages)
  const memory = new MemoryHistory(messages.map(m => ({ author: m.author, seq: m.seq, id: idBytes(m) })))
  const points: Bound[] = [MIN_BOUND, ...[...authors, 0x80].flatMap(a => [0, 1, 2, 3, 4, MAX - 1, MAX].map(seq => bound(a, seq)))].sort(compareBounds)
  const hexIds = (ids: Uint8Array[]): string[] => ids.map(id => Buffer.from(id).toString('hex'))
  const index = store.historyIndex(C1)
  for (const [i, lower] of points.entries()) {
    for (const upper of [...points.slice(i + 1), null]) {
      const what = `[${lower.author[0]}/${lower.seq}, ${upper === null ? 'end' : `${upper.author[0]}/${upper.seq}`})`
      assert.deepEqual(fingerprintOf(index.summarize(lower, upper)), fingerprintOf(memory.summarize(lower, upper)), what)
      assert.deepEqual(hexIds(index.ids(lower, upper)), hexIds(memory.ids(lower, upper)), what)
      let from = lower
      for (const part of index.split(lower, upper, 3)) {
        assert.deepEqual(fingerprintOf(part.summary), fingerprintOf(memory.summarize(from, part.upper)), `${what} split`)
        if (part.upper !== null) from = part.upper
      }
      const paged: string[] = []
      let after = { ...lower, messageId: '' }
      for (let rows = store.messagesInRange(C1, after, upper, 2); rows.length > 0; rows = store.messagesInRange(C1, after, upper, 2)) {
        paged.push(...rows.map(r => r.messageId))
        after = { author: rows.at(-1)!.author, seq: rows.at(-1)!.seq, messageId: rows.at(-1)!.messageId }
      }
      assert.deepEqual(paged, hexIds(memory.ids(lower, upper)), `${what} paged`)
    }
  }
})
