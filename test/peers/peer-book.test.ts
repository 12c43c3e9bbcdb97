// The node's one record per peer identity, driven by hand: a fake dial and a manual clock, so minutes
// of backoff run in an instant and every dial the book makes is seen.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_REDIALS, PeerBook } from '../../core/peers/peer-book.ts'
import type { DialOutcome } from '../../core/peers/dial-outcome.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import type { Route } from '../../core/transport/raw-stream.ts'
import { silentLogger } from '../../core/log.ts'
import { ManualClock } from '../helpers/manual-clock.ts'

interface Dial { route: string; channelId: string; keyHex: string; settle: (outcome: DialOutcome) => Promise<void> }

const K = 'aa'.repeat(32)
const tcp = (host: string, port = 7000): Route => ({ kind: 'tcp', host, port })

function harness (opts: { maxPeers?: number; relay?: boolean } = {}) {
  const clock = new ManualClock()
  const dials: Dial[] = []
  const record = (route: string, channelId: string, keyHex: string, resolve: (outcome: DialOutcome) => void): void => {
    dials.push({
      route,
      channelId,
      keyHex,
      settle: async (outcome) => {
        // The pool marks the peer connected when it adopts the connection, before the dial settles.
        if (outcome.kind === 'connected' || (outcome.kind === 'failed' && outcome.keyHex !== undefined)) book.connected(keyHex)
        resolve(outcome)
        await new Promise(setImmediate)
      }
    })
  }
  const offers: string[] = []
  const joined = new Set(['c1', 'c2', 'c3'])
  const book: PeerBook = new PeerBook({
    dial: async (route, channelId, keyHex) => await new Promise<DialOutcome>(resolve => { record(`${route.host}:${route.port}`, channelId, keyHex, resolve) }),
    ...(opts.relay === true ? { relay: async (keyHex: string, channelId: string) => await new Promise<DialOutcome>(resolve => { record('relay', channelId, keyHex, resolve) }) } : {}),
    offer: (keyHex, channelId) => {
      offers.push(`${keyHex.slice(0, 2)}/${channelId}`)
      return true
    },
    hasChannel: (id) => joined.has(id),
    log: silentLogger,
    clock,
    maxPeers: opts.maxPeers
  })
  return { book, clock, dials, offers, joined }
}

test('a peer wanted by three channels is redialled once when its connection goes, expecting its key', async () => {
  const { book, clock, dials } = harness()
  book.learn(K, tcp('192.0.2.1'), 'tracker', true)
  book.connected(K)
  for (const c of ['c1', 'c2', 'c3']) book.want(K, c)
  assert.equal(dials.length, 0, 'connected: nothing to dial')
  book.gone(K)
  assert.equal(book.get(K)?.status.kind, 'backoff')
  clock.advance(1_200)
  assert.equal(dials.length, 1)
  assert.deepEqual({ route: dials[0]!.route, keyHex: dials[0]!.keyHex, channelId: dials[0]!.channelId }, { route: '192.0.2.1:7000', keyHex: K, channelId: 'c1' })
  await dials[0]!.settle({ kind: 'connected', keyHex: K })
  assert.equal(book.get(K)?.status.kind, 'connected')
  clock.advance(600_000)
  assert.equal(dials.length, 1, 'no further dial while connected')
})

test('failed redials move down the routes, back off in capped jittered steps, and start over once connected', async () => {
  const { book, clock, dials } = harness()
  book.learn(K, tcp('192.0.2.1'), 'tracker', true)
  book.learn(K, tcp('192.0.2.2'), 'incoming', false)
  book.want(K, 'c1')
  const waits: number[] = []
  for (let i = 0; i < 9; i++) {
    assert.equal(dials.length, i + 1, `dial ${i + 1}`)
    await dials[i]!.settle({ kind: 'failed', code: null, reason: 'connection refused' })
    const status = book.get(K)!.status
    assert.equal(status.kind, 'backoff')
    if (status.kind !== 'backoff') return
    waits.push(status.until - clock.now())
    clock.advance(waits[i]! - 1)
    assert.equal(dials.length, i + 1, 'not before the backoff ends')
    clock.advance(1)
  }
  assert.deepEqual(dials.slice(0, 3).map(d => d.route), ['192.0.2.1:7000', '192.0.2.2:7000', '192.0.2.1:7000'], 'the failed route drops below the other')
  const tiers = [1_000, 2_000, 5_000, 15_000, 30_000, 60_000, 60_000, 60_000, 60_000]
  waits.forEach((w, i) => { assert.ok(w >= tiers[i]! * 0.8 && w <= tiers[i]! * 1.2, `wait ${i + 1}: ${w} ms within 20% of ${tiers[i]} ms`) })
  assert.equal(book.get(K)?.failures, 9)
  book.connected(K)
  assert.equal(book.get(K)?.failures, 0)
})

