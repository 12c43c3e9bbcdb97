import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MessageIntake, type Accepted, type IntakeSource } from '../../core/history/message-intake.ts'
import { MAX_CLOCK_AHEAD_MS } from '../../core/history/timestamps.ts'
import { createGroupMessage } from '../../core/wire/group-message.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import type { StoredMessage } from '../../core/store/types.ts'
import { silentLogger } from '../../core/log.ts'
import { waitUntil } from '../helpers/wait.ts'
import { retainedHeap } from '../helpers/proc.ts'

const channelId = new Uint8Array(32).fill(7)
const author = generateIdentity()
const created = Date.UTC(2026, 0, 1)

function setup (opts: { now?: () => number } = {}) {
  const stored: StoredMessage[] = []
  const batches: Accepted[][] = []
  const intake = new MessageIntake({
    channelId: Buffer.from(channelId).toString('hex'),
    channelIdBytes: channelId,
    createdAtMs: created,
    authorAllowed: () => true,
    insert: (messages) => messages.map(m => {
      if (stored.some(s => s.messageId === m.messageId)) return 'known'
      stored.push(m)
      return 'stored'
    }),
    known: (id) => stored.some(s => s.messageId === id),
    onStored: (batch) => { batches.push(batch) },
    onRetryAfterDiskFull: () => {},
    log: silentLogger,
    now: opts.now
  })
  return { intake, stored, batches }
}

const source = (): IntakeSource & { paused: number; resumed: number } => {
  const s = { key: 'peer', paused: 0, resumed: 0, pause () { s.paused++ }, resume () { s.resumed++ } }
  return s
}

const text = (seq: number, timestamp: number, body = `message ${seq}`) =>
  createGroupMessage({ channelId, author, seq, timestamp, text: body })

test('a message stamped beyond the allowed clock drift waits, unasked for, until it is due', async () => {
  let now = created + 10 * 86_400_000
  const { intake, stored } = setup({ now: () => now })
  const early = text(1, now + MAX_CLOCK_AHEAD_MS + 60_000)
  intake.receive(early.raw, source(), true)
  await new Promise(resolve => setImmediate(resolve))
  assert.equal(stored.length, 0)
  assert.equal(intake.wanted(Buffer.from(early.id, 'hex')), false)
  now += 60_000
  assert.equal(intake.wanted(Buffer.from(early.id, 'hex')), true)
  intake.receive(early.raw, source(), false)
  await waitUntil(() => stored.length === 1, 2_000, 'the message once due')
})

test('a message stamped long before the channel began is refused for good', async () => {
  const { intake, stored } = setup({ now: () => created + 1000 })
  const ancient = text(1, 0)
  intake.receive(ancient.raw, source(), true)
  const fine = text(2, created + 500)
  intake.receive(fine.raw, source(), true)
  await waitUntil(() => stored.length === 1, 2_000, 'the acceptable message')
  assert.equal(stored[0]!.messageId, fine.id)
  assert.equal(intake.wanted(Buffer.from(ancient.id, 'hex')), false)
})

test('forged and malformed messages are dropped without stopping the rest', async () => {
  const { intake, stored } = setup({ now: () => created + 1000 })
  const forged = Uint8Array.from(text(1, created).raw)
  forged[forged.length - 1]! ^= 1
  intake.receive(forged, source(), true)
  intake.receive(Uint8Array.of(1, 2, 3), source(), true)
  intake.receive(text(2, created).raw, source(), true)
  await waitUntil(() => stored.length === 1, 2_000, 'the valid message')
})

test('a peer that sends faster than messages are stored is paused, and resumed once the backlog is worked off', async () => {
  const { intake, stored, batches } = setup({ now: () => created + 1000 })
  const peer = source()
  const messages = Array.from({ length: 3000 }, (_, i) => text(i + 1, created + i))
  for (const m of messages) intake.receive(m.raw, peer, false)
  assert.equal(peer.paused, 1)
  await waitUntil(() => stored.length === 3000, 30_000, 'every message stored')
  assert.equal(peer.resumed, 1)
  assert.ok(batches.every(b => b.length <= 512), 'stored in bounded batches, one transaction each')
  assert.ok(batches.length <= Math.ceil(3000 / 512) + 1, `a backlog is stored in few transactions (${batches.length})`)
})

test('a lone live message is stored in the turn it is verified, not held for a fuller batch', async () => {
  const { intake, stored } = setup({ now: () => created + 1000 })
  intake.receive(text(1, created).raw, source(), true)
  await new Promise(resolve => setImmediate(resolve))
  assert.equal(stored.length, 1)
})

test('the same message from two peers while a batch is being verified is verified and stored once', async () => {
  const { intake, stored, batches } = setup({ now: () => created + 1000 })
  const messages = Array.from({ length: 600 }, (_, i) => text(i + 1, created + i))
  for (const m of messages) intake.receive(m.raw, source(), false)
  for (const m of messages) intake.receive(m.raw, source(), true)
  await waitUntil(() => stored.length === 600 && batches.flat().length === 600, 10_000, 'every message stored')
  await new Promise(resolve => setTimeout(resolve, 20))
  assert.equal(batches.flat().length, 600, 'no copy handed over twice')
})

test('a new message is stored within a few turns even while a flood of copies keeps the queue busy', async () => {
  const { intake, stored } = setup({ now: () => created + 1000 })
  const old = text(1, created)
  intake.receive(old.raw, source(), true)
  await waitUntil(() => stored.length === 1, 2_000, 'the first message stored')
  const fresh = text(2, created + 1)
  intake.receive(fresh.raw, source(), true)
  const flooder = source()
  for (let i = 0; i < 3000; i++) intake.receive(old.raw, flooder, true)
  for (let turn = 0; turn < 6; turn++) await new Promise(resolve => setImmediate(resolve))
  assert.ok(stored.some(m => m.messageId === fresh.id), 'stored while copies are still queued')
  intake.stop()
})

test('a peer that sent messages and left is not kept by the intake', async () => {
  const { intake, stored, batches } = setup({ now: () => created + 1000 })
  const left: WeakRef<IntakeSource>[] = []
  // Each source stands for a link, which holds its session and socket.
  const visit = (i: number): void => {
    const peer = source()
    left.push(new WeakRef(peer))
    intake.receive(text(i + 1, created).raw, peer, true)
  }
  for (let i = 0; i < 20; i++) visit(i)
  await waitUntil(() => stored.length === 20, 2_000, 'every message stored')
  batches.length = 0
  await new Promise(resolve => setTimeout(resolve, 10))
  retainedHeap()
  assert.equal(left.filter(ref => ref.deref() !== undefined).length, 0, 'sources still held')
})

test('large messages pause their peer by the bytes they queue, and many peers together by the total', () => {
  const { intake } = setup({ now: () => created + 1000 })
  const big = text(1, created, 'x'.repeat(16_000)).raw
  const one = source()
  for (let i = 0; i < 300; i++) intake.receive(big, one, false)
  assert.equal(one.paused, 1, '300 messages of 16 kB from one peer')
  const many = Array.from({ length: 12 }, () => source())
  for (const peer of many) for (let i = 0; i < 200; i++) intake.receive(big, peer, false)
  assert.equal(many[0]!.paused, 0, 'a peer queueing 3 MB')
  assert.equal(many.at(-1)!.paused, 1, 'a peer queueing 3 MB once 35 MB wait from all')
  intake.stop()
})
