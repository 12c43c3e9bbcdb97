import { isPrivateConversation } from '../lib/private-conversation.ts'
import { useAppStore } from '../store/store.ts'
import { useLock } from '../app/lock.ts'
import { useChannelShortcuts } from '../app/use-channel-shortcuts.ts'
import { useNetworkShortcut } from '../app/use-network-shortcut.ts'
import { usePasteToJoin } from '../app/use-paste-to-join.ts'
import { useSearchShortcuts } from '../app/use-search-shortcuts.ts'
import { Conversation } from './Conversation.tsx'
import { DialogHost } from './DialogHost.tsx'
import { DropZone } from './DropZone.tsx'
import { EmptyState } from './EmptyState.tsx'
import { InvitationsBanner } from './InvitationsBanner.tsx'
import { MembersPanel } from './MembersPanel.tsx'
import { Sidebar } from './Sidebar.tsx'

function skipToConversation (): void {
  document.querySelector<HTMLElement>('.composer__input, .empty-state .button')?.focus()
}

export function Workspace () {
  const channel = useAppStore(s => s.activeChannelId === null ? undefined : s.channels.get(s.activeChannelId))
  const membersOpen = useAppStore(s => s.membersOpen)
  useChannelShortcuts()
  useNetworkShortcut()
  usePasteToJoin()
  useSearchShortcuts()
  useLock()
  // As in Signal, a private conversation has no members list: its header shows the one other person.
  const showMembers = channel !== undefined && membersOpen && !isPrivateConversation(channel)
  return (
    <div className={`workspace${showMembers ? ' workspace--members' : ''}`}>
      {/* A button, not an in-page link: the web UI's address hash carries its access token. */}
      <button type="button" className="skip-link" onClick={skipToConversation}>Skip to conversation</button>
      <Sidebar />
      <main className="workspace__main">
        <InvitationsBanner />
        {channel !== undefined ? <Conversation channel={channel} /> : <EmptyState />}
      </main>
      {showMembers && <MembersPanel channelId={channel.channelId} />}
      <DialogHost />
      <DropZone />
    </div>
  )
}