test('when no channel wants the peer any more, its redials stop', async () => {
  const { book, clock, dials, joined } = harness()
  book.learn(K, tcp('192.0.2.1'), 'tracker', true)
  book.connected(K)
  book.want(K, 'c1')
  book.want(K, 'c2')
  book.unwant(K, 'c1')
  joined.delete('c2')
  book.forgetChannel('c2')
  book.gone(K)
  clock.advance(600_000)
  assert.equal(dials.length, 0)
  assert.equal(book.get(K)?.status.kind, 'idle')
})

test('a peer that has left the channel a redial was for is redialled for the next channel that wants it', async () => {
  const { book, clock, dials } = harness()
  book.learn(K, tcp('192.0.2.1'), 'tracker', true)
  book.want(K, 'c1')
  book.want(K, 'c2')
  await dials[0]!.settle({ kind: 'failed', code: CloseCode.NOT_JOINED, reason: 'not joined', keyHex: K })
  assert.deepEqual([...book.get(K)!.wantedBy], ['c2'])
  // The pool keeps that connection for the channels still shared; nothing more to dial.
  assert.equal(book.get(K)?.status.kind, 'connected')
  book.gone(K)
  clock.advance(1_200)
  assert.equal(dials.length, 2)
  assert.equal(dials[1]!.channelId, 'c2')
})

test('someone else at a route drops it; a full dial budget is retried soon without counting as a failure', async () => {
  const { book, clock, dials } = harness()
  book.learn(K, tcp('192.0.2.1'), 'stored', false)
  book.learn(K, tcp('192.0.2.2'), 'stored', false)
  book.want(K, 'c1')
  await dials[0]!.settle({ kind: 'failed', code: CloseCode.UNEXPECTED_IDENTITY, reason: 'another key' })
  assert.deepEqual(book.get(K)!.routes.map(r => r.host), ['192.0.2.2'])
  clock.advance(1_200)
  await dials[1]!.settle({ kind: 'busy' })
  assert.equal(book.get(K)?.failures, 1)
  clock.advance(1_000)
  assert.equal(dials.length, 3)
  assert.equal(dials[2]!.route, '192.0.2.2:7000')
})

test('a connection the peer made while our redial was on its way counts; the redial then changes nothing', async () => {
  const { book, clock, dials } = harness()
  book.learn(K, tcp('192.0.2.1'), 'tracker', true)
  book.want(K, 'c1')
  book.connected(K)
  await dials[0]!.settle({ kind: 'failed', code: CloseCode.DUPLICATE, reason: 'another connection is kept', keyHex: K })
  assert.equal(book.get(K)?.status.kind, 'connected')
  assert.equal(book.get(K)!.routes[0]!.failures, 0, 'the route reached the peer')
  clock.advance(600_000)
  assert.equal(dials.length, 1)
})

test('a channel wanting a connected peer is offered on its connection, not dialled', () => {
  const { book, dials, offers } = harness()
  book.learn(K, tcp('192.0.2.1'), 'tracker', true)
  book.connected(K)
  book.want(K, 'c2')
  assert.deepEqual(offers, ['aa/c2'])
  assert.equal(dials.length, 0)
})

test('the book is bounded: a peer no channel wants makes way first, then the one seen longest ago; connected peers never', async () => {
  const { book, clock, dials } = harness({ maxPeers: 3 })
  const key = (i: number): string => i.toString(16).padStart(64, '0')
  book.learn(key(1), tcp('192.0.2.1'), 'tracker', true)
  book.want(key(1), 'c1')
  await dials[0]!.settle({ kind: 'failed', code: null, reason: 'connection refused' })
  clock.advance(1)
  book.learn(key(2), tcp('192.0.2.2'), 'tracker', true)
  clock.advance(1)
  book.learn(key(3), tcp('192.0.2.3'), 'tracker', true)
  book.connected(key(3))
  clock.advance(1)
  assert.equal(book.learn(key(4), tcp('192.0.2.4'), 'tracker', true), true)
  assert.equal(book.get(key(2)), undefined, 'no channel wanted it')
  book.connected(key(4))
  assert.equal(book.learn(key(5), tcp('192.0.2.5'), 'tracker', true), true)
  assert.equal(book.get(key(1)), undefined, 'wanted but not connected: it goes before a connected peer')
  book.connected(key(5))
  assert.equal(book.learn(key(6), tcp('192.0.2.6'), 'tracker', true), false, 'every peer connected: refused')
  assert.equal(book.size, 3)
})

