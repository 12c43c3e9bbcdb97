import assert from 'node:assert/strict'
import { test } from 'node:test'
import { WorkBudget } from '../../core/history/work-budget.ts'

test('work within the burst runs at once; debt makes the next request wait until it is repaid', () => {
  let now = 0
  const budget = new WorkBudget({ perSecond: 1000, burst: 5000, now: () => now })
  budget.charge(4000)
  assert.equal(budget.waitMs(), 0)
  budget.charge(3000)
  assert.equal(budget.waitMs(), 2000)
  now = 1500
  assert.equal(budget.waitMs(), 500)
  now = 2000
  assert.equal(budget.waitMs(), 0)
})

test('idle time refills the budget no further than the burst', () => {
  let now = 0
  const budget = new WorkBudget({ perSecond: 1000, burst: 5000, now: () => now })
  now = 60_000
  budget.charge(6000)
  assert.equal(budget.waitMs(), 1000)
})
