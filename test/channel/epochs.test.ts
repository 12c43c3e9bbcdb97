// Which new-epoch entries count and which epoch a channel is at (PROTOCOL §4.10), as tables.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { exposedKeys, foldEpochs, takesRotation, type RotationPart } from '../../core/channel/epochs.ts'
import type { MembershipChange } from '../../core/channel/membership.ts'
import type { MembershipOp } from '../../core/wire/entry-kinds.ts'

const genesis = { creator: 'c', members: ['m1', 'm2', 'm3'] }
let t = 0
const change = (author: string, op: MembershipOp, key: string, timestamp = ++t): MembershipChange => ({ author, op, key, timestamp, seq: timestamp, id: `c${timestamp}` })
const part = (author: string, epoch: number, check: string, timestamp = ++t): RotationPart => ({ author, epoch, check, timestamp, seq: timestamp, id: `r${timestamp}` })

type Entries = { changes: MembershipChange[]; parts: RotationPart[] }
const current = ({ changes, parts }: Entries): [number, string] | null => {
  const r = foldEpochs(genesis, changes, parts).rotation
  return r === null ? null : [r.epoch, r.check]
}

const table: Array<[string, Entries, [number, string] | null]> = [
  ['the genesis alone is epoch 0', { changes: [], parts: [] }, null],
  ['the creator\'s new epoch counts', { changes: [], parts: [part('c', 1, 'aa')] }, [1, 'aa']],
  ['a plain member\'s does not (it is kept, and means nothing)', { changes: [], parts: [part('m1', 1, 'aa')] }, null],
  ['a promoted member\'s counts', { changes: [change('c', 'promote', 'm1', 10)], parts: [part('m1', 1, 'aa', 11)] }, [1, 'aa']],
  ['one from before the promotion does not', { changes: [change('c', 'promote', 'm1', 21)], parts: [part('m1', 1, 'aa', 20)] }, null],
  ['one by an admin after his removal does not', { changes: [change('c', 'promote', 'm1', 30), change('c', 'remove', 'm1', 31)], parts: [part('c', 1, 'aa', 29), part('m1', 2, 'bb', 32)] }, [1, 'aa']],
  ['the highest epoch wins, whatever the order entries came in', { changes: [], parts: [part('c', 3, 'cc'), part('c', 1, 'aa'), part('c', 2, 'bb')] }, [3, 'cc']],
  ['two admins at once: the lower check wins, for everyone', { changes: [change('c', 'promote', 'm1', 40)], parts: [part('m1', 1, 'bb', 41), part('c', 1, 'aa', 41)] }, [1, 'aa']],
  ['a later lower epoch does not take the place of a higher one', { changes: [], parts: [part('c', 5, 'ee', 50), part('c', 4, 'dd', 51)] }, [5, 'ee']]
]

for (const [name, entries, expected] of table) {
  test(`epochs: ${name}`, () => {
    assert.deepEqual(current(entries), expected)
    assert.deepEqual(current({ changes: [...entries.changes].reverse(), parts: [...entries.parts].reverse() }), expected)
  })
}

test('epochs: a long list\'s key comes in several entries, all of which count', () => {
  const parts = [part('c', 1, 'aa', 60), part('c', 1, 'aa', 60), part('c', 1, 'ff', 60), part('m1', 1, 'aa', 61)]
  assert.deepEqual(foldEpochs(genesis, [], parts).rotation?.parts, [parts[0]!.id, parts[1]!.id])
})

test('epochs: who still holds the current key after a removal, and who owes a new epoch', () => {
  const removal = [change('c', 'promote', 'm1', 70), change('m1', 'remove', 'm2', 71), change('c', 'remove', 'm3', 72)]
  const atGenesis = foldEpochs(genesis, removal, [])
  // At epoch 0 every removed key holds the secret: every link carries it.
  assert.deepEqual([...exposedKeys(atGenesis, null)].sort(), [['m2', 'm1'], ['m3', 'c']])
  const rotated = foldEpochs(genesis, removal, [part('c', 1, 'aa', 73)])
  assert.deepEqual([...exposedKeys(rotated, new Set(['c', 'm1']))], [], 'the new key went to members only')
  // m1 rotated at the same moment without knowing of c's removal of m3: the key that won reached m3.
  assert.deepEqual([...exposedKeys(rotated, new Set(['c', 'm1', 'm3']))], [['m3', 'c']])
  const readded = foldEpochs(genesis, [...removal, change('c', 'add', 'm3', 74)], [])
  assert.deepEqual([...exposedKeys(readded, null)], [['m2', 'm1']], 'someone added back is no longer removed')
})

const steps: Array<[string, { epoch: number; check: string }, [number, string] | null, boolean, boolean]> = [
  ['nothing to take at epoch 0', { epoch: 0, check: 'g' }, null, true, false],
  ['a later epoch sealed to us', { epoch: 0, check: 'g' }, [1, 'aa'], true, true],
  ['a later epoch not sealed to us (we were removed)', { epoch: 0, check: 'g' }, [1, 'aa'], false, false],
  ['the epoch we hold', { epoch: 1, check: 'aa' }, [1, 'aa'], true, false],
  ['the winning key of our own epoch', { epoch: 1, check: 'bb' }, [1, 'aa'], true, true],
  ['an earlier epoch than the one our link gave', { epoch: 3, check: 'cc' }, [2, 'bb'], true, false]
]

for (const [name, held, rotation, sealed, expected] of steps) {
  test(`taking an epoch: ${name}`, () => {
    assert.equal(takesRotation(held, rotation === null ? null : { epoch: rotation[0], check: rotation[1], parts: [] }, sealed), expected)
  })
}
