import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { admitRecord, chooseDials, nextDueAt, yieldDelay, YIELD_MS, type DialCandidate, type RecordAdmission } from '../../core/mesh/dial-policy.ts'
import { preferCandidate, type ConnectionFacts } from '../../core/connection/replace-policy.ts'
import type { PeerSource, PeerStatus } from '../../core/mesh/peer-record.ts'

const NOW = 1_000_000

interface Rec extends DialCandidate { readonly name: string }

function rec (name: string, host: string, o: { status?: PeerStatus; failures?: number; seen?: number; origin?: PeerSource; introducer?: string } = {}): Rec {
  return { name, host, status: o.status ?? { kind: 'idle' }, failures: o.failures ?? 0, lastSeenAt: o.seen ?? NOW, origin: o.origin ?? 'tracker', introducer: o.introducer ?? null }
}

const names = (records: Rec[]): string[] => records.map(r => r.name)
const tarpits = (count: number, host: string, o: Parameters<typeof rec>[2] = {}): Rec[] => Array.from({ length: count }, (_, i) => rec(`tarpit${i}`, host, { origin: 'lan', ...o }))

test('chooseDials: the untried, then the failed, with no host taking every slot', () => {
  const cases: Array<[string, Rec[], { slots: number; maxPerHost: number }, string[]]> = [
    ['an untried address before a failed one',
      [rec('failed', 'h1', { failures: 1 }), rec('untried', 'h2')], { slots: 3, maxPerHost: 2 }, ['untried', 'failed']],
    ['fewer failures first',
      [rec('thrice', 'h1', { failures: 3 }), rec('once', 'h2', { failures: 1 })], { slots: 1, maxPerHost: 2 }, ['once']],
    ['a host offering one address before a host offering many',
      [...tarpits(5, 'tarpit-host'), rec('member', 'member-host', { origin: 'lan', seen: NOW - 5_000 })], { slots: 1, maxPerHost: 2 }, ['member']],
    ['no more than maxPerHost in flight to one host, counting dials already running',
      [rec('running', 'h1', { status: { kind: 'connecting' } }), rec('a', 'h1'), rec('b', 'h1'), rec('c', 'h2')], { slots: 8, maxPerHost: 2 }, ['c', 'a']],
    ['most recently seen first among equals',
      [rec('old', 'h1', { seen: NOW - 100 }), rec('new', 'h2', { seen: NOW })], { slots: 1, maxPerHost: 2 }, ['new']],
    ['only records that are due: idle, or backoff that has run out',
      [rec('waiting', 'h1', { status: { kind: 'backoff', until: NOW + 1 } }), rec('due', 'h2', { status: { kind: 'backoff', until: NOW } }), rec('dialling', 'h3', { status: { kind: 'connecting' } }), rec('me', 'h4', { status: { kind: 'self' } })], { slots: 8, maxPerHost: 2 }, ['due']],
    ['no free slot, no dial', [rec('a', 'h1')], { slots: 0, maxPerHost: 2 }, []]
  ]
  for (const [name, records, limits, expected] of cases) assert.deepEqual(names(chooseDials(records, NOW, limits)), expected, name)
})

test('chooseDials: 200 tarpits announced by one host leave slots for the real member', () => {
  const records = [...tarpits(200, '192.0.2.66'), rec('member', '192.0.2.10', { origin: 'lan', seen: NOW - 60_000 })]
  const chosen = names(chooseDials(records, NOW, { slots: 8, maxPerHost: 2 }))
  assert.deepEqual(chosen, ['member', 'tarpit0', 'tarpit1'])
})

test('nextDueAt is the earliest end of a backoff', () => {
  assert.equal(nextDueAt([rec('a', 'h', { status: { kind: 'backoff', until: 7 } }), rec('b', 'h', { status: { kind: 'backoff', until: 5 } }), rec('c', 'h')]), 5)
  assert.equal(nextDueAt([rec('a', 'h')]), null)
})

