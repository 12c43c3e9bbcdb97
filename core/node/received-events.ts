import type { BitChatEvents, MessageInfo } from '../api/contract.ts'

/** Messages one `message.received` notification carries at most, itself and `more` together. */
export const MAX_MESSAGES_PER_EVENT = 64
/** Text (UTF-16 code units) one notification carries at most, unless a single message is longer. */
export const MAX_TEXT_PER_EVENT = 128 * 1024

/**
 * Groups the messages stored in one batch into as few `message.received` notifications as the
 * bounds allow, in order: a catch-up of thousands costs a notification per 64, not one each,
 * while a lone message keeps the single-message shape older clients know.
 */
export function receivedEvents (messages: readonly MessageInfo[]): Array<BitChatEvents['message.received']> {
  const events: Array<BitChatEvents['message.received']> = []
  let group: MessageInfo[] = []
  let text = 0
  const close = (): void => {
    const [first, ...more] = group
    if (first !== undefined) events.push(more.length === 0 ? first : { ...first, more })
    group = []
    text = 0
  }
  for (const m of messages) {
    if (group.length === MAX_MESSAGES_PER_EVENT || (group.length > 0 && text + m.text.length > MAX_TEXT_PER_EVENT)) close()
    group.push(m)
    text += m.text.length
  }
  close()
  return events
}
