import type { StateCreator } from 'zustand'
import type { Settings } from '../../../core/api/contract.ts'
import type { AppState } from './store.ts'

export interface SettingsState {
  /** null until fetched from the core. */
  settings: Settings | null
}

export interface SettingsActions {
  settingsLoaded(settings: Settings): void
}

export type SettingsSlice = SettingsState & SettingsActions

export const initialSettingsState = (): SettingsState => ({ settings: null })

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = set => ({
  ...initialSettingsState(),
  settingsLoaded: settings => { set({ settings }) }
})
