import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { NatType } from '../../core/api/contract.ts'
import { BIRTHDAY_PROBES, BIRTHDAY_SOCKETS, dialsAfterPunch, LOW_TTL, OPEN_WAIT_MS, PROBE_ROUNDS, probeSchedule, punchPlan, PUNCH_TIMEOUT_MS, retryDelay, RETRY_DELAYS_MS } from '../../core/nat/holepuncher.ts'
import { decodePunchMessage, encodePunchMessage, MAX_CANDIDATES, MAX_PUNCH_MESSAGE_BYTES, PunchType, type PunchMessage } from '../../core/nat/punch-messages.ts'

test('the plan follows both NATs', () => {
  const table: Array<[NatType, NatType, string]> = [
    ['consistent', 'consistent', 'probe'],
    ['open', 'consistent', 'probe'],
    ['unknown', 'unknown', 'probe'],
    ['consistent', 'unknown', 'probe'],
    ['random', 'consistent', 'birthday-sockets'],
    ['random', 'open', 'birthday-sockets'],
    ['consistent', 'random', 'birthday-ports'],
    ['unknown', 'random', 'birthday-ports'],
    ['random', 'random', 'none']
  ]
  for (const [local, remote, kind] of table) assert.equal(punchPlan(local, remote).kind, kind, `${local} × ${remote}`)
})

test('each side of a birthday punch does its half, and only the side probing known addresses dials', () => {
  assert.equal(dialsAfterPunch({ kind: 'birthday-sockets' }, true), false)
  assert.equal(dialsAfterPunch({ kind: 'birthday-ports' }, false), true)
  assert.equal(dialsAfterPunch({ kind: 'probe' }, true), true)
  assert.equal(dialsAfterPunch({ kind: 'probe' }, false), false)
})

const two = [{ host: '1.2.3.4', port: 4000 }, { host: '10.0.0.2', port: 4000 }]

test('a probe punch opens with low-TTL datagrams, then probes every candidate a bounded number of times', () => {
  const steps = probeSchedule({ kind: 'probe' }, two)
  assert.deepEqual(steps.slice(0, 2).map(s => s.ttl), [LOW_TTL, LOW_TTL])
  assert.ok(steps.slice(2).every(s => s.ttl === undefined && s.atMs >= OPEN_WAIT_MS))
  assert.equal(steps.length, 2 + PROBE_ROUNDS * 2)
  assert.ok(steps.every(s => s.atMs < PUNCH_TIMEOUT_MS))
  assert.deepEqual(probeSchedule({ kind: 'none', reason: '' }, two), [])
})

test('birthday punches stay within their packet budget and the peer\'s host', () => {
  const sockets = probeSchedule({ kind: 'birthday-sockets' }, two)
  assert.equal(sockets.length, BIRTHDAY_SOCKETS)
  assert.ok(sockets.every(s => s.ttl === LOW_TTL && s.to.host === '1.2.3.4' && s.socket !== undefined))
  let seed = 1
  const ports = probeSchedule({ kind: 'birthday-ports' }, two, () => (seed = (seed * 16807) % 2147483647) / 2147483647)
  assert.equal(ports.length, 2 + BIRTHDAY_PROBES)
  const random = ports.slice(2)
  assert.ok(random.every(s => s.to.host === '1.2.3.4' && s.to.port >= 1024 && s.to.port <= 65535 && s.atMs < PUNCH_TIMEOUT_MS))
  assert.ok(new Set(random.map(s => s.to.port)).size > BIRTHDAY_PROBES * 0.9, 'ports spread')
  assert.deepEqual(probeSchedule({ kind: 'birthday-ports' }, []), [])
})

test('a failed punch waits longer each time, capped', () => {
  assert.equal(retryDelay(1), RETRY_DELAYS_MS[0])
  assert.equal(retryDelay(2), RETRY_DELAYS_MS[1])
  assert.equal(retryDelay(99), RETRY_DELAYS_MS.at(-1))
})

test('rendezvous messages round-trip, bounded', () => {
  const token = new Uint8Array(16).fill(3)
  const table: PunchMessage[] = [
    { type: PunchType.CANDIDATES, nat: 'consistent', token, addresses: two },
    { type: PunchType.CANDIDATES, nat: 'unknown', token, addresses: [] },
    { type: PunchType.CANDIDATES, nat: 'random', token, addresses: Array.from({ length: MAX_CANDIDATES }, (_, i) => ({ host: `9.9.9.${i}`, port: 65535 - i })) },
    { type: PunchType.GO, delayMs: 0 },
    { type: PunchType.GO, delayMs: 5_000 }
  ]
  for (const message of table) {
    const bytes = encodePunchMessage(message)
    assert.ok(bytes.length <= MAX_PUNCH_MESSAGE_BYTES)
    assert.deepEqual(decodePunchMessage(bytes), message)
  }
})

test('anything else is refused', () => {
  const token = new Uint8Array(16)
  const good = encodePunchMessage({ type: PunchType.CANDIDATES, nat: 'open', token, addresses: two })
  const bad: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['unknown type', Uint8Array.of(9)],
    ['unknown NAT', Uint8Array.of(1, 9, ...token, 0)],
    ['a count past the limit', Uint8Array.of(1, 0, ...token, MAX_CANDIDATES + 1)],
    ['fewer addresses than counted', good.subarray(0, good.length - 1)],
    ['a byte more', Uint8Array.of(...good, 0)],
    ['port 0', Uint8Array.of(1, 0, ...token, 1, 1, 2, 3, 4, 0, 0)],
    ['a GO past its bound', Uint8Array.of(2, 0xff, 0xff)],
    ['oversized', new Uint8Array(MAX_PUNCH_MESSAGE_BYTES + 1).fill(1)]
  ]
  for (const [what, bytes] of bad) assert.throws(() => decodePunchMessage(bytes), what)
  assert.throws(() => encodePunchMessage({ type: PunchType.CANDIDATES, nat: 'open', token, addresses: [{ host: '::1', port: 1 }] }), /IPv4/)
  assert.throws(() => encodePunchMessage({ type: PunchType.GO, delayMs: 5_001 }), /GO delay/)
})
