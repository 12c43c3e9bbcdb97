import { FIND_SHORTCUT_ARIA, FIND_SHORTCUT_LABEL } from '../app/use-search-shortcuts.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Icon } from './Icon.tsx'

/** The conversation header's way to find in it (Ctrl+F); pressed while the find bar shows. */
export function FindButton () {
  const open = useAppStore(s => s.findOpen)
  return (
    <button type="button" className="icon-button" aria-label="Find in conversation" aria-pressed={open} aria-keyshortcuts={FIND_SHORTCUT_ARIA}
      title={`Find in conversation (${FIND_SHORTCUT_LABEL})`} onClick={() => { actions().findToggled(!open) }}>
      <Icon name="search" />
    </button>
  )
}
