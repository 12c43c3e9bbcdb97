import { create } from 'zustand'
import { createChannelsSlice, initialChannelsState, type ChannelsSlice } from './channels.ts'
import { createComposeSlice, initialComposeState, type ComposeSlice } from './compose.ts'
import { createContactsSlice, initialContactsState, type ContactsSlice } from './contacts.ts'
import { createIdentitySlice, initialIdentityState, type IdentitySlice } from './identity.ts'
import { createInvitationsSlice, initialInvitationsState, type InvitationsSlice } from './invitations.ts'
import { createMembersSlice, initialMembersState, type MembersSlice } from './members.ts'
import { createMessagesSlice, initialMessagesState, type MessagesSlice } from './messages.ts'
import { createNetworkSlice, initialNetworkState, type NetworkSlice } from './network.ts'
import { createPeersSlice, initialPeersState, type PeersSlice } from './peers.ts'
import { createSearchSlice, initialSearchState, type SearchSlice } from './search.ts'
import { createReceiptsSlice, initialReceiptsState, type ReceiptsSlice } from './receipts.ts'
import { createSendingSlice, initialSendingState, type SendingSlice } from './sending.ts'
import { createSettingsSlice, initialSettingsState, type SettingsSlice } from './settings.ts'
import { createTypingSlice, initialTypingState, type TypingSlice } from './typing.ts'
import { createUiSlice, initialUiState, type UiSlice } from './ui.ts'

export type AppState = IdentitySlice & ChannelsSlice & ContactsSlice & MessagesSlice & MembersSlice & PeersSlice & UiSlice & SettingsSlice & NetworkSlice & ReceiptsSlice & SendingSlice & ComposeSlice & TypingSlice & InvitationsSlice & SearchSlice

export const useAppStore = create<AppState>()((...a) => ({
  ...createIdentitySlice(...a),
  ...createChannelsSlice(...a),
  ...createContactsSlice(...a),
  ...createMessagesSlice(...a),
  ...createMembersSlice(...a),
  ...createPeersSlice(...a),
  ...createUiSlice(...a),
  ...createSettingsSlice(...a),
  ...createNetworkSlice(...a),
  ...createReceiptsSlice(...a),
  ...createSendingSlice(...a),
  ...createComposeSlice(...a),
  ...createTypingSlice(...a),
  ...createInvitationsSlice(...a),
  ...createSearchSlice(...a)
}))

/** The store's actions, for code outside React (event handlers, commands): no hooks needed. */
export const actions = (): AppState => useAppStore.getState()

/** Back to a blank state with the same action functions; for a fresh session and for tests. */
export function resetAppStore (): void {
  useAppStore.setState({
    ...initialIdentityState(),
    ...initialChannelsState(),
    ...initialContactsState(),
    ...initialMessagesState(),
    ...initialMembersState(),
    ...initialPeersState(),
    ...initialUiState(useAppStore.getState().theme),
    ...initialSettingsState(),
    ...initialNetworkState(),
    ...initialReceiptsState(),
    ...initialSendingState(),
    ...initialComposeState(),
    ...initialTypingState(),
    ...initialInvitationsState(),
    ...initialSearchState()
  })
}
