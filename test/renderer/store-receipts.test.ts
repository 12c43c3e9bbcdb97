import { describe, expect, it } from 'vitest'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { hex } from './helpers/fake-core.ts'

const positions = () => useAppStore.getState().receipts.get(hex(1))

describe('receipts in the store', () => {
  it('holds each member’s position per channel', () => {
    actions().receiptsListed(hex(1), [{ publicKey: hex(7), delivered: 3, read: 1 }])
    actions().receiptReceived(hex(1), { publicKey: hex(8), delivered: 2, read: 0 })
    expect(positions()).toEqual(new Map([[hex(7), { delivered: 3, read: 1 }], [hex(8), { delivered: 2, read: 0 }]]))
  })

  it('never takes a member back: a list that an event overtook, or an older event, only raises', () => {
    actions().receiptReceived(hex(1), { publicKey: hex(7), delivered: 5, read: 2 })
    actions().receiptsListed(hex(1), [{ publicKey: hex(7), delivered: 4, read: 3 }])
    actions().receiptReceived(hex(1), { publicKey: hex(7), delivered: 1, read: 0 })
    expect(positions()?.get(hex(7))).toEqual({ delivered: 5, read: 3 })
  })

  it('keeps the same maps for a receipt that changes nothing, so nothing redraws', () => {
    actions().receiptReceived(hex(1), { publicKey: hex(7), delivered: 5, read: 2 })
    const before = useAppStore.getState().receipts
    actions().receiptReceived(hex(1), { publicKey: hex(7), delivered: 5, read: 2 })
    expect(useAppStore.getState().receipts).toBe(before)
  })

  it('marks a channel listed even when nobody has a receipt yet, and forgets it when cleared', () => {
    actions().receiptsListed(hex(2), [])
    expect(useAppStore.getState().receipts.get(hex(2))?.size).toBe(0)
    actions().receiptsCleared(hex(2))
    expect(useAppStore.getState().receipts.has(hex(2))).toBe(false)
  })
})
