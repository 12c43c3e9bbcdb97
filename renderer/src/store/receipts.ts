import type { StateCreator } from 'zustand'
import type { Hex, ReceiptInfo } from '../../../core/api/contract.ts'
import type { ReceiptPosition } from '../lib/message-state.ts'
import type { AppState } from './store.ts'

export interface ReceiptsState {
  /** Per channel, each member's receipt for our messages there; a channel is present once listed or a receipt arrived. */
  receipts: ReadonlyMap<Hex, ReadonlyMap<Hex, ReceiptPosition>>
}

export interface ReceiptsActions {
  receiptsListed(channelId: Hex, list: readonly ReceiptInfo[]): void
  receiptReceived(channelId: Hex, receipt: ReceiptInfo): void
  receiptsCleared(channelId: Hex): void
}

export type ReceiptsSlice = ReceiptsState & ReceiptsActions

export const initialReceiptsState = (): ReceiptsState => ({ receipts: new Map() })

export const NO_RECEIPTS: ReadonlyMap<Hex, ReceiptPosition> = new Map()

/**
 * Positions only go up: a list read before an event that overtook it, or an event that repeats
 * an older one, never takes a member back. Unchanged, the same maps are kept (nothing redraws).
 */
function raised (receipts: ReceiptsState['receipts'], channelId: Hex, incoming: readonly ReceiptInfo[]): ReceiptsState['receipts'] {
  const current = receipts.get(channelId)
  let channel: Map<Hex, ReceiptPosition> | undefined
  for (const { publicKey, delivered, read } of incoming) {
    const before = (channel ?? current)?.get(publicKey)
    const next = { delivered: Math.max(before?.delivered ?? 0, delivered), read: Math.max(before?.read ?? 0, read) }
    if (before !== undefined && before.delivered === next.delivered && before.read === next.read) continue
    channel ??= new Map(current)
    channel.set(publicKey, next)
  }
  if (channel === undefined) return current === undefined ? new Map(receipts).set(channelId, NO_RECEIPTS) : receipts
  return new Map(receipts).set(channelId, channel)
}

export const createReceiptsSlice: StateCreator<AppState, [], [], ReceiptsSlice> = set => ({
  ...initialReceiptsState(),
  receiptsListed: (channelId, list) => { set(s => ({ receipts: raised(s.receipts, channelId, list) })) },
  receiptReceived: (channelId, receipt) => { set(s => ({ receipts: raised(s.receipts, channelId, [receipt]) })) },
  receiptsCleared: channelId => {
    set(s => {
      if (!s.receipts.has(channelId)) return {}
      const next = new Map(s.receipts)
      next.delete(channelId)
      return { receipts: next }
    })
  }
})
