// What the sender sees of one of their messages: sending, sent, delivered to some members, read by some,
// counted from each member's receipt (how far they hold and have read our messages, PROTOCOL §4.5).
import type { Hex, MessageInfo } from '../../../core/api/contract.ts'

/** How far one member holds and has read our messages in a channel: our seqs there. */
export interface ReceiptPosition { delivered: number; read: number }

export type MarkState = 'sending' | 'sent' | 'delivered' | 'read'

export interface StateMark { state: MarkState; deliveredTo: number; readBy: number }

/** Members whose receipt reaches our message `seq`: they hold it, and of those, have read it. */
export function countReceipts (positions: Iterable<ReceiptPosition>, seq: number): { deliveredTo: number; readBy: number } {
  let deliveredTo = 0
  let readBy = 0
  for (const p of positions) {
    if (p.delivered >= seq) deliveredTo++
    if (p.read >= seq) readBy++
  }
  return { deliveredTo, readBy }
}

/**
 * The state of one of our messages from the core's figures when it listed the message and the
 * counts from receipts heard since (`countReceipts`): positions only go up, so the larger of each is the fresher.
 */
export function markOf (message: Pick<MessageInfo, 'deliveredTo' | 'readBy'>, counted: { deliveredTo: number; readBy: number }): StateMark {
  const readBy = Math.max(message.readBy ?? 0, counted.readBy)
  // A reader holds the message, whatever the order its receipts arrived in.
  const deliveredTo = Math.max(message.deliveredTo ?? 0, counted.deliveredTo, readBy)
  const state: MarkState = readBy > 0 ? 'read' : deliveredTo > 0 ? 'delivered' : 'sent'
  return { state, deliveredTo, readBy }
}

/**
 * How many other members a message could reach, as honestly as what is known allows: everyone
 * listed when the members list is known, else those connected now; never fewer than those who hold it.
 */
export function memberTotal (known: { members?: number | undefined; peerCount: number }, holders: number): number {
  return Math.max(known.members ?? known.peerCount, holders)
}

const members = (n: number): string => `${n} ${n === 1 ? 'member' : 'members'}`

/** The mark in words, for screen readers and the tooltip; a private conversation has one other member. */
export function describeMark (mark: StateMark, kind: 'group' | 'private', total: number): string {
  if (mark.state === 'sending') return 'Sending'
  if (mark.state === 'sent') return 'Sent'
  if (kind === 'private') return mark.state === 'read' ? 'Read' : 'Delivered'
  const of = Math.max(total, mark.deliveredTo)
  return mark.state === 'read'
    ? `Read by ${mark.readBy} of ${members(of)}`
    : `Delivered to ${mark.deliveredTo} of ${members(of)}`
}

/** Who of the members with receipts hold a message and who read it (readers first: they hold it too). */
export function whoHolds (positions: ReadonlyMap<Hex, ReceiptPosition>, seq: number): { read: Hex[]; deliveredOnly: Hex[] } {
  const read: Hex[] = []
  const deliveredOnly: Hex[] = []
  for (const [publicKey, p] of positions) {
    if (p.read >= seq) read.push(publicKey)
    else if (p.delivered >= seq) deliveredOnly.push(publicKey)
  }
  return { read, deliveredOnly }
}
