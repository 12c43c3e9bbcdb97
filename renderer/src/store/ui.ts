import type { StateCreator } from 'zustand'
import type { Hex } from '../../../core/api/contract.ts'
import type { ConnectionState } from '../client/types.ts'
import { readAutoLockMinutes, writeAutoLockMinutes } from '../lib/auto-lock.ts'
import type { AppState } from './store.ts'

export type ThemePreference = 'system' | 'light' | 'dark'

export type Dialog =
  | { kind: 'create' }
  | { kind: 'join'; uri?: string }
  | { kind: 'share'; channelId: Hex }
  | { kind: 'leave'; channelId: Hex }
  | { kind: 'settings' }
  | { kind: 'network' }
  /** From a pasted link, a dropped contact file's text, or for a member of a channel (who is known by key already). */
  | { kind: 'add-contact'; link?: string; contactFile?: string; member?: ContactCandidate }
  | { kind: 'contact'; publicKey: Hex; view?: ContactView }
  /** Who holds and who has read one of our messages. */
  | { kind: 'message-details'; channelId: Hex; messageId: Hex }
  /** Asks before one of our messages is deleted for everyone. */
  | { kind: 'delete-message'; channelId: Hex; messageId: Hex }
  /** Every pending invitation, when there are several. */
  | { kind: 'invitations' }
  /** An invite-only channel made for people picked from the address book. */
  | { kind: 'new-group' }
  | { kind: 'invite-people'; channelId: Hex }
  | { kind: 'export-identity' }
  /** Jump to any conversation or person (Ctrl+K). */
  | { kind: 'switcher' }
  /** Search messages in every conversation (Ctrl+Shift+F). */
  | { kind: 'search' }

/** Someone met in a channel, to add as a contact. */
export interface ContactCandidate { publicKey: Hex; name: string; fingerprint: string }

export type ContactView = 'details' | 'verify'

export interface Notice {
  id: number
  tone: 'info' | 'error'
  text: string
  /** The technical wording behind an error, shown on request. */
  detail?: string
}

/** The first message the user had not read when they opened a channel; the divider stays there while they read. */
export interface UnreadMarker {
  channelId: Hex
  messageId: Hex
}

export interface UiState {
  connection: ConnectionState
  activeChannelId: Hex | null
  dialog: Dialog | null
  membersOpen: boolean
  /** The sidebar's contacts section shows its list. */
  contactsOpen: boolean
  /** The sidebar's direct messages section shows its list. */
  directOpen: boolean
  theme: ThemePreference
  unreadMarker: UnreadMarker | null
  drafts: ReadonlyMap<Hex, string>
  notices: readonly Notice[]
  /** The window hides the workspace behind the unlock screen, the identity itself staying open in the core. */
  uiLocked: boolean
  /** Minutes without input before the window locks itself; 0 is never. Kept in this window's storage. */
  autoLockMinutes: number
}

export interface UiActions {
  connectionChanged(state: ConnectionState): void
  channelSelected(channelId: Hex | null): void
  dialogOpened(dialog: Dialog): void
  dialogClosed(): void
  membersToggled(open?: boolean): void
  contactsToggled(open?: boolean): void
  directToggled(open?: boolean): void
  themeChanged(theme: ThemePreference): void
  unreadMarkerSet(marker: UnreadMarker | null): void
  draftChanged(channelId: Hex, text: string): void
  noticePosted(tone: Notice['tone'], text: string, detail?: string): number
  noticeDismissed(id: number): void
  lockSet(locked: boolean): void
  autoLockChanged(minutes: number): void
}

export type UiSlice = UiState & UiActions

// Enough to see a burst of problems without letting a flood of errors cover the window.
const MAX_NOTICES = 4
let nextNoticeId = 1

// Below this width the members panel lies over the conversation (styles.css), so it starts closed there.
const NARROW_WINDOW = '(max-width: 1080px)'
const membersFitBeside = (): boolean => typeof matchMedia !== 'function' || !matchMedia(NARROW_WINDOW).matches
/** Whether the members panel, when open, covers the conversation (then Escape closes it from anywhere). */
export const membersLieOver = (): boolean => !membersFitBeside()

/** Calls `listener` each time the window narrows until the members panel would lie over the conversation. */
export function whenMembersStartLyingOver (listener: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => {}
  const query = matchMedia(NARROW_WINDOW)
  const onChange = (event: { matches: boolean }): void => { if (event.matches) listener() }
  query.addEventListener('change', onChange)
  return () => { query.removeEventListener('change', onChange) }
}

export const initialUiState = (theme: ThemePreference = 'system'): UiState => ({
  connection: 'connecting',
  activeChannelId: null,
  dialog: null,
  membersOpen: membersFitBeside(),
  contactsOpen: true,
  directOpen: true,
  theme,
  unreadMarker: null,
  drafts: new Map(),
  notices: [],
  uiLocked: false,
  autoLockMinutes: readAutoLockMinutes()
})

function withDraft (drafts: ReadonlyMap<Hex, string>, channelId: Hex, text: string): ReadonlyMap<Hex, string> {
  const next = new Map(drafts)
  if (text === '') next.delete(channelId)
  else next.set(channelId, text)
  return next
}

function withNotice (notices: readonly Notice[], notice: Notice): readonly Notice[] {
  return [...notices, notice].slice(-MAX_NOTICES)
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = set => ({
  ...initialUiState(),
  connectionChanged: connection => { set({ connection }) },
  channelSelected: channelId => {
    set(s => s.activeChannelId === channelId ? {} : { activeChannelId: channelId, unreadMarker: null })
  },
  dialogOpened: dialog => { set({ dialog }) },
  dialogClosed: () => { set({ dialog: null }) },
  membersToggled: open => { set(s => ({ membersOpen: open ?? !s.membersOpen })) },
  contactsToggled: open => { set(s => ({ contactsOpen: open ?? !s.contactsOpen })) },
  directToggled: open => { set(s => ({ directOpen: open ?? !s.directOpen })) },
  themeChanged: theme => { set({ theme }) },
  unreadMarkerSet: unreadMarker => { set({ unreadMarker }) },
  draftChanged: (channelId, text) => { set(s => ({ drafts: withDraft(s.drafts, channelId, text) })) },
  noticePosted: (tone, text, detail) => {
    const id = nextNoticeId++
    set(s => ({ notices: withNotice(s.notices, detail === undefined ? { id, tone, text } : { id, tone, text, detail }) }))
    return id
  },
  noticeDismissed: id => { set(s => ({ notices: s.notices.filter(n => n.id !== id) })) },
  // Locking closes any dialog: what it shows (an export's passphrase, a contact's notes) must not wait behind the lock.
  lockSet: locked => { set(locked ? { uiLocked: true, dialog: null } : { uiLocked: false }) },
  autoLockChanged: minutes => {
    writeAutoLockMinutes(minutes)
    set({ autoLockMinutes: minutes })
  }
})
