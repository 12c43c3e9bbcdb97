import assert from 'node:assert/strict'
import { test } from 'node:test'
import { membershipOf, type MembershipChange } from '../../core/channel/membership.ts'
import type { MembershipOp } from '../../core/wire/entry-kinds.ts'

const genesis = { creator: 'c', members: ['m1', 'm2'] }
let t = 0
const change = (author: string, op: MembershipOp, key: string, timestamp = ++t): MembershipChange => ({ author, op, key, timestamp, seq: timestamp, id: `${timestamp}` })
const state = (changes: MembershipChange[]): [string[], string[]] => {
  const s = membershipOf(genesis, changes)
  return [[...s.members].sort(), [...s.admins].sort()]
}

const table: Array<[string, MembershipChange[], [string[], string[]]]> = [
  ['the genesis alone', [], [['c', 'm1', 'm2'], ['c']]],
  ['the creator adds and removes', [change('c', 'add', 'n'), change('c', 'remove', 'm1')], [['c', 'm2', 'n'], ['c']]],
  ['a plain member cannot change the list', [change('m1', 'add', 'x'), change('m1', 'remove', 'm2')], [['c', 'm1', 'm2'], ['c']]],
  ['a promoted member can, until demoted', [change('c', 'promote', 'm1'), change('m1', 'add', 'x'), change('c', 'demote', 'm1'), change('m1', 'add', 'y')], [['c', 'm1', 'm2', 'x'], ['c']]],
  ['nobody removes or demotes the creator', [change('c', 'promote', 'm1'), change('m1', 'remove', 'c'), change('m1', 'demote', 'c')], [['c', 'm1', 'm2'], ['c', 'm1']]],
  ['a removed admin loses both', [change('c', 'promote', 'm1'), change('c', 'remove', 'm1'), change('m1', 'add', 'z')], [['c', 'm2'], ['c']]],
  ['only members are promoted', [change('c', 'promote', 'stranger')], [['c', 'm1', 'm2'], ['c']]],
  ['order is by time, whatever order entries arrive in', [change('c', 'remove', 'm2', 50), change('c', 'add', 'm2', 40)], [['c', 'm1'], ['c']]]
]

for (const [name, changes, expected] of table) {
  test(`membership: ${name}`, () => {
    assert.deepEqual(state(changes), expected)
    // Every member folds the same entries to the same list, whatever order it holds them in.
    assert.deepEqual(state([...changes].reverse()), expected)
  })
}
