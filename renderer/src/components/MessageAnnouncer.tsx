import { useEffect, useRef, useState } from 'react'
import type { Hex } from '../../../core/api/contract.ts'
import { useAppStore } from '../store/store.ts'

// Long messages are cut so a screen reader does not read a wall of text unasked.
const MAX_SPOKEN = 200

/**
 * Speaks messages from others as they arrive in the open channel. The list itself is not a live
 * region: its windowing adds and removes rows while scrolling, which must not be announced.
 */
export function MessageAnnouncer ({ channelId }: { channelId: Hex }) {
  const last = useAppStore(s => s.messages.get(channelId)?.list.at(-1))
  const seen = useRef(last?.messageId)
  const [text, setText] = useState('')

  useEffect(() => {
    if (last === undefined || last.messageId === seen.current) return
    seen.current = last.messageId
    if (!last.own) setText(`${last.authorName}: ${last.text.slice(0, MAX_SPOKEN)}`)
  }, [last])

  return <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">{text}</div>
}
