import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bytesEqual, concatBytes } from '../../core/codec/bytes.ts'

test('concatBytes puts the parts one after another in a new array', () => {
  const a = Uint8Array.of(1, 2)
  const joined = concatBytes([a, new Uint8Array(0), Uint8Array.of(3)])
  assert.deepEqual([...joined], [1, 2, 3])
  joined[0] = 9
  assert.equal(a[0], 1, 'a copy, not a view')
  assert.equal(concatBytes([]).length, 0)
})

test('bytesEqual compares length and every byte', () => {
  const cases: Array<[number[], number[], boolean]> = [
    [[], [], true], [[1, 2], [1, 2], true], [[1, 2], [1, 3], false], [[1, 2], [1, 2, 0], false], [[0], [], false]
  ]
  for (const [a, b, equal] of cases) assert.equal(bytesEqual(Uint8Array.from(a), Uint8Array.from(b)), equal, `${a} vs ${b}`)
})
