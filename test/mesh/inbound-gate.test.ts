import { test } from 'node:test'
import assert from 'node:assert/strict'
import { admitConnection, admitEstablished, type Admission, type InboundConnection, type InboundLimits } from '../../core/mesh/inbound-gate.ts'
import { connectionBudget } from '../../core/mesh/connection-budget.ts'

const LIMITS: InboundLimits = { maxPending: 4, maxPendingPerSource: 2, maxInbound: 8, maxInboundPerSource: 3 }

/** `id@source:age` as pending (`?` silent, `!` spoke) or established (`=`), oldest first by `age` (opened at 100 - age). */
function conns (...specs: string[]): InboundConnection<string>[] {
  return specs.map(spec => {
    const match = /^(\w+)@([\w.:]+):(\d+)([?!=])$/.exec(spec)
    if (match === null) throw new Error(`bad spec ${spec}`)
    const [, id, source, age, state] = match
    return { id: id!, source: source!, openedAt: 100 - Number(age), established: state === '=', spoke: state !== '?' }
  })
}

test('admitConnection: admits, evicts the least promising half-open connection, or refuses', () => {
  const cases: Array<[string, InboundConnection<string>[], string, Admission<string>]> = [
    ['room everywhere', conns('a@1.1.1.1:5!'), '2.2.2.2', { kind: 'admit', evict: [] }],
    ['a source at its handshake cap gives up its own oldest', conns('a@1.1.1.1:5!', 'b@1.1.1.1:3!'), '1.1.1.1', { kind: 'admit', evict: ['a'] }],
    ['...its silent one before one that spoke', conns('a@1.1.1.1:5!', 'b@1.1.1.1:3?'), '1.1.1.1', { kind: 'admit', evict: ['b'] }],
    ['a source at its connection cap with a half-open one gives that up', conns('a@1.1.1.1:5=', 'b@1.1.1.1:4=', 'c@1.1.1.1:3!'), '1.1.1.1', { kind: 'admit', evict: ['c'] }],
    ['a source whose members fill its cap is refused', conns('a@1.1.1.1:5=', 'b@1.1.1.1:4=', 'c@1.1.1.1:3='), '1.1.1.1', { kind: 'refuse', reason: 'too many connections from this address' }],
    ['a full handshake budget evicts from the source holding the most', conns('a@1.1.1.1:9!', 'b@2.2.2.2:5!', 'c@2.2.2.2:4!', 'd@3.3.3.3:8!'), '4.4.4.4', { kind: 'admit', evict: ['b'] }],
    ['...then silent ones first', conns('a@1.1.1.1:9!', 'b@2.2.2.2:5!', 'c@3.3.3.3:1?', 'd@4.4.4.4:8!'), '5.5.5.5', { kind: 'admit', evict: ['c'] }],
    ['...then the oldest', conns('a@1.1.1.1:9?', 'b@2.2.2.2:5?', 'c@3.3.3.3:1?', 'd@4.4.4.4:8?'), '5.5.5.5', { kind: 'admit', evict: ['a'] }],
    ['a newcomer from a crowded source evicts its own, not others', conns('a@1.1.1.1:9?', 'b@2.2.2.2:5?', 'c@2.2.2.2:1?', 'd@4.4.4.4:8?'), '2.2.2.2', { kind: 'admit', evict: ['b'] }],
    ['established sessions filling the inbound cap leave nothing to evict', conns('a@1.1.1.1:9=', 'b@1.1.1.1:8=', 'c@2.2.2.2:7=', 'd@2.2.2.2:6=', 'e@3.3.3.3:5=', 'f@3.3.3.3:4=', 'g@4.4.4.4:3=', 'h@4.4.4.4:2='), '5.5.5.5', { kind: 'refuse', reason: 'too many connections' }],
    ['a half-open one makes way when the inbound cap is full', conns('a@1.1.1.1:9=', 'b@1.1.1.1:8=', 'c@2.2.2.2:7=', 'd@2.2.2.2:6=', 'e@3.3.3.3:5=', 'f@3.3.3.3:4=', 'g@4.4.4.4:3=', 'h@6.6.6.6:2?'), '5.5.5.5', { kind: 'admit', evict: ['h'] }]
  ]
  for (const [name, current, source, expected] of cases) assert.deepEqual(admitConnection(current, source, LIMITS), expected, name)
})

