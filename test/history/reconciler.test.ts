import assert from 'node:assert/strict'
import { test } from 'node:test'
import { answerRanges, openingRanges, SPREAD_MIN, type ReconcilePolicy, type WireRange } from '../../core/history/reconciler.ts'
import { fingerprintOf } from '../../core/history/fingerprint.ts'
import { MemoryHistory, type MemoryEntry } from '../helpers/memory-history.ts'
import { loadSodium } from '../../core/crypto/sodium.ts'

// libsodium's WebAssembly build: an independent reference for what core computes natively.
const sodium = await loadSodium()

const author = (n: number): Uint8Array => new Uint8Array(32).fill(n)
const entry = (a: number, seq: number, version = 0): MemoryEntry =>
  ({ author: author(a), seq, id: sodium.crypto_generichash(32, Uint8Array.of(a, version, ...new Uint8Array(new Float64Array([seq]).buffer)), null) })
const log = (authors: number[], seqs: Iterable<number>): MemoryEntry[] => authors.flatMap(a => [...seqs].map(s => entry(a, s)))
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/**
 * Runs one exchange to its end, delivering each side's pushes and wants either before its next
 * frame arrives (`pushesFirst`) or after it (pushes are paced by flow control, frames are not).
 */
function reconcile (a: MemoryHistory, b: MemoryHistory, opts: { policy?: ReconcilePolicy; pushesFirst?: boolean } = {}): { frames: number } {
  let frames = 1
  let frame: WireRange[] = openingRanges(a)
  let [from, to] = [a, b]
  const late: (() => void)[] = []
  for (;;) {
    const answer = answerRanges(to, frame, () => true, opts.policy)
    const [sender, receiver] = [from, to]
    const deliver = (): void => {
      for (const job of answer.push) for (const e of receiver.pushed(job.lower, job.upper, job.except)) sender.add(e)
      for (const id of answer.want) { const e = sender.byId(id); if (e !== undefined) receiver.add(e) }
    }
    if (opts.pushesFirst === false) late.push(deliver)
    else deliver()
    if (answer.done) break
    frame = answer.reply
    frames++
    assert.ok(frames < 200, 'the exchange must end')
    ;[from, to] = [to, from]
  }
  for (const d of late) d()
  return { frames }
}

const ids = (h: MemoryHistory): string[] => h.entries.map(e => Buffer.from(e.id).toString('hex')).sort()

const cases: { name: string; a: MemoryEntry[]; b: MemoryEntry[] }[] = [
  { name: 'both empty', a: [], b: [] },
  { name: 'identical logs', a: log([1, 2, 3], range(1, 300)), b: log([1, 2, 3], range(1, 300)) },
  { name: 'one side empty', a: log([1, 2], range(1, 500)), b: [] },
  { name: 'other side empty', a: [], b: log([1, 2], range(1, 500)) },
  { name: 'a hole in the middle (backlog while live messages moved the head)', a: log([7], range(1, 2000)), b: log([7], [...range(1, 500), ...range(1504, 2000)]) },
  { name: 'holes on both sides', a: log([1], range(1, 1000).filter(s => s % 3 !== 0)), b: log([1], range(1, 1000).filter(s => s % 5 !== 0)) },
  { name: 'disjoint authors', a: log([1, 3, 5], range(1, 100)), b: log([2, 4, 6], range(1, 100)) },
  { name: 'a huge sequence number does not hide lower ones', a: [...log([9], range(1, 50)), entry(9, 2 ** 53 - 1)], b: [entry(9, 2 ** 53 - 1)] },
  { name: 'two versions under one (author, seq), one at each side', a: [...log([4], range(1, 40)), entry(4, 20, 1)].filter(e => !(e.seq === 20 && e.id === entry(4, 20).id)), b: log([4], range(1, 40)) },
  { name: 'many small authors, a few entries differ', a: log(range(1, 200), range(1, 5)), b: log(range(1, 200), range(1, 5)).filter((_, i) => i % 97 !== 0) }
]

for (const c of cases) {
  for (const pushesFirst of [true, false]) {
    test(`reconciliation converges: ${c.name}${pushesFirst ? '' : ' (entries arrive after the frames)'}`, () => {
      const a = new MemoryHistory(c.a)
      const b = new MemoryHistory(c.b)
      const union = new MemoryHistory([...c.a, ...c.b])
      reconcile(a, b, { pushesFirst })
      assert.deepEqual(ids(a), ids(union))
      assert.deepEqual(ids(b), ids(union))
    })
  }
}

test('conflicting versions of one entry are both kept at both sides', () => {
  const a = new MemoryHistory([entry(4, 20, 0)])
  const b = new MemoryHistory([entry(4, 20, 1)])
  reconcile(a, b)
  assert.equal(a.entries.length, 2)
  assert.equal(b.entries.length, 2)
})

test('identical logs settle in one frame and its answer', () => {
  const a = new MemoryHistory(log([1, 2], range(1, 1000)))
  const b = new MemoryHistory(log([1, 2], range(1, 1000)))
  assert.equal(reconcile(a, b).frames, 1)
})

