import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChunkScheduler, INITIAL_REQUESTS, requestLimit, type Assignment } from '../../core/transfer/chunk-scheduler.ts'
import { prng as seededRandom } from '../helpers/prng.ts'
import { MAX_CHUNKS, MAX_REQUESTS_PER_PEER } from '../../core/transfer/protocol-limits.ts'

/** A bitfield from a string of 0s and 1s, chunk 0 first. */
function bits (s: string): Uint8Array {
  const out = new Uint8Array(Math.ceil(s.length / 8))
  for (let i = 0; i < s.length; i++) if (s[i] === '1') out[i >> 3]! |= 0x80 >> (i & 7)
  return out
}

function scheduler (chunkCount: number, options: { held?: string; seed?: number; maxStrikes?: number; endgameSources?: number } = {}): ChunkScheduler {
  return new ChunkScheduler({
    chunkCount,
    random: seededRandom(options.seed ?? 1),
    ...(options.held === undefined ? {} : { held: bits(options.held) }),
    ...(options.maxStrikes === undefined ? {} : { maxStrikes: options.maxStrikes }),
    ...(options.endgameSources === undefined ? {} : { endgameSources: options.endgameSources })
  })
}

const indices = (as: Assignment[], peer?: string): number[] => as.filter(a => peer === undefined || a.peer === peer).map(a => a.index).sort((x, y) => x - y)

test('rarest first: a table of bitfields and the first chunk each peer is asked for', () => {
  const cases: Array<{ what: string; chunks: number; peers: Record<string, string>; expect: Record<string, number[]> }> = [
    { what: 'a chunk only one peer holds goes first', chunks: 4, peers: { a: '1111', b: '1101' }, expect: { a: [2], b: [0, 1, 3] } },
    { what: 'each peer takes the chunk rarest among those it holds', chunks: 4, peers: { a: '1100', b: '0111', c: '0011' }, expect: { a: [0], b: [1, 2, 3], c: [2, 3] } },
    { what: 'a chunk nobody holds is asked of nobody', chunks: 3, peers: { a: '110' }, expect: { a: [0, 1] } },
    { what: 'a peer holding nothing is asked nothing', chunks: 2, peers: { a: '00', b: '10' }, expect: { a: [], b: [0] } }
  ]
  for (const c of cases) {
    const s = scheduler(c.chunks)
    for (const [peer, field] of Object.entries(c.peers)) s.addPeer(peer, bits(field), 1)
    const first = s.next()
    for (const [peer, expected] of Object.entries(c.expect)) {
      // One number: that chunk; several: one of them (equally rare, picked at random).
      if (expected.length <= 1) assert.deepEqual(indices(first, peer), expected, `${c.what}: ${peer}`)
      else assert.ok(expected.includes(indices(first, peer)[0]!), `${c.what}: ${peer} got ${indices(first, peer).join()}`)
    }
  }
})

test('at most a peer\'s limit is outstanding with it, and a chunk is asked of one peer before the end game', () => {
  const s = scheduler(20)
  s.addPeer('a', bits('1'.repeat(20)), 3)
  s.addPeer('b', bits('1'.repeat(20)), 2)
  const first = s.next()
  assert.equal(indices(first, 'a').length, 3)
  assert.equal(indices(first, 'b').length, 2)
  assert.equal(new Set(indices(first)).size, 5)
  assert.deepEqual(s.next(), [])
  s.setLimit('b', 4)
  assert.equal(s.next().length, 2)
})

test('equally rare chunks are taken in a random order, the same for the same seed', () => {
  const order = (seed: number): number[] => {
    const s = scheduler(64, { seed })
    s.addPeer('a', bits('1'.repeat(64)), 64)
    return s.next().map(a => a.index)
  }
  assert.deepEqual(order(7), order(7))
  assert.notDeepEqual(order(7), order(8))
  assert.notDeepEqual(order(7), [...Array(64).keys()])
  assert.deepEqual([...order(7)].sort((x, y) => x - y), [...Array(64).keys()])
})

test('a resumed download asks only for what it does not hold', () => {
  const s = scheduler(6, { held: '110101' })
  s.addPeer('a', bits('111111'), 10)
  assert.deepEqual(indices(s.next()), [2, 4])
  assert.equal(s.heldCount, 4)
})

test('HAVE makes a peer useful', () => {
  const s = scheduler(3)
  s.addPeer('a', bits('000'), 2)
  assert.deepEqual(s.next(), [])
  s.peerHas('a', 1)
  assert.deepEqual(s.next(), [{ peer: 'a', index: 1 }])
})

