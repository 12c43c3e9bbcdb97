import type { ChannelSummary, Hex } from '../../../core/api/contract.ts'
import { lastMessagePreview } from '../lib/last-message.ts'
import { privatePeerName, type PrivatePeer } from '../lib/private-conversation.ts'
import { shownUnread } from '../store/channels.ts'
import { useAppStore } from '../store/store.ts'
import { Avatar } from './Avatar.tsx'
import { PresenceDot } from './ChannelGlyphs.tsx'
import { useConversationMenu } from './ConversationMenu.tsx'
import { UnreadBadges } from './UnreadBadges.tsx'
import { VerifiedBadge } from './PersonBadges.tsx'

/** A private conversation in the sidebar, shown as the person: their avatar and name, whether they are online. */
export function DirectMessageItem ({ channel, peer, activeId, onSelect }: { channel: ChannelSummary; peer: PrivatePeer; activeId: Hex | null; onSelect: () => void }) {
  const contact = useAppStore(s => s.contacts.get(peer.publicKey))
  const name = useAppStore(s => privatePeerName(peer, s.contacts))
  const preview = useAppStore(s => channel.last === undefined ? null : lastMessagePreview(channel.last, s.contacts, false))
  const active = channel.channelId === activeId
  const { onContextMenu, menu } = useConversationMenu(channel)
  const unread = shownUnread(channel, activeId)
  const online = channel.peerCount > 0
  return (
    <li>
      <button type="button" className={`channel-item dm-item${active ? ' channel-item--active' : ''}${unread > 0 && (channel.muted !== true || (channel.unreadMentions ?? 0) > 0) ? ' channel-item--unread' : ''}${channel.muted === true ? ' channel-item--muted' : ''}`}
        aria-current={active ? 'page' : undefined} onClick={onSelect} onContextMenu={onContextMenu} data-testid="dm-item"
        title={`${name} — ${online ? 'online' : 'offline'}`}>
        <Avatar name={name} publicKey={peer.publicKey} size="xs" />
        <span className="channel-item__text">
          <span className="channel-item__title">
            <bdi className="channel-item__name" dir="auto">{name}</bdi>
            {contact?.verified === true && <VerifiedBadge />}
          </span>
          {preview !== null && <span className="channel-item__preview" dir="auto" data-testid="last-message">{preview}</span>}
        </span>
        <span className="visually-hidden">, {online ? 'online' : 'offline'}</span>
        <UnreadBadges channel={channel} activeId={activeId} />
        <PresenceDot online={online} />
      </button>
      {menu}
    </li>
  )
}
