import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { MessageInfo } from '../../core/api/contract.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { listWithinBudget } from '../../core/node/message-pages.ts'

/** `n` messages, ids m0000… in order, each with `textBytes` of text. */
function channel (n: number, textBytes = 10): { messages: MessageInfo[]; read: (limit: number, before: string | undefined) => MessageInfo[]; reads: number[] } {
  const messages = Array.from({ length: n }, (_, i): MessageInfo => ({
    messageId: `m${String(i).padStart(4, '0')}`, channelId: 'c', author: 'a', authorName: 'ann', text: 'x'.repeat(textBytes), timestamp: i, seq: i + 1, own: false
  }))
  const reads: number[] = []
  const read = (limit: number, before: string | undefined): MessageInfo[] => {
    reads.push(limit)
    const end = before === undefined ? messages.length : messages.findIndex(m => m.messageId === before)
    return end < 0 ? [] : messages.slice(Math.max(0, end - limit), end)
  }
  return { messages, read, reads }
}

test('returns the newest `limit` messages, oldest first, however many pages that takes', () => {
  const c = channel(1300)
  assert.deepEqual(listWithinBudget(c.read, 1200, undefined), c.messages.slice(100))
  assert.deepEqual(c.reads, [500, 500, 200])
})

test('stops at the start of the channel and honours `before`', () => {
  const c = channel(700)
  assert.deepEqual(listWithinBudget(c.read, 10_000, 'm0650'), c.messages.slice(0, 650))
  assert.deepEqual(listWithinBudget(c.read, 3, 'm0002'), c.messages.slice(0, 2))
  assert.deepEqual(listWithinBudget(c.read, 3, 'unknown'), [])
})

test('refuses with RESULT_TOO_LARGE once what it read passes the budget, before reading the rest', () => {
  const c = channel(5000, 8000)
  assert.throws(() => listWithinBudget(c.read, 10_000, undefined, 1024 * 1024),
    (err: unknown) => err instanceof BitChatError && err.code === 'RESULT_TOO_LARGE' && /smaller limit/.test(err.message))
  assert.deepEqual(c.reads, [500])
})

test('a result just under the budget is returned whole', () => {
  const c = channel(100, 1000)
  const size = c.messages.reduce((sum, m) => sum + Buffer.byteLength(JSON.stringify(m)) + 1, 0)
  assert.equal(listWithinBudget(c.read, 100, undefined, size).length, 100)
  assert.throws(() => listWithinBudget(c.read, 100, undefined, size - 1), /larger than/)
})
