import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { MessageInfo } from '../../core/api/contract.ts'
import { BitChatError } from '../../core/api/errors.ts'
import { listWithinBudget, type PageReader } from '../../core/node/message-pages.ts'

/** `n` messages, ids m0000… in order, each with `textBytes` of text; `read` answers as the store does. */
function channel (n: number, textBytes = 10): { messages: MessageInfo[]; read: PageReader; reads: number[] } {
  const messages = Array.from({ length: n }, (_, i): MessageInfo => ({
    messageId: `m${String(i).padStart(4, '0')}`, channelId: 'c', author: 'a', authorName: 'ann', text: 'x'.repeat(textBytes), timestamp: i, seq: i + 1, own: false
  }))
  const reads: number[] = []
  const read: PageReader = (limit, at) => {
    reads.push(limit)
    const forward = at.after ?? at.from
    if (forward !== undefined) {
      const i = messages.findIndex(m => m.messageId === forward)
      if (i < 0) return []
      const start = at.after === undefined ? i : i + 1
      return messages.slice(start, start + limit)
    }
    const end = at.before === undefined ? messages.length : messages.findIndex(m => m.messageId === at.before)
    return end < 0 ? [] : messages.slice(Math.max(0, end - limit), end)
  }
  return { messages, read, reads }
}

test('returns the newest `limit` messages, oldest first, however many pages that takes', () => {
  const c = channel(1300)
  assert.deepEqual(listWithinBudget(c.read, 1200), c.messages.slice(100))
  assert.deepEqual(c.reads, [500, 500, 200])
})

test('stops at the start of the channel and honours `before`', () => {
  const c = channel(700)
  assert.deepEqual(listWithinBudget(c.read, 10_000, { before: 'm0650' }), c.messages.slice(0, 650))
  assert.deepEqual(listWithinBudget(c.read, 3, { before: 'm0002' }), c.messages.slice(0, 2))
  assert.deepEqual(listWithinBudget(c.read, 3, { before: 'unknown' }), [])
})

test('refuses with RESULT_TOO_LARGE once what it read passes the budget, before reading the rest', () => {
  const c = channel(5000, 8000)
  assert.throws(() => listWithinBudget(c.read, 10_000, {}, 1024 * 1024),
    (err: unknown) => err instanceof BitChatError && err.code === 'RESULT_TOO_LARGE' && /smaller limit/.test(err.message))
  assert.deepEqual(c.reads, [500])
})

test('a result just under the budget is returned whole', () => {
  const c = channel(100, 1000)
  const size = c.messages.reduce((sum, m) => sum + Buffer.byteLength(JSON.stringify(m)) + 1, 0)
  assert.equal(listWithinBudget(c.read, 100, {}, size).length, 100)
  assert.throws(() => listWithinBudget(c.read, 100, {}, size - 1), /larger than/)
})

test('`after` gives the oldest `limit` messages after the one named, across pages, and stops at the newest', () => {
  const c = channel(1300)
  assert.deepEqual(listWithinBudget(c.read, 600, { after: 'm0099' }), c.messages.slice(100, 700))
  assert.deepEqual(c.reads, [500, 100])
  assert.deepEqual(listWithinBudget(c.read, 10_000, { after: 'm1200' }), c.messages.slice(1201))
  assert.deepEqual(listWithinBudget(c.read, 10, { after: 'm1299' }), [])
  assert.deepEqual(listWithinBudget(c.read, 10, { after: 'unknown' }), [])
})

test('`around` gives the message with as many older as newer ones beside it', () => {
  const c = channel(1000)
  assert.deepEqual(listWithinBudget(c.read, 11, { around: 'm0500' }), c.messages.slice(495, 506))
  assert.deepEqual(listWithinBudget(c.read, 10, { around: 'm0500' }), c.messages.slice(495, 505))
  assert.deepEqual(listWithinBudget(c.read, 1, { around: 'm0500' }), c.messages.slice(500, 501))
})

test('`around` near either end gives the other side what that end could not fill', () => {
  const c = channel(1000)
  assert.deepEqual(listWithinBudget(c.read, 10, { around: 'm0002' }), c.messages.slice(0, 10))
  assert.deepEqual(listWithinBudget(c.read, 10, { around: 'm0998' }), c.messages.slice(990))
  assert.deepEqual(listWithinBudget(c.read, 2, { around: 'm0000' }), c.messages.slice(0, 2))
  const few = channel(3)
  assert.deepEqual(listWithinBudget(few.read, 100, { around: 'm0001' }), few.messages)
})

test('`around` a message not held gives none', () => {
  const c = channel(10)
  assert.deepEqual(listWithinBudget(c.read, 10, { around: 'unknown' }), [])
})

test('`around` counts both sides against one budget', () => {
  const c = channel(2000, 8000)
  assert.throws(() => listWithinBudget(c.read, 2000, { around: 'm1000' }, 1024 * 1024),
    (err: unknown) => err instanceof BitChatError && err.code === 'RESULT_TOO_LARGE')
})
