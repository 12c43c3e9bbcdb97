import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_MESSAGES_PER_EVENT, MAX_TEXT_PER_EVENT, receivedEvents } from '../../core/node/received-events.ts'
import type { MessageInfo } from '../../core/api/contract.ts'

const info = (seq: number, text = `m${seq}`): MessageInfo =>
  ({ messageId: seq.toString(16).padStart(64, '0'), channelId: 'a'.repeat(64), author: 'b'.repeat(64), authorName: 'bob', text, timestamp: seq, seq, own: false })

/** Each event as the seqs it carries, the first one first. */
const shape = (messages: MessageInfo[]): number[][] => receivedEvents(messages).map(e => [e.seq, ...(e.more ?? []).map(m => m.seq)])
const seqs = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i)
const infos = (count: number, text?: string): MessageInfo[] => seqs(1, count).map(s => info(s, text))

test('messages stored together become as few notifications as the bounds allow, in order', () => {
  const cases: Array<{ name: string; messages: MessageInfo[]; expected: number[][] }> = [
    { name: 'none', messages: [], expected: [] },
    { name: 'one keeps the single-message shape', messages: infos(1), expected: [[1]] },
    { name: 'a few in one', messages: infos(3), expected: [[1, 2, 3]] },
    { name: 'exactly the count bound', messages: infos(MAX_MESSAGES_PER_EVENT), expected: [seqs(1, MAX_MESSAGES_PER_EVENT)] },
    { name: 'one past the count bound', messages: infos(MAX_MESSAGES_PER_EVENT + 1), expected: [seqs(1, MAX_MESSAGES_PER_EVENT), [MAX_MESSAGES_PER_EVENT + 1]] },
    { name: 'text bound splits before the message that would pass it', messages: infos(3, 'x'.repeat(MAX_TEXT_PER_EVENT / 2)), expected: [[1, 2], [3]] },
    { name: 'a message longer than the text bound travels alone', messages: [info(1), info(2, 'x'.repeat(MAX_TEXT_PER_EVENT + 1)), info(3)], expected: [[1], [2], [3]] }
  ]
  for (const c of cases) assert.deepEqual(shape(c.messages), c.expected, c.name)
})

test('a lone message has no `more` field at all, and a group\'s first message is not repeated in it', () => {
  const [single] = receivedEvents(infos(1))
  assert.equal(single !== undefined && 'more' in single, false)
  const [group] = receivedEvents(infos(2))
  assert.deepEqual(group?.more?.map(m => m.seq), [2])
})
