import { describe, expect, it } from 'vitest'
import { buildRows } from '../../renderer/src/lib/message-rows.ts'
import { hex, message } from './helpers/fake-core.ts'

const at = (day: number, hour: number, minute = 0): number => new Date(2024, 4, day, hour, minute).getTime()

describe('message rows', () => {
  it('puts a day separator before the first message of each local day', () => {
    const rows = buildRows([
      message(1, { timestamp: at(1, 9) }),
      message(2, { timestamp: at(1, 23, 59) }),
      message(3, { timestamp: at(2, 0, 1) })
    ], null)
    expect(rows.map(r => r.kind)).toEqual(['day', 'message', 'message', 'day', 'message'])
  })

  it('groups consecutive messages by one author within five minutes', () => {
    const rows = buildRows([
      message(1, { timestamp: at(1, 9, 0) }),
      message(2, { timestamp: at(1, 9, 3) }),
      message(3, { timestamp: at(1, 9, 20) }),
      message(4, { timestamp: at(1, 9, 21), author: hex(7) })
    ], null)
    expect(rows.filter(r => r.kind === 'message').map(r => r.kind === 'message' && r.continued)).toEqual([false, true, false, false])
  })

  it('inserts the unread divider before the first unread message and starts a new group there', () => {
    const rows = buildRows([message(1), message(2), message(3)], message(2).messageId)
    expect(rows.map(r => r.key)).toEqual([rows[0]?.key, message(1).messageId, 'unread', message(2).messageId, message(3).messageId])
    const second = rows[3]
    expect(second?.kind === 'message' && second.continued).toBe(false)
  })

  it('marks both versions of a message its flagged author signed twice, and no other message', () => {
    const a = message(1, { seq: 4, authorFlagged: true })
    const b = message(2, { seq: 4, authorFlagged: true })
    const other = message(3, { seq: 5, authorFlagged: true })
    const rows = buildRows([a, b, other], null)
    expect(rows.filter(r => r.kind === 'message').map(r => r.kind === 'message' && r.conflicting)).toEqual([true, true, false])
  })
})
