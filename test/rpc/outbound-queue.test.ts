import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLogger } from '../../core/log.ts'
import { OutboundQueue, type OutboundLimits } from '../../core/rpc/outbound-queue.ts'

const LIMITS: OutboundLimits = { inFlight: 10, queuedNotifications: 20, queuedReplies: 30 }
const note = { kind: 'notification', coalesceKey: null } as const
const reply = { kind: 'reply' } as const

/** A client stream that flushes only when the test says so. */
function harness () {
  const written: string[] = []
  const pending: Array<() => void> = []
  const logs: string[] = []
  let overflowed = 0
  const queue = new OutboundQueue({
    write: (text, done) => { written.push(text); pending.push(done) },
    onOverflow: () => { overflowed++ },
    limits: LIMITS,
    log: createLogger({ write: line => { logs.push(line) } })
  })
  const flushAll = (): void => { while (pending.length > 0) pending.shift()?.() }
  return { queue, written, flushAll, logs, overflowed: () => overflowed }
}

test('writes straight through while the client reads', () => {
  const h = harness()
  for (const text of ['aaaa', 'bbbb', 'cccc', 'dddd']) {
    h.queue.send(text, note)
    h.flushAll()
  }
  assert.deepEqual(h.written, ['aaaa', 'bbbb', 'cccc', 'dddd'])
})

test('holds messages back while the client does not read, and delivers them in order when it does', () => {
  const h = harness()
  h.queue.send('n1-------', note)
  h.queue.send('r1', reply)
  h.queue.send('n2', note)
  assert.deepEqual(h.written, ['n1-------', 'r1'])
  assert.equal(h.queue.repliesWaiting, false)
  h.queue.send('r2', reply)
  assert.equal(h.queue.repliesWaiting, true)
  h.flushAll()
  assert.deepEqual(h.written, ['n1-------', 'r1', 'n2', 'r2'])
  assert.equal(h.queue.repliesWaiting, false)
})

test('past its bound, new notifications are dropped and the drop is logged once', () => {
  const h = harness()
  h.queue.send('x'.repeat(10), note)
  for (let i = 0; i < 10; i++) h.queue.send(`n${i}-------`, note)
  h.flushAll()
  assert.deepEqual(h.written, ['x'.repeat(10), 'n0-------', 'n1-------'])
  assert.equal(h.logs.filter(l => l.includes('dropping notifications')).length, 1)
  assert.equal(h.logs.filter(l => l.includes('caught up') && l.includes('dropped=8')).length, 1)
})

test('a newer snapshot of the same thing takes the place of the waiting one', () => {
  const h = harness()
  h.queue.send('x'.repeat(10), note)
  h.queue.send('A1', { kind: 'notification', coalesceKey: 'channel:a' })
  h.queue.send('m1', note)
  h.queue.send('A2', { kind: 'notification', coalesceKey: 'channel:a' })
  h.queue.send('B1', { kind: 'notification', coalesceKey: 'channel:b' })
  for (let i = 0; i < 100; i++) h.queue.send(`A${i + 3}`, { kind: 'notification', coalesceKey: 'channel:a' })
  h.flushAll()
  assert.deepEqual(h.written, ['x'.repeat(10), 'A102', 'm1', 'B1'])
})

test('replies are never dropped, and waiting on them resolves once they are written', async () => {
  const h = harness()
  h.queue.send('x'.repeat(10), note)
  for (let i = 0; i < 5; i++) h.queue.send(`reply${i}`, reply)
  let flowing = false
  const flow = h.queue.whenRepliesFlow().then(() => { flowing = true })
  await Promise.resolve()
  assert.equal(flowing, false)
  h.flushAll()
  await flow
  assert.deepEqual(h.written, ['x'.repeat(10), 'reply0', 'reply1', 'reply2', 'reply3', 'reply4'])
})

test('replies piling past their bound close that client, and nothing more is written to it', async () => {
  const h = harness()
  h.queue.send('x'.repeat(10), reply)
  for (let i = 0; i < 4; i++) h.queue.send('y'.repeat(10), reply)
  assert.equal(h.overflowed(), 1)
  await h.queue.whenRepliesFlow()
  h.queue.send('late', note)
  h.flushAll()
  assert.deepEqual(h.written, ['x'.repeat(10)])
})

test('a write that throws is logged and the queue goes on', () => {
  const logs: string[] = []
  const written: string[] = []
  const queue = new OutboundQueue({
    write: (text, done) => { if (text === 'bad') throw new Error('socket gone'); written.push(text); done() },
    onOverflow: () => {},
    limits: LIMITS,
    log: createLogger({ write: line => { logs.push(line) } })
  })
  queue.send('bad', note)
  queue.send('good', reply)
  assert.deepEqual(written, ['good'])
  assert.equal(logs.filter(l => l.includes('socket gone')).length, 1)
})