test('admitRecord: per host, per origin and in all, the least useful address makes way', () => {
  const limits = { max: 4, maxPerOrigin: 3, maxPerHost: 2, maxPerIntroducer: 2 }
  const cases: Array<[string, Rec[], { host: string; origin: PeerSource; introducer?: string }, RecordAdmission<string>]> = [
    ['one member\'s PEX full: its address that failed most makes way',
      [rec('m1', 'h1', { origin: 'pex', introducer: 'mallory', failures: 1 }), rec('m2', 'h2', { origin: 'pex', introducer: 'mallory', failures: 3 }), rec('o', 'h3', { origin: 'pex', introducer: 'olivia', failures: 9 })],
      { host: 'h4', origin: 'pex', introducer: 'mallory' }, { kind: 'admit', evict: ['m2'] }],
    ['one member\'s PEX full of addresses being dialled: refused, while another member\'s is taken',
      [rec('m1', 'h1', { origin: 'pex', introducer: 'mallory', status: { kind: 'connecting' } }), rec('m2', 'h2', { origin: 'pex', introducer: 'mallory', status: { kind: 'connecting' } })],
      { host: 'h4', origin: 'pex', introducer: 'mallory' }, { kind: 'refuse', reason: 'this member told us of too many addresses' }],
    ['another member\'s address is still taken',
      [rec('m1', 'h1', { origin: 'pex', introducer: 'mallory', status: { kind: 'connecting' } }), rec('m2', 'h2', { origin: 'pex', introducer: 'mallory', status: { kind: 'connecting' } })],
      { host: 'h4', origin: 'pex', introducer: 'olivia' }, { kind: 'admit', evict: [] }],
    ['room', [rec('a', 'h1')], { host: 'h2', origin: 'pex' }, { kind: 'admit', evict: [] }],
    ['a full host forgets its failed address',
      [rec('untried', 'h1'), rec('bad', 'h1', { failures: 2 })], { host: 'h1', origin: 'pex' }, { kind: 'admit', evict: ['bad'] }],
    ['a full origin forgets, among equals, the address seen longest ago',
      [rec('fresh', 'h1', { origin: 'lan' }), rec('recent', 'h2', { origin: 'lan' }), rec('stale', 'h3', { origin: 'lan', seen: NOW - 1 })], { host: 'h9', origin: 'lan' }, { kind: 'admit', evict: ['stale'] }],
    ['a full book forgets from the host with the most addresses',
      [rec('a', 'h1', { origin: 'pex' }), rec('b', 'h2', { origin: 'lan' }), rec('c', 'h2', { origin: 'tracker', seen: NOW - 1 }), rec('d', 'h3', { origin: 'dht', seen: NOW - 2 })], { host: 'h4', origin: 'stored' }, { kind: 'admit', evict: ['c'] }],
    ['records in use are never forgotten: refused',
      [rec('a', 'h1', { status: { kind: 'connecting' } }), rec('b', 'h1', { status: { kind: 'connecting' } })], { host: 'h1', origin: 'pex' }, { kind: 'refuse', reason: 'too many addresses at this host' }],
    ['the book full of dials in flight and ourselves: refused',
      [rec('a', 'h1', { status: { kind: 'connecting' } }), rec('b', 'h2', { status: { kind: 'connecting' } }), rec('c', 'h3', { status: { kind: 'connecting' } }), rec('d', 'h4', { status: { kind: 'self' } })], { host: 'h5', origin: 'pex' }, { kind: 'refuse', reason: 'the address book is full' }]
  ]
  for (const [name, records, newcomer, expected] of cases) {
    const admission = admitRecord(records, newcomer, limits)
    assert.deepEqual(admission.kind === 'admit' ? { kind: 'admit', evict: names(admission.evict) } : admission, expected, name)
  }
})

test('yieldDelay: the end whose dial the duplicate rule keeps dials at once, the other waits a jittered moment', () => {
  const low = '11'.repeat(32)
  const high = 'ee'.repeat(32)
  const cases: Array<[string, string, string, number, number]> = [
    ['our key is the lower: at once', low, high, 0.9, 0],
    ['our key is the higher: YIELD_MS, jittered down', high, low, 0, YIELD_MS / 2],
    ['our key is the higher: YIELD_MS', high, low, 0.5, YIELD_MS],
    ['our key is the higher: YIELD_MS, jittered up', high, low, 1, YIELD_MS * 1.5]
  ]
  for (const [name, ours, theirs, random, expected] of cases) assert.equal(yieldDelay(ours, theirs, () => random), expected, name)
})

test('yieldDelay agrees with the duplicate rule: whoever dials at once has the dial that is kept', () => {
  for (let i = 0; i < 50; i++) {
    const [a, b] = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex')]
    const facts = (dialledBy: 'us' | 'them', establishedAt: number): ConnectionFacts => ({ transport: 'tcp', dialledBy, establishedAt, handshakeHash: randomBytes(32) })
    // Our dial landing first, theirs a moment later: does the rule keep ours?
    const oursKept = !preferCandidate(facts('us', 1_000), facts('them', 1_010), { ours: a, theirs: b })
    assert.equal(yieldDelay(a, b) === 0, oursKept, `${a.slice(0, 8)} vs ${b.slice(0, 8)}`)
  }
})
