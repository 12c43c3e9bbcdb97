import type { MessageInfo } from '../../../core/api/contract.ts'
import { countReceipts, describeMark, markOf, memberTotal, type MarkState, type StateMark } from '../lib/message-state.ts'
import { NO_RECEIPTS } from '../store/receipts.ts'
import { actions, useAppStore } from '../store/store.ts'

const SENDING: StateMark = { state: 'sending', deliveredTo: 0, readBy: 0 }

// Signal's marks: a clock while sending, a circled check once sent, two once delivered, two filled once read.
// The second circle stands on a ring of the bubble's colour, so the two stay apart even when filled.
function MarkGlyph ({ state }: { state: MarkState }) {
  const filled = state === 'read'
  const circle = (cx: number) => (
    <circle cx={cx} cy={8} r={6.2} fill={filled ? 'currentColor' : 'var(--bubble-own)'} stroke="currentColor" strokeWidth={1.4} />
  )
  const check = (dx: number) => (
    <path d={`M${dx + 5.2} 8.3l1.9 1.9 3.4-3.9`} fill="none" stroke={filled ? 'var(--bubble-own)' : 'currentColor'}
      strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round" />
  )
  const double = state === 'delivered' || state === 'read'
  return (
    <svg className="state-mark__glyph" width={double ? 22 : 15} height={15} viewBox={double ? '0 0 23.5 16' : '0 0 15.5 16'}
      aria-hidden="true" focusable="false">
      {state === 'sending'
        ? <>{circle(7.75)}<path d="M7.75 4.6V8l2.3 1.5" fill="none" stroke="currentColor" strokeWidth={1.4} strokeLinecap="round" /></>
        : <>{circle(7.75)}{check(0)}{double && <><circle cx={15.75} cy={8} r={7.6} fill="var(--bubble-own)" />{circle(15.75)}{check(8)}</>}</>}
    </svg>
  )
}

/**
 * The state of one of our messages, beside its time. Only the counts for this message are read
 * from the store, so a receipt redraws the marks it changes and nothing else of the list.
 * In a group it opens the message's details: who holds it, who has read it.
 */
export function MessageStateMark ({ message, sending }: { message: MessageInfo; sending: boolean }) {
  const { channelId, seq } = message
  const deliveredNow = useAppStore(s => countReceipts((s.receipts.get(channelId) ?? NO_RECEIPTS).values(), seq).deliveredTo)
  const readNow = useAppStore(s => countReceipts((s.receipts.get(channelId) ?? NO_RECEIPTS).values(), seq).readBy)
  const holdersKnown = useAppStore(s => s.receipts.get(channelId)?.size ?? 0)
  const peerCount = useAppStore(s => s.channels.get(channelId)?.peerCount ?? 0)
  const membersKnown = useAppStore(s => s.members.get(channelId)?.length)
  const kind = useAppStore(s => s.channels.get(channelId)?.kind === 'private' ? 'private' : 'group')

  const mark = sending ? SENDING : markOf(message, { deliveredTo: deliveredNow, readBy: readNow })
  const total = kind === 'private' ? 1 : memberTotal({ members: membersKnown, peerCount }, Math.max(holdersKnown, mark.deliveredTo))
  const words = describeMark(mark, kind, total)

  const className = `state-mark state-mark--${mark.state}`
  if (kind === 'private' || mark.state === 'sending') {
    return (
      <span className={className} title={words} data-testid="message-state" data-state={mark.state}>
        <MarkGlyph state={mark.state} />
        <span className="visually-hidden">{words}</span>
      </span>
    )
  }
  return (
    <button type="button" className={`${className} state-mark--button`} title={`${words}. Show who has it`} aria-haspopup="dialog"
      data-testid="message-state" data-state={mark.state}
      onClick={() => { actions().dialogOpened({ kind: 'message-details', channelId, messageId: message.messageId }) }}>
      <MarkGlyph state={mark.state} />
      <span className="visually-hidden">{words}</span>
    </button>
  )
}
