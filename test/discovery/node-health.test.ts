import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DhtNodeHealth } from '../../core/discovery/node-health.ts'
import { INITIAL_SLOW_AFTER_MS, MIN_SLOW_AFTER_MS } from '../../core/discovery/walk-policy.ts'
import { ManualClock } from '../helpers/manual-clock.ts'

test('a node that failed is a suspect until it answers, or for 15 minutes', () => {
  const clock = new ManualClock()
  const health = new DhtNodeHealth(clock)
  health.failed('10.0.0.1:6881')
  health.failed('10.0.0.2:6881')
  assert.equal(health.suspect('10.0.0.1:6881'), true)
  health.answered('10.0.0.1:6881', 50)
  assert.equal(health.suspect('10.0.0.1:6881'), false)
  clock.advance(15 * 60_000 - 1)
  assert.equal(health.suspect('10.0.0.2:6881'), true)
  clock.advance(1)
  assert.equal(health.suspect('10.0.0.2:6881'), false)
})

test('suspects are bounded: past 1,024 the one that failed longest ago is forgotten', () => {
  const health = new DhtNodeHealth(new ManualClock())
  for (let i = 0; i < 1_025; i++) health.failed(`10.0.${i >> 8}.${i & 255}:6881`)
  assert.equal(health.suspect('10.0.0.0:6881'), false)
  assert.equal(health.suspect('10.0.0.1:6881'), true)
  health.failed('10.0.0.1:6881') // failing again makes it the newest
  health.failed('10.9.9.9:6881')
  assert.equal(health.suspect('10.0.0.1:6881'), true)
  assert.equal(health.suspect('10.0.0.2:6881'), false)
})

test('how long answers are waited for follows the answers seen', () => {
  const health = new DhtNodeHealth(new ManualClock())
  assert.equal(health.slowAfterMs, INITIAL_SLOW_AFTER_MS)
  for (let i = 0; i < 10; i++) health.answered('10.0.0.1:6881', 2)
  assert.equal(health.slowAfterMs, MIN_SLOW_AFTER_MS)
  for (let i = 0; i < 50; i++) health.answered('10.0.0.1:6881', i % 2 === 0 ? 100 : 300)
  assert.ok(health.slowAfterMs > MIN_SLOW_AFTER_MS && health.slowAfterMs < INITIAL_SLOW_AFTER_MS, String(health.slowAfterMs))
})
