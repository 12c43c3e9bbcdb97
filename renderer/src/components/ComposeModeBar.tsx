import type { Hex } from '../../../core/api/contract.ts'
import { leaveComposeMode } from '../app/message-actions.ts'
import { useChannelPeople } from '../app/use-channel-people.ts'
import type { ComposeMode } from '../store/compose.ts'
import { Icon } from './Icon.tsx'

/** Above the composer while it answers a message (its quote) or changes one of ours; Escape or × ends it. */
export function ComposeModeBar ({ channelId, mode }: { channelId: Hex; mode: ComposeMode }) {
  const people = useChannelPeople(channelId)
  const { message } = mode
  const author = message.own ? 'yourself' : people.get(message.author)?.name ?? message.authorName
  const title = mode.kind === 'reply' ? <>Replying to <bdi>{author}</bdi></> : <>Editing your message</>
  return (
    <div className={`compose-mode compose-mode--${mode.kind}`} data-testid="compose-mode">
      <Icon name={mode.kind === 'reply' ? 'reply' : 'edit'} size={16} />
      <div className="compose-mode__body">
        <span className="compose-mode__title">{title}</span>
        <span className="compose-mode__text" dir="auto">{message.text}</span>
      </div>
      <button type="button" className="icon-button icon-button--small" aria-label={mode.kind === 'reply' ? 'Cancel reply' : 'Cancel edit'}
        title="Cancel (Esc)" onClick={() => {
          leaveComposeMode(channelId)
          document.querySelector<HTMLElement>('.composer__input')?.focus()
        }}>
        <Icon name="close" size={16} />
      </button>
    </div>
  )
}
