import type { Hex } from '../../../core/api/contract.ts'
import { useChannelPeople } from '../app/use-channel-people.ts'
import { typingWords } from '../lib/typing-words.ts'
import { NOBODY_TYPING } from '../store/typing.ts'
import { useAppStore } from '../store/store.ts'

/** Who is typing in the conversation, named as it names them (your name for a contact); blocked people never show. */
export function TypingIndicator ({ channelId }: { channelId: Hex }) {
  const typing = useAppStore(s => s.typing.get(channelId)) ?? NOBODY_TYPING
  const people = useChannelPeople(channelId)
  const names = typing.flatMap(k => {
    const label = people.get(k)
    if (label?.blocked === true) return []
    return [label?.name ?? 'Someone']
  })
  const words = typingWords(names)
  return (
    <div className="typing-indicator" data-testid="typing-indicator" role="status" aria-live="polite">
      {words !== null && <><span className="typing-indicator__dots" aria-hidden="true"><span /><span /><span /></span>{words}</>}
    </div>
  )
}
