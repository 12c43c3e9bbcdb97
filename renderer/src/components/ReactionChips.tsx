import type { MessageInfo, Reaction } from '../../../core/api/contract.ts'
import { useMessageList } from '../app/message-list-context.ts'

const MAX_NAMED = 10

/** "Alice, Bob and you": who reacted so, as this conversation names them. */
export function reactedBy (reaction: Reaction, nameOf: (publicKey: string) => string | undefined, me: string | undefined): string {
  const names = reaction.by.filter(k => k !== me).map(k => nameOf(k) ?? 'someone')
  const others = Math.max(0, reaction.count - (reaction.mine ? 1 : 0) - names.length)
  const shown = names.slice(0, MAX_NAMED)
  const more = others + names.length - shown.length
  const parts = [...(reaction.mine ? ['you'] : []), ...shown, ...(more > 0 ? [`${more} more`] : [])]
  if (parts.length <= 1) return parts[0] ?? ''
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`
}

/** The reactions under a message: emoji and count, ours highlighted; a click adds ours or takes it back. */
export function ReactionChips ({ message, onToggle }: { message: MessageInfo; onToggle: (emoji: string) => void }) {
  const { nameOf, me } = useMessageList()
  const reactions = message.reactions ?? []
  if (reactions.length === 0) return null
  return (
    <ul className="reactions" aria-label="Reactions">
      {reactions.map(r => {
        const who = reactedBy(r, nameOf, me)
        return (
          <li key={r.emoji}>
            <button type="button" className={`reaction${r.mine ? ' reaction--mine' : ''}`} aria-pressed={r.mine} data-testid="reaction"
              title={`${r.emoji} by ${who}${r.mine ? ' (click to take yours back)' : ''}`}
              aria-label={`${r.emoji} ${r.count}: ${who}`} onClick={() => { onToggle(r.emoji) }}>
              <span className="reaction__emoji" aria-hidden="true">{r.emoji}</span>
              <span className="reaction__count" aria-hidden="true">{r.count}</span>
            </button>
          </li>
        )
      })}
    </ul>
  )
}