test('admitEstablished: members fill what the handshake budget leaves, and the most crowded source makes way', () => {
  // maxInbound 8 - maxPending 4: four established sessions at most before someone must give way.
  const cases: Array<[string, InboundConnection<string>[], string, Admission<string>]> = [
    ['room', conns('a@1.1.1.1:9=', 'n@5.5.5.5:1='), 'n', { kind: 'admit', evict: [] }],
    ['full, one source holds three: its newest goes', conns('a@1.1.1.1:9=', 'b@1.1.1.1:8=', 'c@1.1.1.1:7=', 'd@2.2.2.2:6=', 'n@5.5.5.5:1='), 'n', { kind: 'admit', evict: ['c'] }],
    ['full and evenly spread: refused', conns('a@1.1.1.1:9=', 'b@2.2.2.2:8=', 'c@3.3.3.3:7=', 'd@4.4.4.4:6=', 'n@5.5.5.5:1='), 'n', { kind: 'refuse', reason: 'too many members connected' }],
    ['full, and the newcomer\'s own source is the crowded one: refused', conns('a@1.1.1.1:9=', 'b@1.1.1.1:8=', 'c@1.1.1.1:7=', 'd@2.2.2.2:6=', 'n@1.1.1.1:1='), 'n', { kind: 'refuse', reason: 'too many members connected' }],
    ['an unknown connection is refused', conns('a@1.1.1.1:9='), 'zz', { kind: 'refuse', reason: 'unknown connection' }]
  ]
  for (const [name, current, id, expected] of cases) assert.deepEqual(admitEstablished(current, id, LIMITS), expected, name)
})

test('sixty-four idle sockets from sixty-four hosts never lock out a dialler who talks', () => {
  const limits = connectionBudget(1024).inbound
  let current: InboundConnection<string>[] = Array.from({ length: limits.maxPending }, (_, i) => ({ id: `idle${i}`, source: `10.0.0.${i}`, openedAt: i, established: false, spoke: false }))
  const admission = admitConnection(current, '192.0.2.1', limits)
  assert.deepEqual(admission, { kind: 'admit', evict: ['idle0'] })
  current = [...current.slice(1), { id: 'member', source: '192.0.2.1', openedAt: 100, established: false, spoke: true }]
  // The idle host reconnects: one of its own kind makes way, not the member's handshake.
  assert.deepEqual(admitConnection(current, '10.0.0.0', limits), { kind: 'admit', evict: ['idle1'] })
})

test('the connection budget leaves descriptors for the rest of the node and splits the others between inbound and outbound', () => {
  const cases: Array<[openFiles: number, inbound: number, pending: number, perSource: number, pendingPerSource: number, outbound: number]> = [
    [256, 96, 24, 6, 3, 96],
    [1024, 448, 64, 28, 8, 448],
    [20_000, 512, 64, 32, 8, 512],
    [Infinity, 512, 64, 32, 8, 512],
    [Number.NaN, 448, 64, 28, 8, 448]
  ]
  for (const [openFiles, inbound, pending, perSource, pendingPerSource, outbound] of cases) {
    const budget = connectionBudget(openFiles)
    assert.deepEqual(budget, { inbound: { maxInbound: inbound, maxPending: pending, maxInboundPerSource: perSource, maxPendingPerSource: pendingPerSource }, maxOutbound: outbound }, `${openFiles} open files`)
    assert.ok(budget.inbound.maxInbound + budget.maxOutbound < (openFiles > 0 ? openFiles : 1024))
  }
})