test('a redial that reaches no one takes the next wanted channel\'s PSK (the peer may have left the first)', async () => {
  const { book, clock, dials } = harness()
  book.learn(K, tcp('192.0.2.1'), 'tracker', true)
  for (const c of ['c1', 'c2', 'c3']) book.want(K, c)
  for (let i = 0; i < 4; i++) {
    await dials[i]!.settle({ kind: 'failed', code: null, reason: 'closed during the handshake' })
    clock.advance(75_000)
  }
  assert.deepEqual(dials.map(d => d.channelId), ['c1', 'c2', 'c3', 'c1', 'c2'])
  assert.deepEqual([...book.get(K)!.wantedBy], ['c1', 'c2', 'c3'], 'no key was revealed: nothing is known of the channels')
})

test('a peer is no longer sought after MAX_REDIALS redials in a row, and a later sighting tries again', async () => {
  const { book, clock, dials } = harness()
  book.learn(K, tcp('192.0.2.1'), 'tracker', true)
  book.want(K, 'c1')
  book.want(K, 'c2')
  for (let i = 0; i < MAX_REDIALS; i++) {
    assert.equal(dials.length, i + 1)
    await dials[i]!.settle({ kind: 'failed', code: null, reason: 'connection refused' })
    clock.advance(75_000)
  }
  assert.deepEqual(dials.slice(0, 4).map(d => d.channelId), ['c1', 'c2', 'c1', 'c2'], 'each wanted channel in turn')
  assert.equal(dials.length, MAX_REDIALS)
  assert.equal(book.get(K)?.status.kind, 'idle')
  assert.equal(book.get(K)?.wantedBy.size, 0)
  assert.equal(clock.pending, 0, 'no timer left for it')
  book.want(K, 'c1')
  assert.equal(dials.length, MAX_REDIALS + 1)
})

test('a route a dial proved is the one in use', () => {
  const { book } = harness()
  book.learn(K, tcp('192.0.2.1'), 'stored', false)
  book.connected(K)
  assert.equal(book.proven(K, tcp('192.0.2.2'), ['tracker', 'lan']), true)
  const peer = book.get(K)!
  assert.deepEqual({ host: peer.via?.host, sources: [...peer.via!.sources] }, { host: '192.0.2.2', sources: ['tracker', 'lan'] })
  assert.equal(book.ownerOf(tcp('192.0.2.2')), K)
  assert.equal(book.ownerOf(tcp('192.0.2.2', 7001)), null)
  book.gone(K)
  assert.equal(book.get(K)?.via, null)
})

test('a peer with no route is dialled through a relay, and redialled that way with the same backoff', async () => {
  const { book, clock, dials } = harness({ relay: true })
  book.want(K, 'c1')
  assert.deepEqual(dials.map(d => d.route), ['relay'])
  assert.deepEqual(book.get(K)?.status, { kind: 'connecting', route: null })
  await dials[0]!.settle({ kind: 'failed', code: null, reason: 'no member to relay through' })
  assert.equal(book.get(K)?.status.kind, 'backoff')
  assert.equal(book.get(K)?.failures, 1)
  clock.advance(1_200)
  assert.deepEqual(dials.map(d => d.route), ['relay', 'relay'])
  await dials[1]!.settle({ kind: 'connected', keyHex: K })
  assert.equal(book.get(K)?.status.kind, 'connected')
  assert.equal(book.get(K)?.via, null, 'no route of its own is in use')
})

test('a peer whose routes fail is tried through a relay every other attempt, directly on the others', async () => {
  const { book, clock, dials } = harness({ relay: true })
  book.learn(K, tcp('192.0.2.1'), 'tracker', false)
  book.want(K, 'c1')
  for (let i = 0; i < 5; i++) {
    await dials[i]!.settle({ kind: 'failed', code: null, reason: 'refused' })
    clock.advance(120_000)
  }
  assert.deepEqual(dials.map(d => d.route), ['192.0.2.1:7000', 'relay', '192.0.2.1:7000', 'relay', '192.0.2.1:7000', 'relay'])
  assert.equal(book.get(K)?.routes[0]?.failures, 3, 'only direct attempts count against the route')
})

test('a peer reached through a relay that is not in the channel there stops being sought for it', async () => {
  const { book, dials } = harness({ relay: true })
  book.want(K, 'c1')
  book.want(K, 'c2')
  await dials[0]!.settle({ kind: 'failed', code: CloseCode.NOT_JOINED, reason: 'not joined', keyHex: K })
  assert.ok(!book.get(K)?.wantedBy.has('c1'))
  assert.ok(book.get(K)?.wantedBy.has('c2'))
})

test('without a relay, a peer with no route is not dialled', () => {
  const { book, dials } = harness()
  book.want(K, 'c1')
  assert.equal(dials.length, 0)
  assert.equal(book.get(K)?.status.kind, 'idle')
})
