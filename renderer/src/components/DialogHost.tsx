import { useAppStore } from '../store/store.ts'
import { AddContactDialog } from './AddContactDialog.tsx'
import { ContactDialog } from './ContactDialog.tsx'
import { CreateChannelDialog } from './CreateChannelDialog.tsx'
import { DeleteMessageDialog } from './DeleteMessageDialog.tsx'
import { ExportIdentityDialog } from './ExportIdentityDialog.tsx'
import { InvitationsDialog } from './InvitationsDialog.tsx'
import { InvitePeopleDialog } from './InvitePeopleDialog.tsx'
import { JoinChannelDialog } from './JoinChannelDialog.tsx'
import { LeaveChannelDialog } from './LeaveChannelDialog.tsx'
import { MessageDetailsDialog } from './MessageDetailsDialog.tsx'
import { NetworkPanel } from './NetworkPanel.tsx'
import { NewGroupDialog } from './NewGroupDialog.tsx'
import { QuickSwitcher } from './QuickSwitcher.tsx'
import { SearchDialog } from './SearchDialog.tsx'
import { SettingsDialog } from './SettingsDialog.tsx'
import { ShareChannelDialog } from './ShareChannelDialog.tsx'

export function DialogHost () {
  const dialog = useAppStore(s => s.dialog)
  if (dialog === null) return null
  switch (dialog.kind) {
    case 'create': return <CreateChannelDialog />
    case 'join': return <JoinChannelDialog initialUri={dialog.uri} />
    case 'share': return <ShareChannelDialog key={dialog.channelId} channelId={dialog.channelId} />
    case 'leave': return <LeaveChannelDialog channelId={dialog.channelId} />
    case 'settings': return <SettingsDialog />
    case 'network': return <NetworkPanel />
    case 'add-contact': return <AddContactDialog key={dialog.contactFile ?? dialog.link ?? dialog.member?.publicKey ?? ''} initialLink={dialog.link} initialFile={dialog.contactFile} member={dialog.member} />
    case 'contact': return <ContactDialog key={dialog.publicKey} publicKey={dialog.publicKey} initialView={dialog.view} />
    case 'delete-message': return <DeleteMessageDialog key={dialog.messageId} channelId={dialog.channelId} messageId={dialog.messageId} />
    case 'invitations': return <InvitationsDialog />
    case 'export-identity': return <ExportIdentityDialog />
    case 'new-group': return <NewGroupDialog />
    case 'invite-people': return <InvitePeopleDialog key={dialog.channelId} channelId={dialog.channelId} />
    case 'switcher': return <QuickSwitcher />
    case 'search': return <SearchDialog />
    case 'message-details': return <MessageDetailsDialog key={dialog.messageId} channelId={dialog.channelId} messageId={dialog.messageId} />
  }
}
