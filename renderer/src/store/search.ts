import type { StateCreator } from 'zustand'
import type { Hex } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

/**
 * A message the conversation is asked to show (a search result chosen, a match of find in the
 * conversation): its list scrolls to it once it is loaded and highlights it, for a moment or,
 * `held`, until the request is cleared. `serial` tells a second request for the same message from the first.
 */
export interface MessageFocus {
  channelId: Hex
  messageId: Hex
  held: boolean
  serial: number
}

export interface SearchState {
  messageFocus: MessageFocus | null
  /** Find in the open conversation (Ctrl+F) shows its bar. */
  findOpen: boolean
}

export interface SearchActions {
  messageFocused(channelId: Hex, messageId: Hex, held?: boolean): void
  messageFocusCleared(): void
  findToggled(open: boolean): void
}

export type SearchSlice = SearchState & SearchActions

export const initialSearchState = (): SearchState => ({ messageFocus: null, findOpen: false })

let nextSerial = 1

export const createSearchSlice: StateCreator<AppState, [], [], SearchSlice> = set => ({
  ...initialSearchState(),
  messageFocused: (channelId, messageId, held = false) => { set({ messageFocus: { channelId, messageId, held, serial: nextSerial++ } }) },
  messageFocusCleared: () => { set(s => s.messageFocus === null ? {} : { messageFocus: null }) },
  findToggled: open => { set(s => open ? { findOpen: true } : { findOpen: false, messageFocus: s.messageFocus?.held === true ? null : s.messageFocus }) }
})
