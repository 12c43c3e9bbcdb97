// A newcomer catching up from several members at once: real sync sessions on both sides, joined by
// in-memory links, counting who sent what. Each entry should cross once, from one member or another,
// and nothing may be missed when a member holds less than the others or nothing at all.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SyncSession, type SyncLink, type SyncPeers, type SyncSource, type SyncTimings } from '../../core/history/sync-session.ts'
import { decodeFrame } from '../../core/wire/messages.ts'
import { silentLogger } from '../../core/log.ts'
import { MemoryHistory, type MemoryEntry } from '../helpers/memory-history.ts'
import { prng } from '../helpers/prng.ts'
import { waitUntil } from '../helpers/wait.ts'

const TIMINGS: SyncTimings = { periodicMs: 3_600_000, triggerDelayMs: 30, exchangeTimeoutMs: 60_000 }
const UNLIMITED = { burst: 1e12, perSecond: 1e12 }
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** An entry travels as its own fields (author ‖ seq ‖ id): what a signed message carries, without the signing. */
const toRaw = (e: MemoryEntry): Uint8Array => {
  const raw = new Uint8Array(72)
  raw.set(e.author, 0)
  new DataView(raw.buffer).setFloat64(32, e.seq)
  raw.set(e.id, 40)
  return raw
}
const fromRaw = (raw: Uint8Array): MemoryEntry =>
  ({ author: raw.slice(0, 32), seq: new DataView(raw.buffer, raw.byteOffset).getFloat64(32), id: raw.slice(40, 72) })

function entries (count: number, seed: number): MemoryEntry[] {
  const random = prng(seed)
  return Array.from({ length: count }, (_, i) => ({
    author: new Uint8Array(32).fill(1 + (i % 7)),
    seq: 1 + Math.floor(i / 7),
    id: Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256))
  }))
}

function sourceOf (history: MemoryHistory): SyncSource {
  return {
    index: () => { history.cost = 0; return history },
    messagesInRange: (after, upper, limit) => history.page(after, upper, limit).map(e => ({ messageId: hex(e.id), author: e.author, seq: e.seq, raw: toRaw(e) })),
    rawMessage: (id) => { const e = history.byId(Buffer.from(id, 'hex')); return e === undefined ? undefined : toRaw(e) },
    wanted: () => true
  }
}

/** One end of an in-memory connection: frames arrive at the other end on a later turn, as over a socket. */
class Link implements SyncLink {
  bufferedBytes = 0
  closed = false
  deliver: (frame: Uint8Array) => void = () => {}
  send (frame: Uint8Array): void {
    const copy = frame.slice()
    setImmediate(() => { if (!this.closed) this.deliver(copy) })
  }
}

interface Member { name: string; history: MemoryHistory; sent: number }

/** Connects a newcomer to every member at once; returns what it ends up holding once every session is idle. */
async function catchUp (members: Member[], opts: { newcomerDials: boolean }): Promise<MemoryHistory> {
  const mine = new MemoryHistory()
  const ours = new Map<string, SyncSession>()
  const all: SyncSession[] = []
  const links: Link[] = []
  for (const member of members) {
    const toMember = new Link()
    const toNewcomer = new Link()
    const peers: SyncPeers = {
      spread: () => {
        const names = [...ours.keys()].sort()
        return { index: names.indexOf(member.name), of: names.length }
      },
      busyElsewhere: () => [...ours].some(([name, s]) => name !== member.name && s.busy)
    }
    const newcomerSide = new SyncSession({ link: toMember, source: sourceOf(mine), opener: opts.newcomerDials, log: silentLogger, timings: TIMINGS, work: UNLIMITED, peers })
    const memberSide = new SyncSession({ link: toNewcomer, source: sourceOf(member.history), opener: !opts.newcomerDials, log: silentLogger, timings: TIMINGS, work: UNLIMITED })
    ours.set(member.name, newcomerSide)
    all.push(newcomerSide, memberSide)
    links.push(toMember, toNewcomer)
    toMember.deliver = (frame) => { dispatch(decodeFrame(frame), memberSide, member.history) }
    toNewcomer.deliver = (frame) => {
      const message = decodeFrame(frame)
      if (message.type === 'history') {
        member.sent++
        newcomerSide.noteHistory()
      }
      dispatch(message, newcomerSide, mine)
    }
  }
  for (const s of all) s.start()
  const union = new Set(members.flatMap(m => m.history.entries.map(e => hex(e.id))))
  try {
    await waitUntil(() => mine.entries.length >= union.size && all.every(s => s.idle), 20_000, 'the newcomer to hold everything, every session idle')
  } finally {
    for (const s of all) s.stop()
    for (const l of links) l.closed = true
  }
  return mine
}

function dispatch (message: ReturnType<typeof decodeFrame>, session: SyncSession, history: MemoryHistory): void {
  switch (message.type) {
    case 'history': history.add(fromRaw(message.raw)); return
    case 'ranges': session.onRanges(message.ranges); return
    case 'want': session.onWant(message.ids); return
    default: throw new Error(`unexpected ${message.type}`)
  }
}

const N = 6_000
const member = (name: string, history: MemoryEntry[]): Member => ({ name, history: new MemoryHistory(history), sent: 0 })

for (const newcomerDials of [true, false]) {
  const how = newcomerDials ? 'the newcomer dials' : 'the members dial'
  test(`three members holding the same ${N} entries each send about a third of them (${how})`, async () => {
    const log = entries(N, 1)
    const members = ['a', 'b', 'c'].map(name => member(name, log))
    const got = await catchUp(members, { newcomerDials })
    assert.equal(got.entries.length, N)
    const sent = members.map(m => m.sent)
    assert.equal(sent.reduce((x, y) => x + y), N, `sent ${sent.join(' + ')}: each entry once`)
    for (const n of sent) assert.ok(n > N / 5, `sent ${sent.join(' / ')}: every member sends a share`)
  })

  test(`a member holding nothing leaves its share to a later exchange with the others, and nothing is missed (${how})`, async () => {
    const log = entries(N, 2)
    const members = [member('a', log), member('b', log), member('c', [])]
    const got = await catchUp(members, { newcomerDials })
    assert.equal(got.entries.length, N)
    assert.ok(members[0]!.sent + members[1]!.sent <= N * 1.1, `sent ${members.map(m => m.sent).join(' / ')}`)
  })

  test(`members holding different parts of the log: the newcomer ends with their union (${how})`, async () => {
    const log = entries(N, 3)
    const members = [member('a', log.slice(0, 4_000)), member('b', log.slice(2_000)), member('c', log.filter((_, i) => i % 2 === 0))]
    const got = await catchUp(members, { newcomerDials })
    assert.equal(got.entries.length, N)
  })
}

test('a single member is asked for everything in one exchange', async () => {
  const members = [member('a', entries(N, 4))]
  const got = await catchUp(members, { newcomerDials: true })
  assert.equal(got.entries.length, N)
  assert.equal(members[0]!.sent, N)
})
