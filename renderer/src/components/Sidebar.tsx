import { useMemo } from 'react'
import { useClient } from '../app/client-context.ts'
import { openChannel } from '../app/commands.ts'
import { NETWORK_SHORTCUT_ARIA, NETWORK_SHORTCUT_LABEL } from '../app/use-network-shortcut.ts'
import { SEARCH_SHORTCUT_ARIA, SEARCH_SHORTCUT_LABEL, SWITCHER_SHORTCUT_ARIA, SWITCHER_SHORTCUT_LABEL } from '../app/use-search-shortcuts.ts'
import { sortChannels } from '../store/channels.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Avatar } from './Avatar.tsx'
import { ChannelListItem } from './ChannelListItem.tsx'
import { ContactsSection } from './ContactsSection.tsx'
import { DirectMessagesSection } from './DirectMessagesSection.tsx'
import { Icon } from './Icon.tsx'
import { Logo } from './Logo.tsx'

export function Sidebar () {
  const client = useClient()
  const channelMap = useAppStore(s => s.channels)
  const activeChannelId = useAppStore(s => s.activeChannelId)
  const identity = useAppStore(s => s.identityStatus?.identity)
  const channels = useMemo(() => sortChannels(channelMap), [channelMap])

  return (
    <nav className="sidebar" aria-label="Channels">
      <header className="sidebar__header">
        <Logo size={28} />
        <span className="sidebar__brand">BitChat</span>
        <button type="button" className="icon-button sidebar__search" aria-label="Search messages" aria-keyshortcuts={SEARCH_SHORTCUT_ARIA}
          title={`Search messages (${SEARCH_SHORTCUT_LABEL})`} onClick={() => { actions().dialogOpened({ kind: 'search' }) }}>
          <Icon name="search" />
        </button>
      </header>
      <button type="button" className="jump-to" aria-keyshortcuts={SWITCHER_SHORTCUT_ARIA} onClick={() => { actions().dialogOpened({ kind: 'switcher' }) }}>
        <Icon name="search" size={16} /> <span className="jump-to__label">Jump to…</span> <kbd>{SWITCHER_SHORTCUT_LABEL}</kbd>
      </button>
      <div className="sidebar__actions">
        <button type="button" className="button button--primary button--small" onClick={() => { actions().dialogOpened({ kind: 'create' }) }}>
          <Icon name="plus" size={16} /> New channel
        </button>
        <button type="button" className="button button--small" onClick={() => { actions().dialogOpened({ kind: 'join' }) }}>
          <Icon name="link" size={16} /> Join
        </button>
      </div>
      <div className="sidebar__lists">
        <h2 className="sidebar__section" id="channel-list-heading">Channels</h2>
        {channels.length === 0
          ? <p className="sidebar__empty">No channels yet.</p>
          : (
            <ul className="channel-list" aria-labelledby="channel-list-heading">
              {channels.map(channel => (
                <ChannelListItem key={channel.channelId} channel={channel} activeId={activeChannelId}
                  onSelect={() => { void openChannel(client, channel.channelId) }} />
              ))}
            </ul>
          )}
        <DirectMessagesSection />
        <ContactsSection />
      </div>
      {identity !== undefined && (
        <footer className="sidebar__footer">
          <Avatar name={identity.name} publicKey={identity.publicKey} size="sm" />
          <span className="sidebar__me">
            <span className="sidebar__me-name" dir="auto">{identity.name}</span>
            <span className="sidebar__me-fingerprint" title={identity.fingerprint}>{identity.fingerprint}</span>
          </span>
          <button type="button" className="icon-button" aria-label="Network status" aria-keyshortcuts={NETWORK_SHORTCUT_ARIA}
            title={`Network status (${NETWORK_SHORTCUT_LABEL})`} onClick={() => { actions().dialogOpened({ kind: 'network' }) }}>
            <Icon name="network" />
          </button>
          <button type="button" className="icon-button" aria-label="Settings" onClick={() => { actions().dialogOpened({ kind: 'settings' }) }}>
            <Icon name="settings" />
          </button>
        </footer>
      )}
    </nav>
  )
}
