import assert from 'node:assert/strict'
import { test } from 'node:test'
import { throttled } from '../core/timers.ts'

test('a throttled call runs at once, calls during the wait run once at its end, and nothing runs after cancel', t => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  let runs = 0
  const update = throttled(() => { runs++ }, 250)
  update.call()
  assert.equal(runs, 1)
  for (let i = 0; i < 10; i++) update.call()
  assert.equal(runs, 1)
  t.mock.timers.tick(250)
  assert.equal(runs, 2)
  t.mock.timers.tick(250)
  assert.equal(runs, 2, 'a quiet wait runs nothing')
  update.call()
  assert.equal(runs, 3)
  update.call()
  update.cancel()
  t.mock.timers.tick(1_000)
  assert.equal(runs, 3)
})
