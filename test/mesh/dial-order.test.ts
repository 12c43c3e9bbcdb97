// Two members who learn of each other from the same peer list would dial each other at once, and
// one handshake would end as a duplicate. The end whose dial the duplicate rule keeps (the lower
// key) dials at once; the other waits a moment, and dials only if no connection came meanwhile.
// The dialler runs on a manual clock against a real pool; the address is a tarpit that counts dials.
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Dialler } from '../../core/mesh/dialler.ts'
import { YIELD_MS } from '../../core/mesh/dial-policy.ts'
import { ConnectionPool } from '../../core/peers/connection-pool.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'
import { silentLogger } from '../../core/log.ts'
import { startTarpits, type Tarpits } from '../helpers/tarpit.ts'
import { ManualClock } from '../helpers/manual-clock.ts'
import { waitUntil } from '../helpers/wait.ts'

const LOW = '11'.repeat(32)
const MID = '55'.repeat(32)
const HIGH = 'ee'.repeat(32)

async function setup (t: TestContext, ownKeyHex: string): Promise<{ dialler: Dialler; pool: ConnectionPool; clock: ManualClock; tarpits: Tarpits; channelId: string }> {
  const identity = generateIdentity()
  const pool = new ConnectionPool({ identity, log: silentLogger, profile: () => new Uint8Array(0), onProfile: () => {}, onObserved: () => {}, onGone: () => {} })
  const channelId = toHex(randomBytes(32))
  pool.addTopic({ channelId, psk: randomBytes(32), isAllowed: () => true, attach: () => {} })
  const clock = new ManualClock()
  // random() = 0.5: the wait is YIELD_MS exactly.
  const dialler = new Dialler({ channelId, pool, ownKeyHex, log: silentLogger, clock, random: () => 0.5 })
  const tarpits = await startTarpits(1, '127.0.0.2')
  t.after(async () => {
    dialler.destroy()
    await pool.close()
    await tarpits.close()
  })
  return { dialler, pool, clock, tarpits, channelId }
}

const microtasks = async (): Promise<void> => { await new Promise(resolve => setImmediate(resolve)) }

test('the member whose dial the duplicate rule keeps dials at once', async (t) => {
  const { dialler, tarpits } = await setup(t, LOW)
  dialler.add(tarpits.host, tarpits.ports[0]!, 'pex', MID, 'introducer')
  await waitUntil(() => tarpits.accepted() === 1, 5_000, 'the dial')
})

test('the other member waits YIELD_MS, then dials if nothing came', async (t) => {
  const { dialler, clock, tarpits } = await setup(t, HIGH)
  dialler.add(tarpits.host, tarpits.ports[0]!, 'pex', MID, 'introducer')
  await microtasks()
  clock.advance(YIELD_MS - 1)
  await microtasks()
  assert.equal(dialler.records[0]?.status.kind, 'backoff', 'not dialling yet')
  assert.equal(tarpits.accepted(), 0)
  assert.equal(dialler.records[0]?.failures, 0, 'waiting is no failure')
  clock.advance(1)
  await waitUntil(() => tarpits.accepted() === 1, 5_000, 'the dial after the wait')
})

test('a member whose connection came while we waited is not dialled: the address becomes its route', async (t) => {
  const { dialler, pool, clock, tarpits, channelId } = await setup(t, HIGH)
  dialler.add(tarpits.host, tarpits.ports[0]!, 'pex', MID, 'introducer')
  await microtasks()
  // Its dial reached us and the channel was linked on it.
  pool.peers.connected(MID)
  pool.peers.want(MID, channelId)
  clock.advance(YIELD_MS)
  await microtasks()
  assert.equal(tarpits.accepted(), 0)
  assert.deepEqual(dialler.records, [])
  assert.ok(pool.peers.get(MID)?.routes.some(r => r.port === tarpits.ports[0]))
})

test('an address with no key (a tracker\'s, the DHT\'s) is dialled at once whatever our key', async (t) => {
  const { dialler, tarpits } = await setup(t, HIGH)
  dialler.add(tarpits.host, tarpits.ports[0]!, 'tracker', null)
  await waitUntil(() => tarpits.accepted() === 1, 5_000, 'the dial')
})
