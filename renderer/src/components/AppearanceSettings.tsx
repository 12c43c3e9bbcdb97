import { actions, useAppStore } from '../store/store.ts'
import type { ThemePreference } from '../store/ui.ts'

const OPTIONS: ReadonlyArray<{ value: ThemePreference; label: string }> = [
  { value: 'system', label: 'Match system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' }
]

export function AppearanceSettings () {
  const theme = useAppStore(s => s.theme)
  return (
    <section className="settings-section" aria-labelledby="settings-appearance">
      <h3 className="settings-section__title" id="settings-appearance">Appearance</h3>
      <fieldset className="segmented">
        <legend className="visually-hidden">Theme</legend>
        {OPTIONS.map(option => (
          <label key={option.value} className="segmented__option">
            <input type="radio" name="theme" value={option.value} checked={theme === option.value}
              onChange={() => { actions().themeChanged(option.value) }} />
            <span>{option.label}</span>
          </label>
        ))}
      </fieldset>
    </section>
  )
}
