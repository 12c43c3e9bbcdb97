import type { Settings } from '../../../core/api/contract.ts'
import { SettingsDialog } from '../../../renderer/src/components/SettingsDialog.tsx'
import { actions } from '../../../renderer/src/store/store.ts'
import { FakeCore, ME } from './fake-core.ts'
import { renderWithClient } from './render.tsx'

/** The Settings dialog open, as a person with an identity sees it, over a fake core holding `settings`. */
export function openSettingsDialog (settings: Partial<Settings> = {}): FakeCore {
  const core = new FakeCore()
  core.settings = { ...core.settings, ...settings }
  actions().identityReady(ME)
  actions().settingsLoaded(core.settings)
  actions().dialogOpened({ kind: 'settings' })
  renderWithClient(<SettingsDialog />, core)
  return core
}
