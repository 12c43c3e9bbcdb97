import { useEffect } from 'react'
import { isContactLink } from '../lib/contact-link.ts'
import { isInviteLink } from '../lib/invite-link.ts'
import { actions } from '../store/store.ts'

const isEditable = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select') !== null)

/** Pasting a `bitchat:` link while no text field has focus offers to join it, or, for a contact link, to add the contact. */
export function usePasteToJoin (): void {
  useEffect(() => {
    const onPaste = (event: ClipboardEvent): void => {
      if (isEditable(event.target) || actions().dialog !== null) return
      const text = event.clipboardData?.getData('text/plain').trim() ?? ''
      if (!isInviteLink(text)) return
      event.preventDefault()
      actions().dialogOpened(isContactLink(text) ? { kind: 'add-contact', link: text } : { kind: 'join', uri: text })
    }
    window.addEventListener('paste', onPaste)
    return () => { window.removeEventListener('paste', onPaste) }
  }, [])
}
