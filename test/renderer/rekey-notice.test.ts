import { describe, expect, it } from 'vitest'
import { rekeyNotice } from '../../renderer/src/lib/rekey-notice.ts'

describe('the notice of a new key', () => {
  it.each([
    [[], 'Keys of #board were changed'],
    [['Dave'], 'Keys of #board were changed: Dave can no longer connect'],
    [['Dave', 'Erin'], 'Keys of #board were changed: Dave and Erin can no longer connect'],
    [['Dave', 'Erin', 'Frank'], 'Keys of #board were changed: Dave and 2 others can no longer connect']
  ])('removed %j', (removed, text) => {
    expect(rekeyNotice('board', removed)).toBe(text)
  })
})
