import { test } from 'node:test'
import assert from 'node:assert/strict'
import { countChars, findNameProblem, type NameProblem } from '../../core/channel/name-rule.ts'

const cases: Array<[string, NameProblem | null]> = [
  ['Ada', null],
  ['  Ada  ', null],
  ['😀'.repeat(64), null],
  ['👩‍👩‍👧', null],
  ['שלום עולם', null],
  ['مرحبا', null],
  ['Zoë', null],
  ['', { kind: 'empty' }],
  ['   ', { kind: 'empty' }],
  ['\u00A0', { kind: 'empty' }],
  ['x'.repeat(65), { kind: 'too-long', chars: 65 }],
  ['😀'.repeat(65), { kind: 'too-long', chars: 65 }],
  ['Ada\uD800', { kind: 'malformed' }],
  ['Ada\n', { kind: 'control' }],
  ['A\u0007da', { kind: 'control' }],
  ['A\u009Bda', { kind: 'control' }],
  ['A\u2029da', { kind: 'control' }],
  ['A\u202Ada', { kind: 'invisible' }],
  ['A\u202Eda', { kind: 'invisible' }],
  ['A\u2066da\u2069', { kind: 'invisible' }],
  ['A\u200Fda', { kind: 'invisible' }],
  ['A\u061Cda', { kind: 'invisible' }],
  ['\u200B', { kind: 'invisible' }],
  ['\u3164', { kind: 'invisible' }],
  ['A\uFEFFda', { kind: 'invisible' }]
]

test('the name rule, as a table', () => {
  for (const [name, expected] of cases) assert.deepEqual(findNameProblem(name), expected, JSON.stringify(name))
})

test('characters are code points', () => {
  assert.equal(countChars('a😀b'), 3)
  assert.equal(countChars(''), 0)
  assert.equal(countChars('漢字'), 2)
})
