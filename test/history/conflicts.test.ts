import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decideVersion, MAX_VERSIONS_PER_SEQ } from '../../core/history/conflicts.ts'

test('two versions are kept per (author, seq)', () => {
  assert.equal(MAX_VERSIONS_PER_SEQ, 2)
})

const table: { held: string[]; id: string; expected: ReturnType<typeof decideVersion> }[] = [
  { held: [], id: 'bb', expected: { kind: 'first' } },
  { held: ['bb'], id: 'aa', expected: { kind: 'conflict', evict: null } },
  { held: ['bb'], id: 'cc', expected: { kind: 'conflict', evict: null } },
  { held: ['bb', 'dd'], id: 'cc', expected: { kind: 'conflict', evict: 'dd' } },
  { held: ['dd', 'bb'], id: 'aa', expected: { kind: 'conflict', evict: 'dd' } },
  { held: ['bb', 'dd'], id: 'ee', expected: { kind: 'refused' } }
]

for (const row of table) {
  test(`held [${row.held.join(', ')}] + ${row.id} → ${row.expected.kind}`, () => {
    assert.deepEqual(decideVersion(row.held, row.id), row.expected)
  })
}

test('every arrival order of four versions leaves the same two', () => {
  const versions = ['40', '10', '30', '20']
  const orders = (xs: string[]): string[][] => xs.length <= 1 ? [xs] : xs.flatMap((x, i) => orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map(rest => [x, ...rest]))
  for (const order of orders(versions)) {
    let held: string[] = []
    for (const id of order) {
      const d = decideVersion(held, id)
      if (d.kind === 'refused') continue
      held = [...held.filter(h => d.kind !== 'conflict' || h !== d.evict), id]
    }
    assert.deepEqual(held.sort(), ['10', '20'], `order ${order.join(',')}`)
  }
})
