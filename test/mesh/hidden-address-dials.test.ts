// 'Hide my IP address': a dial shows our address to whoever answers, so a channel's dialler dials only
// an address a contact is at (a handshake reached them there, or a member said so) and leaves the rest
// waiting; the peer book reaches everyone else through a relay. And whoever hides nothing: a member
// nobody answers for where a member said it listens is sought through relays too. Real pool, tarpits that count dials.
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Dialler } from '../../core/mesh/dialler.ts'
import { ConnectionPool } from '../../core/peers/connection-pool.ts'
import type { DialOutcome } from '../../core/peers/dial-outcome.ts'
import { directDialAllowed } from '../../core/peers/direct-dials.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { toHex } from '../../core/codec/hex.ts'
import { silentLogger } from '../../core/log.ts'
import { startTarpits, type Tarpits } from '../helpers/tarpit.ts'
import { waitUntil } from '../helpers/wait.ts'

/** The lowest key: our dial would always be the one kept, so no dial waits for the other end (yieldDelay). */
const OURS = '00'.repeat(32)
const CONTACT = '55'.repeat(32)
const STRANGER = 'ee'.repeat(32)

async function setup (t: TestContext, relayOnly: boolean) {
  const relayDials: string[] = []
  const pool = new ConnectionPool({
    identity: generateIdentity(),
    log: silentLogger,
    profile: () => new Uint8Array(0),
    onProfile: () => {},
    onObserved: () => {},
    onGone: () => {},
    relayDial: async (keyHex): Promise<DialOutcome> => {
      relayDials.push(keyHex)
      return { kind: 'failed', code: null, reason: 'no relay in this test' }
    },
    directAllowed: (keyHex, hearsay) => directDialAllowed(relayOnly, keyHex, (key) => key === CONTACT, hearsay)
  })
  const channelId = toHex(randomBytes(32))
  pool.addTopic({ channelId, psk: randomBytes(32), isAllowed: () => true, attach: () => {} })
  const dialler = new Dialler({ channelId, pool, ownKeyHex: OURS, log: silentLogger })
  const pits: Tarpits[] = []
  // One host each: dials to one host are limited to two at a time.
  for (const host of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) pits.push(await startTarpits(1, host))
  t.after(async () => {
    dialler.destroy()
    await pool.close()
    await Promise.all(pits.map(async p => { await p.close() }))
  })
  return { dialler, pool, channelId, pits, relayDials }
}

test('hiding our address: a tracker\'s address, and a stranger\'s or a contact\'s as another member tells it, are not dialled; both members are sought through a relay', async (t) => {
  const { dialler, pool, pits: [unknown, stranger, contact], relayDials } = await setup(t, true)
  dialler.add(unknown!.host, unknown!.ports[0]!, 'tracker', null)
  dialler.add(stranger!.host, stranger!.ports[0]!, 'pex', STRANGER, 'introducer')
  // Anyone in the channel could name a contact's key at an address of their own, to learn ours.
  dialler.add(contact!.host, contact!.ports[0]!, 'pex', CONTACT, 'introducer')
  await waitUntil(() => relayDials.length === 2, 5_000, 'both members to be sought through a relay')
  await new Promise(resolve => setTimeout(resolve, 200))
  assert.equal(unknown!.accepted(), 0, 'an address nobody vouched for')
  assert.equal(stranger!.accepted(), 0, 'a stranger\'s address')
  assert.equal(contact!.accepted(), 0, 'a contact\'s address that only another member gave')
  assert.deepEqual(relayDials.sort(), [CONTACT, STRANGER].sort())
  assert.ok(pool.peers.get(STRANGER)?.routes.some(r => r.port === stranger!.ports[0]), 'its address kept as a claim, for when the option is off')
  assert.ok(dialler.records.some(r => r.port === unknown!.ports[0] && r.status.kind === 'idle'), 'the unvouched address is kept for when the option is off')
})

test('not hiding it, the same three addresses are all dialled', async (t) => {
  const { dialler, pits } = await setup(t, false)
  dialler.add(pits[0]!.host, pits[0]!.ports[0]!, 'tracker', null)
  dialler.add(pits[1]!.host, pits[1]!.ports[0]!, 'pex', STRANGER, 'introducer')
  dialler.add(pits[2]!.host, pits[2]!.ports[0]!, 'pex', CONTACT, 'introducer')
  await waitUntil(() => pits.every(p => p.accepted() === 1), 5_000, 'every address dialled')
})

test('hiding our address, a stranger with a known route is reached through a relay and a contact directly', async (t) => {
  const { pool, channelId, pits: [strangerPit, contactPit], relayDials } = await setup(t, true)
  pool.peers.learn(STRANGER, { kind: 'tcp', host: strangerPit!.host, port: strangerPit!.ports[0]! }, 'stored', false)
  pool.peers.learn(CONTACT, { kind: 'tcp', host: contactPit!.host, port: contactPit!.ports[0]! }, 'stored', false)
  pool.peers.want(STRANGER, channelId)
  pool.peers.want(CONTACT, channelId)
  await waitUntil(() => contactPit!.accepted() === 1, 5_000, 'the contact dialled directly')
  assert.deepEqual(relayDials, [STRANGER])
  assert.equal(strangerPit!.accepted(), 0)
})

test('an address a member vouched for where nobody answers goes to the peer book, which tries a relay next', async (t) => {
  const { dialler, pool, relayDials } = await setup(t, false)
  // Nothing listens there: the dial fails before any handshake, as at a NAT that drops it.
  const closed = await startTarpits(1, '127.0.0.5')
  const port = closed.ports[0]!
  await closed.close()
  dialler.add('127.0.0.5', port, 'pex', STRANGER, 'introducer')
  await waitUntil(() => relayDials.includes(STRANGER), 10_000, 'the member to be sought through a relay')
  assert.ok(pool.peers.get(STRANGER)?.routes.some(r => r.port === port), 'its address is a route of the peer book now')
  assert.equal(dialler.records.some(r => r.port === port), false, 'and no longer the dialler\'s to dial')
})
