import type { ChannelSummary } from '../../../core/api/contract.ts'
import { Icon } from './Icon.tsx'

function peerLabel (count: number): string {
  if (count === 0) return 'no peers connected'
  return count === 1 ? '1 peer connected' : `${count} peers connected`
}

export function ChannelListItem ({ channel, active, onSelect }: { channel: ChannelSummary; active: boolean; onSelect: () => void }) {
  const unread = active ? 0 : channel.unread
  const online = channel.peerCount > 0
  return (
    <li>
      <button type="button" className={`channel-item${active ? ' channel-item--active' : ''}${unread > 0 ? ' channel-item--unread' : ''}`}
        aria-current={active ? 'page' : undefined} onClick={onSelect} data-testid="channel-item"
        title={`${channel.name} — ${peerLabel(channel.peerCount)}`}>
        <span className="channel-item__icon"><Icon name={channel.mode === 'invite' ? 'lock' : 'hash'} size={16} /></span>
        <span className="channel-item__name">{channel.name}</span>
        <span className="visually-hidden">, {channel.mode === 'invite' ? 'invite-only' : 'open'}, {peerLabel(channel.peerCount)}</span>
        {unread > 0 && (
          <span className="badge" data-testid="unread-badge">
            {unread > 99 ? '99+' : unread}<span className="visually-hidden"> unread</span>
          </span>
        )}
        <span className={`presence${online ? ' presence--online' : ''}`} aria-hidden="true" />
      </button>
    </li>
  )
}
