// Reconciliation with one peer, driven frame by frame as a hostile peer would: what it makes us
// read, look up and send is charged to its work budget, and what we hold for it stays bounded.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { SyncSession, type SyncLink, type SyncSource, type SyncTimings, type WorkLimits, ID_LOOKUP_COST } from '../../core/history/sync-session.ts'
import type { WireRange } from '../../core/history/reconciler.ts'
import { decodeFrame, type WireMessage } from '../../core/wire/messages.ts'
import { silentLogger } from '../../core/log.ts'
import { MemoryHistory, type MemoryEntry } from '../helpers/memory-history.ts'
import { MIB, retainedHeap } from '../helpers/proc.ts'

const RAW = new Uint8Array(200).fill(1)
const QUIET: SyncTimings = { periodicMs: 3_600_000, triggerDelayMs: 3_600_000, exchangeTimeoutMs: 60_000 }
const WORK: WorkLimits = { burst: 100_000, perSecond: 10_000 }

const hex = (id: Uint8Array): string => Buffer.from(id).toString('hex')

function log (size: number, authors = 10): MemoryHistory {
  const entries: MemoryEntry[] = []
  for (let i = 0; i < size; i++) {
    entries.push({ author: new Uint8Array(32).fill(1 + (i % authors)), seq: 1 + Math.floor(i / authors), id: new Uint8Array(randomBytes(32)) })
  }
  return new MemoryHistory(entries)
}

/** Our side's log as a sync session reads it, counting what the peer made us read and look up. */
class CountingSource implements SyncSource {
  readonly history: MemoryHistory
  rowsRead = 0
  lookups = 0
  constructor (history: MemoryHistory) { this.history = history }
  index (): MemoryHistory {
    this.history.cost = 0
    return this.history
  }

  messagesInRange (...args: Parameters<SyncSource['messagesInRange']>): ReturnType<SyncSource['messagesInRange']> {
    const rows = this.history.page(...args)
    this.rowsRead += rows.length
    return rows.map(e => ({ messageId: hex(e.id), author: e.author, seq: e.seq, raw: RAW }))
  }

  rawMessage (id: string): Uint8Array | undefined {
    this.lookups++
    return this.history.byId(Buffer.from(id, 'hex')) === undefined ? undefined : RAW
  }

  wanted (): boolean { return true }
}

/** A peer that reads everything at once (nothing stays unsent) unless told to stop reading. */
class RecordingLink implements SyncLink {
  readonly sent: WireMessage[] = []
  bufferedBytes = 0
  closed = false
  send (frame: Uint8Array): void { this.sent.push(decodeFrame(frame)) }
  count (type: WireMessage['type']): number { return this.sent.filter(m => m.type === type).length }
}

function session (source: SyncSource, link: SyncLink, now: () => number): SyncSession {
  return new SyncSession({ link, source, opener: false, log: silentLogger, timings: QUIET, now, work: WORK })
}

const everything = (mode: WireRange['mode']): WireRange[] => [{ upper: null, mode }]

test('ids a peer lists in RANGES are charged: a flood of IDS frames is answered only while its budget lasts', async () => {
  const source = new CountingSource(log(2_000))
  const link = new RecordingLink()
  const sync = session(source, link, () => 0)
  const held = source.history.entries.slice(0, 1024).map(e => e.id)
  for (let i = 0; i < 200; i++) {
    sync.onRanges(everything({ kind: 'ids', ids: held }))
    await new Promise(resolve => setTimeout(resolve, 0))
  }
  const answered = link.count('ranges')
  assert.ok(answered <= Math.ceil(WORK.burst / (1024 * ID_LOOKUP_COST)) + 1, `${answered} IDS frames of 1,024 ids answered on a budget of ${WORK.burst}`)
  sync.stop()
})

test('a WANT flood is charged: ids are looked up only while the peer\'s budget lasts', () => {
  const source = new CountingSource(log(100))
  const sync = session(source, new RecordingLink(), () => 0)
  for (let i = 0; i < 200; i++) sync.onWant(Array.from({ length: 1024 }, () => new Uint8Array(randomBytes(32))))
  assert.ok(source.lookups * ID_LOOKUP_COST <= WORK.burst + 64 * ID_LOOKUP_COST, `${source.lookups} ids looked up on a budget of ${WORK.burst}`)
  sync.stop()
})