test('end game: the last chunks are asked of several peers, and the others cancelled when one arrives', () => {
  const s = scheduler(2, { endgameSources: 2 })
  s.addPeer('a', bits('11'), 1)
  s.addPeer('b', bits('11'), 1)
  s.addPeer('c', bits('11'), 1)
  const first = s.next()
  assert.equal(first.length, 3)
  assert.ok(s.endgame)
  const byChunk = [0, 1].map(i => s.requestedFrom(i).length).sort()
  assert.deepEqual(byChunk, [1, 2])
  const doubled = [0, 1].find(i => s.requestedFrom(i).length === 2)!
  const [winner, loser] = s.requestedFrom(doubled)
  assert.deepEqual(s.arrived(winner!, doubled), [{ peer: loser, index: doubled }])
  assert.deepEqual(s.requestedFrom(doubled), [])
  assert.deepEqual(s.outstanding(loser!), [])
})

test('no end game while a chunk some peer holds is asked of no one', () => {
  const s = scheduler(3)
  s.addPeer('a', bits('111'), 1)
  s.next()
  assert.equal(s.endgame, false)
})

test('a chunk that fails verification is asked of another peer, never again of the one that sent it', () => {
  const s = scheduler(1)
  s.addPeer('a', bits('1'), 1)
  s.addPeer('b', bits('1'), 1)
  const [first] = s.next()
  const other = first!.peer === 'a' ? 'b' : 'a'
  s.arrived(first!.peer, 0)
  assert.equal(s.failed(first!.peer, 0), false)
  assert.deepEqual(s.next(), [{ peer: other, index: 0 }])
  s.arrived(other, 0)
  s.verified(0)
  assert.ok(s.complete)
})

test('a peer that sent bad data twice is asked nothing more, and its requests go back to the pool', () => {
  const s = scheduler(4, { maxStrikes: 2 })
  s.addPeer('bad', bits('1111'), 4)
  s.next()
  s.arrived('bad', 0)
  assert.equal(s.failed('bad', 0), false)
  s.arrived('bad', 1)
  assert.equal(s.failed('bad', 1), true)
  assert.ok(s.isBanned('bad'))
  assert.deepEqual(s.outstanding('bad'), [])
  assert.deepEqual(s.next(), [])
  s.addPeer('good', bits('1111'), 4)
  assert.deepEqual(indices(s.next()), [0, 1, 2, 3])
})

test('a peer that leaves or chokes gives its requests back', () => {
  for (const how of ['leaves', 'chokes'] as const) {
    const s = scheduler(4)
    s.addPeer('a', bits('1111'), 2)
    s.addPeer('b', bits('1111'), 2)
    s.next()
    const ofA = s.outstanding('a')
    const dropped = how === 'leaves' ? s.removePeer('a') : s.setChoked('a', true)
    assert.deepEqual(dropped.sort(), ofA.sort(), how)
    s.setLimit('b', 4)
    assert.deepEqual(indices(s.next(), 'b'), ofA.sort(), how)
  }
})

test('a peer saying it lacks a chunk is not asked for it again', () => {
  const s = scheduler(1)
  s.addPeer('a', bits('1'), 1)
  s.next()
  s.drop('a', 0, true)
  assert.deepEqual(s.next(), [])
  s.peerHas('a', 0)
  assert.deepEqual(s.next(), [{ peer: 'a', index: 0 }])
})

test('a leaving peer no longer makes its chunks look common', () => {
  const s = scheduler(2)
  s.addPeer('a', bits('11'), 1)
  s.addPeer('b', bits('10'), 1)
  s.removePeer('b')
  s.addPeer('c', bits('01'), 0)
  // Chunk 0 is held by a alone now, chunk 1 by a and c: a is asked for 0 first.
  assert.deepEqual(s.next(), [{ peer: 'a', index: 0 }])
})

test('how many requests a peer gets: a table of rates and chunk sizes', () => {
  const MiB = 2 ** 20
  const cases: Array<[number, number, number]> = [
    [0, MiB, INITIAL_REQUESTS],
    [0, 16 * MiB, 1],
    [100 * 1024, MiB, 2],
    [10 * MiB, MiB, 6],
    [300 * MiB, MiB, MAX_REQUESTS_PER_PEER],
    [300 * MiB, 4 * MiB, 4],
    [300 * MiB, 16 * 1024, MAX_REQUESTS_PER_PEER]
  ]
  for (const [rate, chunk, expected] of cases) assert.equal(requestLimit(rate, chunk), expected, `${rate} B/s in ${chunk}-byte chunks`)
})

test('the largest file is scheduled to the end, a chunk asked twice only in the end game', () => {
  const s = scheduler(MAX_CHUNKS)
  s.addPeer('a', new Uint8Array(MAX_CHUNKS / 8).fill(0xff), 16)
  s.addPeer('b', new Uint8Array(MAX_CHUNKS / 8).fill(0xff), 16)
  const asked = new Uint8Array(MAX_CHUNKS)
  let twice = 0
  while (!s.complete) {
    const next = s.next()
    assert.ok(next.length > 0)
    for (const { peer, index } of next) {
      if (asked[index]! > 0) twice++
      asked[index]!++
      s.arrived(peer, index)
      s.verified(index)
    }
  }
  assert.ok(asked.every(n => n >= 1))
  assert.ok(twice <= 32, `${twice} chunks asked twice`)
})
