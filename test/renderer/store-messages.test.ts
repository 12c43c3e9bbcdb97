import { describe, expect, it } from 'vitest'
import { mergeMessages } from '../../renderer/src/store/messages.ts'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { hex, message } from './helpers/fake-core.ts'
import { prng } from '../helpers/prng.ts'

const ids = (list: readonly { messageId: string }[]): string[] => list.map(m => m.messageId)

describe('messages slice', () => {
  it('merges pages into one list sorted by time', () => {
    const merged = mergeMessages([message(3), message(4)], [message(1), message(2)])
    expect(ids(merged)).toEqual(ids([message(1), message(2), message(3), message(4)]))
  })

  it('keeps one copy of a message seen twice, preferring the newer copy', () => {
    const merged = mergeMessages([message(1), message(2)], [message(2, { text: 'edited copy' })])
    expect(merged).toHaveLength(2)
    expect(merged[1]?.text).toBe('edited copy')
  })

  it('orders messages with the same timestamp by author, then seq, then id, as the core does', () => {
    const first = message(1, { messageId: hex(9), timestamp: 1000, author: hex(1), seq: 1 })
    const second = message(2, { messageId: hex(5), timestamp: 1000, author: hex(1), seq: 2 })
    const versionA = message(3, { messageId: hex(4), timestamp: 1000, author: hex(1), seq: 3 })
    const versionB = message(4, { messageId: hex(3), timestamp: 1000, author: hex(1), seq: 3 })
    const other = message(5, { messageId: hex(1), timestamp: 1000, author: hex(2), seq: 1 })
    expect(ids(mergeMessages([versionA, other], [second, versionB, first]))).toEqual([hex(9), hex(5), hex(3), hex(4), hex(1)])
  })

  it('merging interleaved batches, copies among them, gives what sorting everything gives', () => {
    const random = prng(7)
    const at = (i: number) => message(i, { timestamp: Math.floor(random() * 500), author: hex(1 + Math.floor(random() * 3)), seq: i })
    const all = Array.from({ length: 3000 }, (_, i) => at(i + 1))
    let held: readonly ReturnType<typeof message>[] = []
    for (let from = 0; from < all.length; from += 250) {
      const batch = all.slice(from, from + 250).reverse()
      held = mergeMessages(held, [...batch, ...(from > 0 ? [{ ...all[from - 1]!, text: 'copy' }] : [])])
    }
    const expected = mergeMessages([], all.map(m => m))
    expect(ids(held)).toEqual(ids([...all].sort((a, b) => a.timestamp - b.timestamp || (a.author < b.author ? -1 : a.author > b.author ? 1 : 0) || a.seq - b.seq)))
    expect(ids(held)).toEqual(ids(expected))
    expect(held.filter(m => m.text === 'copy')).toHaveLength(all.length / 250 - 1)
  })

  it('appends a received message to its own channel only', () => {
    actions().messagesLoaded(hex(1), [message(1)], false)
    actions().messageReceived(message(2, { channelId: hex(2) }))
    actions().messageReceived(message(3))
    const state = useAppStore.getState().messages
    expect(ids(state.get(hex(1))?.list ?? [])).toEqual(ids([message(1), message(3)]))
    expect(state.get(hex(2))?.list).toHaveLength(1)
  })

  it('never mutates the previous state when a message arrives', () => {
    actions().messagesLoaded(hex(1), [message(1)], false)
    const before = useAppStore.getState().messages
    const beforeList = before.get(hex(1))?.list
    actions().messageReceived(message(2))
    expect(useAppStore.getState().messages).not.toBe(before)
    expect(beforeList).toHaveLength(1)
  })

  it('tracks loading and whether older messages remain', () => {
    actions().messagesLoading(hex(1))
    expect(useAppStore.getState().messages.get(hex(1))?.loading).toBe(true)
    actions().messagesLoaded(hex(1), [message(1)], true)
    expect(useAppStore.getState().messages.get(hex(1))).toMatchObject({ loading: false, hasMore: true })
    actions().messagesLoading(hex(1))
    actions().messagesFailed(hex(1))
    expect(useAppStore.getState().messages.get(hex(1))?.loading).toBe(false)
  })

  it('forgets a channel’s messages', () => {
    actions().messagesLoaded(hex(1), [message(1)], false)
    actions().messagesCleared(hex(1))
    expect(useAppStore.getState().messages.has(hex(1))).toBe(false)
  })

  it('a message whose author is newly flagged flags the author\'s messages already shown', () => {
    const merged = mergeMessages([message(1), message(2, { author: hex(9) })], [message(3, { authorFlagged: true })])
    expect(merged.map(m => m.authorFlagged === true)).toEqual([true, false, true])
  })

  it('a flagged message flags its author\'s earlier messages that arrive in the same batch (the first version of a conflict comes unflagged)', () => {
    const firstVersion = message(1, { seq: 4, text: 'the meeting is at noon' })
    const secondVersion = message(2, { seq: 4, text: 'the meeting is cancelled', authorFlagged: true })
    const merged = mergeMessages([message(0, { author: hex(9) })], [firstVersion, secondVersion])
    expect(merged.map(m => m.authorFlagged === true)).toEqual([false, true, true])
  })
  it('replaces what is held with a window far back, which takes no live message newer than its end (that would leave a gap)', () => {
    actions().messagesLoaded(hex(1), [message(90), message(91)], true)
    actions().messagesWindowLoaded(hex(1), [message(10), message(11), message(12)], { hasMore: true, hasNewer: true })
    expect(ids(useAppStore.getState().messages.get(hex(1))!.list)).toEqual(ids([message(10), message(11), message(12)]))
    actions().messageReceived(message(95))
    actions().messagesReceived([message(96), message(11, { text: 'synced late' }), message(5)])
    const held = useAppStore.getState().messages.get(hex(1))!
    expect(ids(held.list)).toEqual(ids([message(5), message(10), message(11), message(12)]))
    expect(held.list[2]?.text).toBe('synced late')
    actions().newerMessagesLoaded(hex(1), [message(13), message(14)], false)
    actions().messageReceived(message(95))
    expect(ids(useAppStore.getState().messages.get(hex(1))!.list)).toEqual(ids([5, 10, 11, 12, 13, 14, 95].map(n => message(n))))
    expect(useAppStore.getState().messages.get(hex(1))?.hasNewer).toBe(false)
  })
})
