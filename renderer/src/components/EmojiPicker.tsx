import type { MessageInfo } from '../../../core/api/contract.ts'
import { moveFocus, Popover, type PopoverAnchor } from './Popover.tsx'

/** The reactions most used in chat apps (Signal's own set, with a celebration). */
export const COMMON_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🙏', '🎉'] as const

/** What the picker offers: the reactions already on the message first (to add one's own), then the common ones. */
export function pickerEmoji (message: MessageInfo): string[] {
  const existing = (message.reactions ?? []).map(r => r.emoji)
  return [...new Set([...existing, ...COMMON_EMOJI])]
}

export function EmojiPicker ({ message, anchor, returnFocus, onPick, onClose }: {
  message: MessageInfo
  anchor: PopoverAnchor
  returnFocus?: HTMLElement | null | undefined
  onPick: (emoji: string) => void
  onClose: () => void
}) {
  const mine = message.reactions?.find(r => r.mine)?.emoji
  return (
    <Popover anchor={anchor} onClose={onClose} returnFocus={returnFocus} label="React with" role="dialog" className="emoji-picker">
      <div className="emoji-picker__row" onKeyDown={e => { moveFocus(e) }}>
        {pickerEmoji(message).map(emoji => (
          <button key={emoji} type="button" className={`emoji-picker__emoji${emoji === mine ? ' emoji-picker__emoji--mine' : ''}`}
            aria-pressed={emoji === mine} aria-label={emoji === mine ? `${emoji}, your reaction: take it back` : `React ${emoji}`}
            onClick={() => { onPick(emoji) }}>
            {emoji}
          </button>
        ))}
      </div>
    </Popover>
  )
}
