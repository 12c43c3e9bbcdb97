import { describe, expect, it } from 'vitest'
import { countReceipts, describeMark, markOf, memberTotal, whoHolds } from '../../renderer/src/lib/message-state.ts'
import { hex } from './helpers/fake-core.ts'

describe('message states', () => {
  it('counts the members whose receipts reach a message', () => {
    const positions = [{ delivered: 5, read: 3 }, { delivered: 3, read: 0 }, { delivered: 0, read: 0 }]
    expect(countReceipts(positions, 3)).toEqual({ deliveredTo: 2, readBy: 1 })
    expect(countReceipts(positions, 4)).toEqual({ deliveredTo: 1, readBy: 0 })
    expect(countReceipts(positions, 6)).toEqual({ deliveredTo: 0, readBy: 0 })
  })

  it.each([
    { name: 'nobody holds it', message: { deliveredTo: 0, readBy: 0 }, counted: { deliveredTo: 0, readBy: 0 }, want: { state: 'sent', deliveredTo: 0, readBy: 0 } },
    { name: 'a receipt since the list', message: { deliveredTo: 0, readBy: 0 }, counted: { deliveredTo: 2, readBy: 0 }, want: { state: 'delivered', deliveredTo: 2, readBy: 0 } },
    { name: 'the list fresher than receipts not yet loaded', message: { deliveredTo: 2, readBy: 1 }, counted: { deliveredTo: 0, readBy: 0 }, want: { state: 'read', deliveredTo: 2, readBy: 1 } },
    { name: 'a reader holds it', message: {}, counted: { deliveredTo: 0, readBy: 1 }, want: { state: 'read', deliveredTo: 1, readBy: 1 } },
    { name: 'a message of another core (no figures)', message: {}, counted: { deliveredTo: 0, readBy: 0 }, want: { state: 'sent', deliveredTo: 0, readBy: 0 } }
  ])('marks one of ours: $name', ({ message, counted, want }) => {
    expect(markOf(message, counted)).toEqual(want)
  })

  it.each([
    { known: { members: 4, peerCount: 1 }, holders: 2, want: 4 },
    { known: { peerCount: 1 }, holders: 0, want: 1 },
    // Someone who took it and left is still one who holds it.
    { known: { peerCount: 1 }, holders: 3, want: 3 },
    { known: { members: 1, peerCount: 0 }, holders: 2, want: 2 }
  ])('counts $want members from $known with $holders holding', ({ known, holders, want }) => {
    expect(memberTotal(known, holders)).toBe(want)
  })

  it.each([
    { mark: { state: 'sending', deliveredTo: 0, readBy: 0 }, kind: 'group', total: 3, want: 'Sending' },
    { mark: { state: 'sent', deliveredTo: 0, readBy: 0 }, kind: 'group', total: 3, want: 'Sent' },
    { mark: { state: 'delivered', deliveredTo: 2, readBy: 0 }, kind: 'group', total: 3, want: 'Delivered to 2 of 3 members' },
    { mark: { state: 'read', deliveredTo: 2, readBy: 1 }, kind: 'group', total: 3, want: 'Read by 1 of 3 members' },
    { mark: { state: 'delivered', deliveredTo: 1, readBy: 0 }, kind: 'group', total: 1, want: 'Delivered to 1 of 1 member' },
    { mark: { state: 'delivered', deliveredTo: 3, readBy: 0 }, kind: 'group', total: 2, want: 'Delivered to 3 of 3 members' },
    { mark: { state: 'delivered', deliveredTo: 1, readBy: 0 }, kind: 'private', total: 1, want: 'Delivered' },
    { mark: { state: 'read', deliveredTo: 1, readBy: 1 }, kind: 'private', total: 1, want: 'Read' },
    { mark: { state: 'sent', deliveredTo: 0, readBy: 0 }, kind: 'private', total: 1, want: 'Sent' }
  ] as const)('says "$want"', ({ mark, kind, total, want }) => {
    expect(describeMark(mark, kind, total)).toBe(want)
  })

  it('names who read a message and who only holds it', () => {
    const positions = new Map([[hex(1), { delivered: 4, read: 4 }], [hex(2), { delivered: 4, read: 1 }], [hex(3), { delivered: 2, read: 2 }]])
    expect(whoHolds(positions, 3)).toEqual({ read: [hex(1)], deliveredOnly: [hex(2)] })
  })
})