test('a peer asking for the whole log again and again is charged for every entry we read to send it', async () => {
  const source = new CountingSource(log(5_000))
  const link = new RecordingLink()
  let now = 0
  const sync = session(source, link, () => now)
  for (let i = 0; i < 100; i++) {
    sync.onRanges(everything({ kind: 'ids', ids: [] }))
    await new Promise(resolve => setTimeout(resolve, 0))
  }
  assert.ok(source.rowsRead <= WORK.burst + 2 * 5_000, `${source.rowsRead} entries read to send on a budget of ${WORK.burst}`)
  now += 1_000
  sync.pump()
  assert.ok(source.rowsRead <= WORK.burst + WORK.perSecond + 2 * 5_000, `${source.rowsRead} entries read a second later`)
  sync.stop()
})

test('ranges owed to a peer that stopped reading hold a bounded number of its ids', async () => {
  const link = new RecordingLink()
  link.bufferedBytes = Number.POSITIVE_INFINITY
  const sync = new SyncSession({ link, source: new CountingSource(log(100)), opener: false, log: silentLogger, timings: QUIET, work: { burst: 1e12, perSecond: 1e12 } })
  const before = retainedHeap()
  // Each IDS range asks us to send the whole range except 1,024 ids, which we keep until it is sent.
  for (let i = 0; i < 600; i++) sync.onRanges(everything({ kind: 'ids', ids: Array.from({ length: 1024 }, () => new Uint8Array(randomBytes(32))) }))
  link.sent.length = 0
  // Garbage made in this turn of the event loop is collected only after it.
  await new Promise(resolve => setTimeout(resolve, 10))
  const kept = retainedHeap() - before
  assert.ok(kept < 8 * MIB, `${(kept / MIB).toFixed(1)} MiB kept for one peer`)
  sync.stop()
})

const PACED: SyncTimings = { periodicMs: 30_000, triggerDelayMs: 1_000, exchangeTimeoutMs: 60_000 }

test('no exchange is opened with a peer while its history keeps arriving: it would ask again for what is on its way', t => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  let now = 0
  const link = new RecordingLink()
  const sync = new SyncSession({ link, source: new CountingSource(log(100)), opener: false, log: silentLogger, timings: PACED, now: () => now })
  sync.trigger()
  for (let i = 0; i < 20; i++) {
    now += 250
    sync.noteHistory()
    t.mock.timers.tick(250)
  }
  assert.equal(link.count('ranges'), 0, 'opened an exchange while history was arriving')
  now += 2_000
  t.mock.timers.tick(2_000)
  assert.equal(link.count('ranges'), 1, 'the exchange once the history stopped')
  sync.stop()
})

test('no exchange is opened with a peer while entries it asked for are still to be sent to it', t => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  let now = 0
  const link = new RecordingLink()
  const source = new CountingSource(log(1_000))
  const sync = new SyncSession({ link, source, opener: true, log: silentLogger, timings: PACED, now: () => now })
  sync.start()
  assert.equal(link.count('ranges'), 1)
  // The peer holds nothing, and reads slowly: the whole log is owed to it for a while.
  link.bufferedBytes = Number.POSITIVE_INFINITY
  sync.onRanges(everything({ kind: 'ids', ids: [] }))
  const frames = link.count('ranges')
  now += 31_000
  t.mock.timers.tick(31_000)
  sync.trigger()
  now += 2_000
  t.mock.timers.tick(2_000)
  assert.equal(link.count('ranges'), frames, 'opened an exchange with sends still owed')
  link.bufferedBytes = 0
  sync.pump()
  assert.equal(link.count('history'), 1_000)
  now += 2_000
  t.mock.timers.tick(2_000)
  assert.equal(link.count('ranges'), frames + 1, 'the exchange once everything owed was sent')
  sync.stop()
})

test('one RANGES frame of a peer is answered per turn of the event loop, so a burst of them never blocks the node for long', async () => {
  const source = new CountingSource(log(2_000))
  const link = new RecordingLink()
  const sync = session(source, link, () => 0)
  const differing = everything({ kind: 'fingerprint', count: 1, fingerprint: new Uint8Array(16) })
  sync.onRanges(differing)
  sync.onRanges(differing)
  assert.equal(link.count('ranges'), 1)
  await new Promise(resolve => setTimeout(resolve, 5))
  assert.equal(link.count('ranges'), 2)
  sync.stop()
})
