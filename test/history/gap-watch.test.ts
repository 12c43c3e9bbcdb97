import { test } from 'node:test'
import assert from 'node:assert/strict'
import { GapWatch } from '../../core/history/gap-watch.ts'

const author = (n: number): { hex: string; key: Uint8Array } => ({ hex: n.toString(16).padStart(64, '0'), key: new Uint8Array(32).fill(n) })

test('a steady stream asks the store nothing; a message after a hole asks once and reports it', () => {
  const held = new Set([1, 2, 3])
  const asked: number[] = []
  const watch = new GapWatch((_, seq) => { asked.push(seq); return held.has(seq) })
  const a = author(1)
  const cases: Array<{ seq: number; follows: boolean; asks: number[] }> = [
    { seq: 4, follows: true, asks: [3] },
    { seq: 5, follows: true, asks: [] },
    { seq: 6, follows: true, asks: [] },
    { seq: 9, follows: false, asks: [8] },
    { seq: 10, follows: true, asks: [] },
    { seq: 7, follows: false, asks: [6] },
    { seq: 11, follows: true, asks: [] },
    { seq: 1, follows: true, asks: [] }
  ]
  for (const c of cases) {
    asked.length = 0
    assert.equal(watch.follows(a.hex, a.key, c.seq), c.follows, `seq ${c.seq}`)
    assert.deepEqual(asked, c.asks, `seq ${c.seq} asks`)
  }
})

test('authors are remembered up to a bound, the least recent forgotten first', () => {
  const asked: string[] = []
  const watch = new GapWatch((key, seq) => { asked.push(`${key[0]}:${seq}`); return true })
  for (let n = 1; n <= 1025; n++) watch.follows(author(n).hex, author(n).key, 2)
  asked.length = 0
  watch.follows(author(1).hex, author(1).key, 3)
  watch.follows(author(1025).hex, author(1025).key, 3)
  assert.deepEqual(asked, ['1:2'], 'the first author was forgotten, the last is still known')
})
