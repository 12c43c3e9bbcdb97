import { useEffect } from 'react'
import { useAppStore } from '../store/store.ts'
import type { ThemePreference } from '../store/ui.ts'

const STORAGE_KEY = 'bitchat.theme'

export function storedTheme (): ThemePreference {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return value === 'light' || value === 'dark' ? value : 'system'
  } catch {
    return 'system'
  }
}

/** Puts the theme on <html> (CSS follows prefers-color-scheme unless overridden) and remembers the choice. */
export function useTheme (): void {
  const theme = useAppStore(s => s.theme)
  useEffect(() => {
    document.documentElement.dataset.theme = theme
    try {
      localStorage.setItem(STORAGE_KEY, theme)
    } catch {
      // Storage can be disabled; the theme then lasts for this window only.
    }
  }, [theme])
}