test('a single missing entry among 100,000 is found in a few round trips', () => {
  const all = log([1, 2, 3, 4], range(1, 25_000))
  const a = new MemoryHistory(all)
  const b = new MemoryHistory(all.filter((_, i) => i !== 54_321))
  const { frames } = reconcile(a, b)
  assert.equal(b.entries.length, all.length)
  assert.ok(frames <= 10, `took ${frames} frames`)
})

test('replies stay within the frame limits even when every range differs', () => {
  const policy: ReconcilePolicy = { idsThreshold: 8, splitParts: 4, maxRanges: 24, maxIds: 40 }
  const a = new MemoryHistory(log(range(1, 60), range(1, 30)))
  const b = new MemoryHistory(log(range(1, 60), range(1, 30)).filter((_, i) => i % 7 !== 0))
  let frame = openingRanges(a)
  let [from, to] = [a, b]
  for (let n = 0; n < 400; n++) {
    const answer = answerRanges(to, frame, () => true, policy)
    assert.ok(answer.reply.length <= policy.maxRanges, `${answer.reply.length} ranges`)
    const idCount = answer.reply.reduce((s, r) => s + (r.mode.kind === 'ids' ? r.mode.ids.length : 0), 0)
    assert.ok(idCount <= policy.maxIds, `${idCount} ids`)
    for (const job of answer.push) for (const e of to.pushed(job.lower, job.upper, job.except)) from.add(e)
    for (const id of answer.want) { const e = from.byId(id); if (e !== undefined) to.add(e) }
    if (answer.done) break
    frame = answer.reply
    ;[from, to] = [to, from]
  }
  assert.deepEqual(ids(a), ids(b))
})

test('a settled range after a full reply still leaves room for the closing fingerprint', () => {
  const policy: ReconcilePolicy = { idsThreshold: 32, splitParts: 16, maxRanges: 4, maxIds: 1024 }
  const a = new MemoryHistory(log([1, 2, 3, 4, 5], range(1, 10)))
  const b = new MemoryHistory(log([1, 2, 3, 4, 5], range(1, 10)).filter(e => e.author[0] === 4 || e.seq !== 5))
  // One range per author: three differ (answered with ids), the fourth is equal, the fifth differs again.
  const frame: WireRange[] = [1, 2, 3, 4, 5].map(n => {
    const lower = { author: author(n), seq: 0 }
    const upper = n === 5 ? null : { author: author(n + 1), seq: 0 }
    const summary = a.summarize(lower, upper)
    return { upper, mode: { kind: 'fingerprint', count: summary.count, fingerprint: fingerprintOf(summary) } }
  })
  const answer = answerRanges(b, frame, () => true, policy)
  assert.ok(answer.reply.length <= policy.maxRanges, `${answer.reply.length} ranges`)
  assert.equal(answer.done, false)
})

test('a large log asked for from nothing is split into parts first, so they can be fetched from several members', () => {
  const holder = new MemoryHistory(log([1, 2], range(1, SPREAD_MIN)))
  const newcomer = new MemoryHistory()
  const split = answerRanges(holder, openingRanges(newcomer), () => true)
  assert.equal(split.push.length, 0)
  assert.equal(split.reply.length, 16)
  // The newcomer's first of three members: parts 0, 3, …, 15; the rest (merged skips) left to the others.
  const share = answerRanges(newcomer, split.reply, () => true, undefined, { index: 0, of: 3 })
  assert.equal(share.leftToOthers, true)
  assert.deepEqual(share.reply.map(r => r.mode.kind), ['ids', 'skip', 'ids', 'skip', 'ids', 'skip', 'ids', 'skip', 'ids', 'skip', 'ids'])
  // Alone, it asks for every part.
  const alone = answerRanges(newcomer, split.reply, () => true)
  assert.equal(alone.leftToOthers, false)
  assert.equal(alone.reply.filter(r => r.mode.kind === 'ids').length, 16)
})

test('holding nothing of a large log opened by a member, a newcomer with other members answers with its fingerprint so the log is split', () => {
  const holder = new MemoryHistory(log([1, 2], range(1, SPREAD_MIN)))
  const newcomer = new MemoryHistory()
  const echo = answerRanges(newcomer, openingRanges(holder), () => true, undefined, { index: 1, of: 2 })
  assert.deepEqual(echo.reply.map(r => r.mode.kind === 'fingerprint' && r.mode.count), [0])
  assert.equal(answerRanges(holder, echo.reply, () => true).reply.length, 16)
  // With nobody else to fetch from, it lists what it holds (nothing) and the whole log comes at once.
  const alone = answerRanges(newcomer, openingRanges(holder), () => true)
  assert.deepEqual(alone.reply.map(r => r.mode.kind), ['ids'])
})

test('ids the caller does not want are not asked for', () => {
  const refused = entry(1, 2)
  const a = new MemoryHistory([entry(1, 1), refused])
  const b = new MemoryHistory([entry(1, 1)])
  const answer = answerRanges(a, answerRanges(b, openingRanges(a), () => true).reply, (id) => Buffer.compare(id, refused.id) !== 0)
  assert.deepEqual(answer.want, [])
})
