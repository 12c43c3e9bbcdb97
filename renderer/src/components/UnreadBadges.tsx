import type { ChannelSummary, Hex } from '../../../core/api/contract.ts'
import { shownUnread } from '../store/channels.ts'
import { Icon } from './Icon.tsx'

/**
 * A sidebar item's end: the unread count (subdued in a muted conversation, which does not call for
 * attention), an '@' while messages mentioning you are unread, and the muted glyph.
 */
export function UnreadBadges ({ channel, activeId }: { channel: ChannelSummary; activeId: Hex | null }) {
  const unread = shownUnread(channel, activeId)
  const mentions = channel.channelId === activeId ? 0 : channel.unreadMentions ?? 0
  const muted = channel.muted === true
  return (
    <>
      {muted && <span className="channel-item__muted" title="Muted" data-testid="muted-glyph"><Icon name="bell-off" size={14} /><span className="visually-hidden">, muted</span></span>}
      {mentions > 0 && (
        <span className="badge badge--mention" data-testid="mention-badge" title={mentions === 1 ? 'A message mentions you' : `${mentions} messages mention you`}>
          @<span className="visually-hidden"> {mentions === 1 ? 'one mention of you' : `${mentions} mentions of you`}</span>
        </span>
      )}
      {unread > 0 && (
        <span className={`badge${muted ? ' badge--muted' : ''}`} data-testid="unread-badge">
          {unread > 99 ? '99+' : unread}<span className="visually-hidden"> unread</span>
        </span>
      )}
    </>
  )
}
