import { test } from 'node:test'
import assert from 'node:assert/strict'
import { INITIAL_SLOW_AFTER_MS, MIN_SLOW_AFTER_MS, slowAfterMs, updateRtt, walkStep, type WalkLimits, type WalkNode, type WalkState } from '../../core/discovery/walk-policy.ts'

const NOW = 1_000_000
const SLOW = 300

interface Node extends WalkNode { readonly name: string }

/** A node at distance `d` (one byte is enough to order them), null for a router. */
function node (name: string, d: number | null, state: WalkState = 'new', o: { askedAt?: number; suspect?: boolean } = {}): Node {
  return { name, distance: d === null ? null : Uint8Array.of(d), state, askedAt: o.askedAt ?? 0, suspect: o.suspect ?? false }
}

const limits = (o: Partial<WalkLimits> = {}): WalkLimits => ({ k: 3, parallel: 2, slowAfterMs: SLOW, budget: 64, ...o })
const names = (nodes: Node[]): string[] => nodes.map(n => n.name)
const young = { askedAt: NOW - 10 }
const old = { askedAt: NOW - SLOW }

test('walkStep: whom to ask, and whether the walk has settled', () => {
  const cases: Array<[string, Node[], WalkLimits, { ask: string[]; settled: boolean; closest: string[] }]> = [
    ['a fresh walk asks the closest, as many as may be waited for',
      [node('far', 9), node('near', 1), node('mid', 5)], limits(), { ask: ['near', 'mid'], settled: false, closest: [] }],
    ['k closest answered and nothing closer left: settled on them',
      [node('a', 1, 'answered'), node('b', 2, 'answered'), node('c', 3, 'answered'), node('far', 9)], limits(), { ask: [], settled: true, closest: ['a', 'b', 'c'] }],
    ['a young query closer than the k answered is waited for',
      [node('slowpoke', 0, 'asked', young), node('a', 1, 'answered'), node('b', 2, 'answered'), node('c', 3, 'answered')], limits(), { ask: [], settled: false, closest: ['a', 'b', 'c'] }],
    ['a query older than slowAfterMs is no longer waited for',
      [node('dead', 0, 'asked', old), node('a', 1, 'answered'), node('b', 2, 'answered'), node('c', 3, 'answered')], limits(), { ask: [], settled: true, closest: ['a', 'b', 'c'] }],
    ['a slow node frees its place: the next one out is asked',
      [node('dead', 0, 'asked', old), node('a', 1, 'answered'), node('b', 2, 'answered'), node('next', 4)], limits(), { ask: ['next'], settled: false, closest: ['a', 'b'] }],
    ['a failed node is passed over',
      [node('gone', 0, 'failed'), node('a', 1, 'answered'), node('b', 2, 'answered'), node('c', 3, 'answered')], limits(), { ask: [], settled: true, closest: ['a', 'b', 'c'] }],
    ['a suspect is asked but never waited for, and takes no parallel slot',
      [node('suspect', 0, 'new', { suspect: true }), node('a', 1), node('b', 2), node('c', 3)], limits(), { ask: ['suspect', 'a', 'b'], settled: false, closest: [] }],
    ['a suspect asked a moment ago does not hold the walk back',
      [node('suspect', 0, 'asked', { askedAt: NOW, suspect: true }), node('a', 1, 'answered'), node('b', 2, 'answered'), node('c', 3, 'answered')], limits(), { ask: [], settled: true, closest: ['a', 'b', 'c'] }],
    ['young queries outside the window count against parallel',
      [node('n', 1), node('a', 5, 'asked', young), node('b', 6, 'asked', young)], limits({ k: 1 }), { ask: [], settled: false, closest: [] }],
    ['with the budget spent, what is left unasked does not hold the walk back',
      [node('unasked', 0), node('a', 1, 'answered')], limits({ budget: 0 }), { ask: [], settled: true, closest: ['a'] }],
    ['routers (no id yet) are asked first',
      [node('near', 1), node('router', null)], limits({ parallel: 1 }), { ask: ['router'], settled: false, closest: [] }],
    ['fewer than k nodes, all answered: settled on those',
      [node('a', 1, 'answered')], limits(), { ask: [], settled: true, closest: ['a'] }],
    ['nobody at all: settled on nobody',
      [], limits(), { ask: [], settled: true, closest: [] }]
  ]
  for (const [name, nodes, l, expected] of cases) {
    const step = walkStep(nodes, NOW, l)
    assert.deepEqual({ ask: names(step.ask), settled: step.settled, closest: names(step.closest) }, expected, name)
  }
})

test('walkStep: the next look is due when the oldest query waited for turns slow', () => {
  assert.equal(walkStep([node('a', 1, 'asked', { askedAt: NOW - 100 }), node('b', 2, 'asked', { askedAt: NOW - 50 })], NOW, limits()).nextCheckAt, NOW - 100 + SLOW)
  assert.equal(walkStep([node('a', 1)], NOW, limits()).nextCheckAt, NOW + SLOW)
  assert.equal(walkStep([node('a', 1, 'answered')], NOW, limits()).nextCheckAt, null)
})

test('slowAfterMs: TCP\'s retransmission timeout of the answers seen, within bounds', () => {
  const cases: Array<[string, Parameters<typeof slowAfterMs>[0], number]> = [
    ['no answer timed yet', null, INITIAL_SLOW_AFTER_MS],
    ['loopback answers: the floor', { srtt: 1, rttvar: 0.5 }, MIN_SLOW_AFTER_MS],
    ['internet answers: srtt + 4·rttvar', { srtt: 150, rttvar: 60 }, 390],
    ['very slow answers: the ceiling', { srtt: 900, rttvar: 300 }, INITIAL_SLOW_AFTER_MS]
  ]
  for (const [name, estimate, expected] of cases) assert.equal(slowAfterMs(estimate), expected, name)
})

test('updateRtt: the first answer sets the estimate, later ones move it by RFC 6298\'s gains', () => {
  const first = updateRtt(null, 100)
  assert.deepEqual(first, { srtt: 100, rttvar: 50 })
  assert.deepEqual(updateRtt(first, 20), { srtt: 90, rttvar: 57.5 })
})
