// Ctrl+K (⌘K on macOS) jumps to any conversation or person; Ctrl+Shift+F (⌘⇧F) searches every
// conversation; Ctrl+F (⌘F) finds in the open one. Each pressed again while its dialog is open closes it.
import { useEffect } from 'react'
import { actions } from '../store/store.ts'

const isMac = /Mac|iPhone|iPad/.test(navigator.platform)

export const SWITCHER_SHORTCUT_LABEL = isMac ? '⌘K' : 'Ctrl+K'
export const SWITCHER_SHORTCUT_ARIA = isMac ? 'Meta+K' : 'Control+K'
export const SEARCH_SHORTCUT_LABEL = isMac ? '⌘⇧F' : 'Ctrl+Shift+F'
export const SEARCH_SHORTCUT_ARIA = isMac ? 'Meta+Shift+F' : 'Control+Shift+F'
export const FIND_SHORTCUT_LABEL = isMac ? '⌘F' : 'Ctrl+F'
export const FIND_SHORTCUT_ARIA = isMac ? 'Meta+F' : 'Control+F'

/** Whether `event` is the platform's command key with `letter` (and Shift when `shift`), whatever the keyboard layout. */
export function isCommandKey (event: KeyboardEvent, letter: string, shift = false): boolean {
  const modifier = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey
  if (!modifier || event.shiftKey !== shift || event.altKey) return false
  // On a non-Latin layout the key is another letter; the physical key is what people learn there.
  return event.key.toLowerCase() === letter || (!/^[a-z]$/i.test(event.key) && event.code === `Key${letter.toUpperCase()}`)
}

function toggle (kind: 'switcher' | 'search'): void {
  const { dialog } = actions()
  if (dialog === null) actions().dialogOpened({ kind })
  else if (dialog.kind === kind) actions().dialogClosed()
}

export function useSearchShortcuts (): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const { dialog, activeChannelId, findOpen, uiLocked } = actions()
      if (uiLocked) return
      if (isCommandKey(event, 'k')) {
        if (dialog !== null && dialog.kind !== 'switcher') return
        event.preventDefault()
        toggle('switcher')
      } else if (isCommandKey(event, 'f', true)) {
        if (dialog !== null && dialog.kind !== 'search') return
        event.preventDefault()
        toggle('search')
      } else if (isCommandKey(event, 'f')) {
        // An open find bar takes its own Ctrl+F (back to its field); a dialog keeps the key to itself.
        if (dialog !== null || activeChannelId === null || findOpen) return
        event.preventDefault()
        actions().findToggled(true)
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => { window.removeEventListener('keydown', onKeyDown) }
  }, [])
}
