import { useMemo } from 'react'
import { useClient } from '../app/client-context.ts'
import { openChannel } from '../app/commands.ts'
import { privatePeerOf } from '../lib/private-conversation.ts'
import { sortDirectMessages } from '../store/channels.ts'
import { actions, useAppStore } from '../store/store.ts'
import { DirectMessageItem } from './DirectMessageItem.tsx'
import { Icon } from './Icon.tsx'

/** Private conversations in the sidebar, between the channels and the contacts: collapsible, as the contacts are. */
export function DirectMessagesSection () {
  const client = useClient()
  const channelMap = useAppStore(s => s.channels)
  const contacts = useAppStore(s => s.contacts)
  const activeChannelId = useAppStore(s => s.activeChannelId)
  const open = useAppStore(s => s.directOpen)
  const conversations = useMemo(() => sortDirectMessages(channelMap, contacts, activeChannelId), [channelMap, contacts, activeChannelId])
  const unread = conversations.reduce((sum, c) => sum + (c.channelId === activeChannelId ? 0 : c.unread), 0)
  return (
    <section className="sidebar-dms" aria-labelledby="dm-list-heading">
      <div className="sidebar__section-row">
        <h2 className="sidebar__section sidebar__section--toggle" id="dm-list-heading">
          <button type="button" className="section-toggle" aria-expanded={open} aria-controls="dm-list"
            onClick={() => { actions().directToggled() }}>
            <Icon name="chevron-down" size={14} />Direct messages
            {!open && unread > 0 && <span className="section-toggle__count"> ({unread} unread)</span>}
          </button>
        </h2>
      </div>
      <div id="dm-list" hidden={!open}>
        {conversations.length === 0
          ? <p className="sidebar__empty sidebar__empty--contacts">No private conversations yet. Use “Message” on someone in a channel’s members or in your contacts.</p>
          : (
            <ul className="channel-list" aria-labelledby="dm-list-heading">
              {conversations.map(channel => {
                const peer = privatePeerOf(channel)
                return peer === undefined
                  ? null
                  : <DirectMessageItem key={channel.channelId} channel={channel} peer={peer} activeId={activeChannelId}
                    onSelect={() => { void openChannel(client, channel.channelId) }} />
              })}
            </ul>
          )}
      </div>
    </section>
  )
}
