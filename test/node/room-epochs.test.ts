// The keys of a channel's epochs one member holds (PROTOCOL §4.10), on a real SQLite file: taking a new
// epoch from the box sealed to us, refusing a box that is not ours, keeping the old key for the grace.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { RoomEpochs, EPOCH_GRACE_MS } from '../../core/node/room-epochs.ts'
import { generateIdentity, type Identity } from '../../core/identity/identity.ts'
import { pskOf } from '../../core/channel/keys.ts'
import { toHex } from '../../core/codec/hex.ts'
import { silentLogger } from '../../core/log.ts'
import { MAX_EPOCH_BOXES } from '../../core/wire/entry-kinds.ts'
import { ManualClock } from '../helpers/manual-clock.ts'
import { channel, openTempStore } from '../store/store-fixture.ts'
import type { Store } from '../../core/store/store.ts'

const genesis = new Uint8Array(32).fill(9)

function epochsOf (t: TestContext, opts: { store?: Store; identity?: Identity; clock?: ManualClock } = {}) {
  const store = opts.store ?? openTempStore(t).store
  if (store.getChannel(channel(1).channelId) === undefined) store.addChannel(channel(1))
  const identity = opts.identity ?? generateIdentity()
  const clock = opts.clock ?? new ManualClock()
  const changes: boolean[] = []
  const epochs = new RoomEpochs({ channelId: channel(1).channelId, genesisSecret: genesis, store, identity, ownKeyHex: toHex(identity.publicKey), initial: null, log: silentLogger, clock, onChange: (switched) => { changes.push(switched) } })
  epochs.load()
  t.after(() => { epochs.stop() })
  return { epochs, store, identity, clock, changes }
}

test('a member takes the new epoch sealed to it, keeps the old key for the grace, and remembers both', t => {
  const admin = epochsOf(t)
  const me = epochsOf(t)
  assert.equal(me.epochs.epoch, 0)
  assert.deepEqual(me.epochs.psk, pskOf(genesis))
  const [entry] = admin.epochs.newEpoch(0, [toHex(admin.identity.publicKey), toHex(me.identity.publicKey)])
  const mine = entry!.boxes.find(b => b.member === toHex(me.identity.publicKey))!.box
  assert.ok(me.epochs.take(entry!.epoch, entry!.check, mine))
  assert.equal(me.epochs.epoch, 1)
  assert.equal(me.epochs.check, entry!.check)
  assert.deepEqual(me.changes, [true])
  assert.notDeepEqual(me.epochs.psk, pskOf(genesis))
  assert.deepEqual(me.epochs.olderPsks(), [pskOf(genesis)], 'members still at epoch 0 are let in for the grace')
  assert.equal(me.epochs.secrets().length, 2, 'and found: both keys\' infohashes are announced')

  const again = epochsOf(t, { store: me.store, identity: me.identity, clock: me.clock })
  assert.equal(again.epochs.epoch, 1, 'the epoch survives a restart')
  assert.deepEqual(again.epochs.psk, me.epochs.psk)
  assert.deepEqual(again.epochs.olderPsks(), [pskOf(genesis)])
})

test('a box sealed to someone else, or holding another key than its check names, is not taken', t => {
  const admin = epochsOf(t)
  const me = epochsOf(t)
  const other = generateIdentity()
  const [entry] = admin.epochs.newEpoch(0, [toHex(other.publicKey), toHex(me.identity.publicKey)])
  const theirs = entry!.boxes.find(b => b.member === toHex(other.publicKey))!.box
  assert.equal(me.epochs.take(entry!.epoch, entry!.check, theirs), false)
  const [forged] = admin.epochs.newEpoch(0, [toHex(me.identity.publicKey)])
  assert.equal(me.epochs.take(entry!.epoch, entry!.check, forged!.boxes[0]!.box), false, 'a key that is not the one the check names')
  assert.equal(me.epochs.take(entry!.epoch, entry!.check, undefined), false)
  assert.equal(me.epochs.epoch, 0)
  assert.deepEqual(me.changes, [])
})

test('the old key goes when the grace is over, or once every listed member was seen at the new epoch', t => {
  const admin = epochsOf(t)
  const me = epochsOf(t)
  const take = (m: typeof me): void => {
    const [entry] = admin.epochs.newEpoch(m.epochs.epoch, [toHex(m.identity.publicKey)])
    assert.ok(m.epochs.take(entry!.epoch, entry!.check, entry!.boxes[0]!.box))
  }
  take(me)
  me.clock.advance(EPOCH_GRACE_MS - 1)
  assert.equal(me.epochs.olderPsks().length, 1)
  me.clock.advance(1)
  assert.deepEqual(me.epochs.olderPsks(), [])
  assert.deepEqual(me.changes, [true, false])
  assert.deepEqual(me.store.epochKeys(channel(1).channelId).map(k => k.epoch), [1], 'forgotten on disk too')

  const early = epochsOf(t)
  take(early)
  const listed = new Set([toHex(early.identity.publicKey), 'b', 'c'])
  early.epochs.linked('b', true, listed)
  early.epochs.linked('c', false, listed)
  assert.equal(early.epochs.olderPsks().length, 1, 'c is linked on the old key: it may not have moved up')
  early.epochs.linked('c', true, listed)
  assert.deepEqual(early.epochs.olderPsks(), [])
})

test('a long member list\'s key is split into entries of at most as many boxes as fit', t => {
  const admin = epochsOf(t)
  const members = Array.from({ length: 2 * MAX_EPOCH_BOXES + 1 }, () => toHex(generateIdentity().publicKey))
  const entries = admin.epochs.newEpoch(4, members)
  assert.deepEqual(entries.map(e => e.boxes.length), [MAX_EPOCH_BOXES, MAX_EPOCH_BOXES, 1])
  assert.ok(entries.every(e => e.epoch === 5 && e.check === entries[0]!.check), 'one epoch above the channel\'s, one key')
  assert.deepEqual(entries.flatMap(e => e.boxes.map(b => b.member)), [...members].sort())
})

test('someone added after a new epoch is given its key, under the same check; nothing to give at epoch 0', t => {
  const admin = epochsOf(t)
  const newcomer = epochsOf(t)
  assert.deepEqual(admin.epochs.grant([toHex(newcomer.identity.publicKey)]), [])
  const [entry] = admin.epochs.newEpoch(0, [toHex(admin.identity.publicKey)])
  assert.ok(admin.epochs.take(entry!.epoch, entry!.check, entry!.boxes[0]!.box))
  const [grant] = admin.epochs.grant([toHex(newcomer.identity.publicKey)])
  assert.equal(grant!.epoch, entry!.epoch)
  assert.equal(grant!.check, entry!.check)
  assert.ok(newcomer.epochs.take(grant!.epoch, grant!.check, grant!.boxes[0]!.box))
  assert.deepEqual(newcomer.epochs.psk, admin.epochs.psk)
})
