import type { ChannelSummary, Hex } from '../../../core/api/contract.ts'
import { modeLabel, peerCountLabel } from '../lib/channel-labels.ts'
import { lastMessagePreview } from '../lib/last-message.ts'
import { shownUnread } from '../store/channels.ts'
import { useAppStore } from '../store/store.ts'
import { ChannelModeIcon, PresenceDot } from './ChannelGlyphs.tsx'
import { useConversationMenu } from './ConversationMenu.tsx'
import { UnreadBadges } from './UnreadBadges.tsx'

export function ChannelListItem ({ channel, activeId, onSelect }: { channel: ChannelSummary; activeId: Hex | null; onSelect: () => void }) {
  const active = channel.channelId === activeId
  const { onContextMenu, menu } = useConversationMenu(channel)
  const unread = shownUnread(channel, activeId)
  const peers = peerCountLabel(channel.peerCount, 'no peers connected')
  const preview = useAppStore(s => channel.last === undefined ? null : lastMessagePreview(channel.last, s.contacts, true))
  return (
    <li>
      <button type="button" className={`channel-item${active ? ' channel-item--active' : ''}${unread > 0 && (channel.muted !== true || (channel.unreadMentions ?? 0) > 0) ? ' channel-item--unread' : ''}${channel.muted === true ? ' channel-item--muted' : ''}`}
        aria-current={active ? 'page' : undefined} onClick={onSelect} onContextMenu={onContextMenu} data-testid="channel-item"
        title={`${channel.name} — ${peers}`}>
        <span className="channel-item__icon"><ChannelModeIcon mode={channel.mode} size={16} /></span>
        <span className="channel-item__text">
          <span className="channel-item__name" dir="auto">{channel.name}</span>
          {preview !== null && <span className="channel-item__preview" dir="auto" data-testid="last-message">{preview}</span>}
        </span>
        <span className="visually-hidden">, {modeLabel(channel.mode).toLowerCase()}, {peers}</span>
        <UnreadBadges channel={channel} activeId={activeId} />
        <PresenceDot online={channel.peerCount > 0} />
      </button>
      {menu}
    </li>
  )
}
