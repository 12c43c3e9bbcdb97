// What SQLite does for the statements that run once per message sent or received. A statement that
// reads every message of the channel costs milliseconds on a log of 100,000 and makes a burst
// quadratic; the planner picks such a plan by itself when a wide covering index looks cheaper, so
// the plans are checked, not assumed.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import Database, { type BindParameters } from 'better-sqlite3'
import { channel, hexId, key, message, openTempStore } from './store-fixture.ts'
import type { Store } from '../../core/store/store.ts'

const C1 = hexId(1)

type StatementMethod = 'get' | 'all' | 'run' | 'iterate'

/** The query plan of every statement `run` makes the store execute, read on a second connection. */
function plansOf (t: TestContext, file: string, run: () => void): string[] {
  const probe = new Database(file)
  t.after(() => probe.close())
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<StatementMethod, (...args: unknown[]) => unknown>
  const ran: { source: string; args: BindParameters }[] = []
  const originals = (['get', 'all', 'run', 'iterate'] as const).map(name => {
    const original = proto[name]
    proto[name] = function (this: { source: string }, ...args: unknown[]) {
      ran.push({ source: this.source, args: args as BindParameters })
      return original.apply(this, args)
    }
    return [name, original] as const
  })
  try {
    run()
  } finally {
    for (const [name, original] of originals) proto[name] = original
  }
  return ran.flatMap(({ source, args }) =>
    probe.prepare<BindParameters, { detail: string }>(`EXPLAIN QUERY PLAN ${source}`).all(...args).map(r => r.detail))
}

/** A step that visits every message of the channel: a scan, or an index searched by the channel alone. */
const readsWholeChannel = (step: string): boolean =>
  /^SCAN messages\b/.test(step) || /^SEARCH messages USING (COVERING )?INDEX \w+ \(channel_id=\?\)$/.test(step)

function withLog (t: TestContext): { store: Store; path: string } {
  const opened = openTempStore(t)
  opened.store.addChannel(channel(1))
  opened.store.insertMessages(C1, Array.from({ length: 50 }, (_, i) => message({ channelId: C1, author: key(1 + (i % 5)), seq: 1 + Math.floor(i / 5) })))
  return opened
}

test('finding the next seq and timestamp of a message to send reads that author\'s last entry, not the channel', t => {
  const { store, path } = withLog(t)
  const plan = plansOf(t, path, () => { store.nextEntry(C1, key(1)) })
  assert.ok(plan.length > 0)
  assert.deepEqual(plan.filter(readsWholeChannel), [], plan.join(' | '))
})

test('storing a received message and checking it for a gap read only its author\'s entries', t => {
  const { store, path } = withLog(t)
  const plan = plansOf(t, path, () => {
    store.insertMessages(C1, [message({ channelId: C1, author: key(2), seq: 40 })])
    store.hasEntry(C1, key(2), 39)
    store.hasMessage(hexId(9))
  })
  assert.deepEqual(plan.filter(readsWholeChannel), [], plan.join(' | '))
})
