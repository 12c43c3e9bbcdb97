import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkTimestamp, MAX_BEFORE_CREATION_MS, MAX_CLOCK_AHEAD_MS } from '../../core/history/timestamps.ts'

const now = Date.UTC(2026, 11, 1)
const created = Date.UTC(2026, 10, 1)

const table: [string, number, ReturnType<typeof checkTimestamp>][] = [
  ['now', now, { kind: 'ok' }],
  ['a month old, after the channel began', created + 1, { kind: 'ok' }],
  ['a little before creation (a creator clock ahead)', created - MAX_BEFORE_CREATION_MS, { kind: 'ok' }],
  ['1970', 0, { kind: 'refused' }],
  ['more than a day before the channel began', created - MAX_BEFORE_CREATION_MS - 1, { kind: 'refused' }],
  ['a few minutes ahead', now + MAX_CLOCK_AHEAD_MS, { kind: 'ok' }],
  ['just past the allowed clock drift', now + MAX_CLOCK_AHEAD_MS + 1, { kind: 'later', dueAt: now + 1 }],
  ['the year 2100', Date.UTC(2100, 0, 1), { kind: 'later', dueAt: Date.UTC(2100, 0, 1) - MAX_CLOCK_AHEAD_MS }]
]

for (const [what, timestamp, expected] of table) {
  test(`a message stamped ${what} is ${expected.kind}`, () => {
    assert.deepEqual(checkTimestamp(timestamp, now, created), expected)
  })
}
