import type { ChannelSummary } from '../../../core/api/contract.ts'
import { modeLabel, peerCountLabel } from '../lib/channel-labels.ts'
import { actions, useAppStore } from '../store/store.ts'
import { ChannelModeIcon, PresenceDot } from './ChannelGlyphs.tsx'
import { FindButton } from './FindButton.tsx'
import { Icon } from './Icon.tsx'
import { MuteButton } from './MuteButton.tsx'

export function ConversationHeader ({ channel }: { channel: ChannelSummary }) {
  const membersOpen = useAppStore(s => s.membersOpen)
  const notMember = channel.access === 'not-member'
  return (
    <header className="conversation__header">
      <div className="conversation__title">
        <h1 className="conversation__name">
          <ChannelModeIcon mode={channel.mode} size={18} />
          <span dir="auto">{channel.name}</span>
        </h1>
        <p className="conversation__status">
          <span className="conversation__presence">
            <PresenceDot online={channel.peerCount > 0} />
            <span className="conversation__peers" data-testid="peer-status">{notMember ? 'Not a member' : peerCountLabel(channel.peerCount, 'Looking for peers…')}</span>
          </span>
          {channel.peerCount === 0 && !notMember && (
            <button type="button" className="link-button" onClick={() => { actions().dialogOpened({ kind: 'network' }) }}>Troubleshoot</button>
          )}
          <span className="conversation__mode">{modeLabel(channel.mode)}</span>
        </p>
      </div>
      <div className="conversation__actions" role="toolbar" aria-label="Channel actions">
        {!notMember && <FindButton />}
        <button type="button" className="button button--small" title="Invite people"
          onClick={() => { actions().dialogOpened({ kind: 'share', channelId: channel.channelId }) }}>
          <Icon name="share" size={16} /> <span className="button__label">Invite</span>
        </button>
        <MuteButton channel={channel} />
        <button type="button" className="icon-button" aria-label="Members" aria-pressed={membersOpen}
          aria-controls="members-panel" onClick={() => { actions().membersToggled() }}>
          <Icon name="users" />
        </button>
        <button type="button" className="icon-button" aria-label="Leave channel"
          onClick={() => { actions().dialogOpened({ kind: 'leave', channelId: channel.channelId }) }}>
          <Icon name="leave" />
        </button>
      </div>
    </header>
  )
}
