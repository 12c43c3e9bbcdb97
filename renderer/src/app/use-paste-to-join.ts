import { useEffect } from 'react'
import { isInviteLink } from '../lib/invite-link.ts'
import { actions } from '../store/store.ts'

const isEditable = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select') !== null)

/** Pasting a `bitchat:` link while no text field has focus offers to join it. */
export function usePasteToJoin (): void {
  useEffect(() => {
    const onPaste = (event: ClipboardEvent): void => {
      if (isEditable(event.target) || actions().dialog !== null) return
      const text = event.clipboardData?.getData('text/plain').trim() ?? ''
      if (!isInviteLink(text)) return
      event.preventDefault()
      actions().dialogOpened({ kind: 'join', uri: text })
    }
    window.addEventListener('paste', onPaste)
    return () => { window.removeEventListener('paste', onPaste) }
  }, [])
}
