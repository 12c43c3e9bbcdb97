// Ctrl+Shift+E (⌘⇧E on macOS) toggles the network panel. Plain Alt+letter would swallow characters
// typed with Option on a Mac, and Ctrl+Shift+N is a browser shortcut a page cannot take over.
import { useEffect } from 'react'
import { actions } from '../store/store.ts'

const isMac = /Mac|iPhone|iPad/.test(navigator.platform)

export const NETWORK_SHORTCUT_LABEL = isMac ? '⌘⇧E' : 'Ctrl+Shift+E'
/** The same, spelled for aria-keyshortcuts. */
export const NETWORK_SHORTCUT_ARIA = isMac ? 'Meta+Shift+E' : 'Control+Shift+E'

function isNetworkShortcut (event: KeyboardEvent): boolean {
  const modifier = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey
  if (!modifier || !event.shiftKey || event.altKey) return false
  // On a non-Latin layout the key is another letter; the physical key is what people learn there.
  return event.key.toLowerCase() === 'e' || (!/^[a-z]$/i.test(event.key) && event.code === 'KeyE')
}

export function useNetworkShortcut (): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!isNetworkShortcut(event)) return
      const { dialog } = actions()
      if (dialog !== null && dialog.kind !== 'network') return
      event.preventDefault()
      if (dialog === null) actions().dialogOpened({ kind: 'network' })
      else actions().dialogClosed()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => { window.removeEventListener('keydown', onKeyDown) }
  }, [])
}
