import type { MessageInfo } from '../../../core/api/contract.ts'
import { dayKey } from './time.ts'

export type Row =
  | { kind: 'history'; key: string; complete: boolean }
  | { kind: 'day'; key: string; timestamp: number }
  | { kind: 'unread'; key: string }
  /**
   * `conflicting`: the author signed another, different message under the same number (both are shown);
   * `sending`: one of ours the core has not answered for yet.
   */
  | { kind: 'message'; key: string; message: MessageInfo; continued: boolean; conflicting: boolean; sending: boolean }

// Consecutive messages by one author within this gap share a single name/avatar header.
const GROUP_GAP_MS = 5 * 60_000

/**
 * Flattens a sorted message list into the rows the list renders: day separators, the unread
 * divider, messages, and last those of ours still being sent (`sending`, keyed by their local ids).
 */
export function buildRows (messages: readonly MessageInfo[], firstUnreadId: string | null, sending: readonly MessageInfo[] = []): Row[] {
  const rows: Row[] = []
  const versions = new Map<string, number>()
  for (const m of messages) if (m.authorFlagged === true) versions.set(`${m.author}:${m.seq}`, (versions.get(`${m.author}:${m.seq}`) ?? 0) + 1)
  let lastDay = ''
  let previous: MessageInfo | undefined
  const all = sending.length === 0 ? messages : [...messages, ...sending]
  for (let i = 0; i < all.length; i++) {
    const message = all[i]!
    const day = dayKey(message.timestamp)
    let breakGroup = false
    if (day !== lastDay) {
      rows.push({ kind: 'day', key: `day:${day}`, timestamp: message.timestamp })
      lastDay = day
      breakGroup = true
    }
    if (message.messageId === firstUnreadId) {
      rows.push({ kind: 'unread', key: 'unread' })
      breakGroup = true
    }
    const continued = !breakGroup && previous !== undefined &&
      previous.author === message.author && message.timestamp - previous.timestamp < GROUP_GAP_MS
    const conflicting = (versions.get(`${message.author}:${message.seq}`) ?? 0) > 1
    rows.push({ kind: 'message', key: message.messageId, message, continued, conflicting, sending: i >= messages.length })
    previous = message
  }
  return rows
}

/** A first guess at a row's height until it is measured, so the scrollbar is roughly right from the start. */
export function estimateRowHeight (row: Row): number {
  if (row.kind === 'history') return row.complete ? 96 : 40
  if (row.kind === 'day') return 44
  if (row.kind === 'unread') return 36
  const lines = Math.max(1, Math.ceil(row.message.text.length / 70)) + (row.message.text.match(/\n/g)?.length ?? 0)
  const extras = (row.conflicting ? 20 : 0) + (row.message.replyTo === undefined ? 0 : 44) + ((row.message.reactions?.length ?? 0) > 0 ? 30 : 0)
  return (row.continued ? 8 : 30) + lines * 21 + 14 + extras
}
