import { useEffect, useId, useRef, type ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { Icon } from './Icon.tsx'

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** Open dialogs, innermost last: only that one answers Escape and Tab. */
const openModals: HTMLElement[] = []

/** What Tab stops at, in order: of a group of radio buttons only the checked one (or the first) is a stop. */
function focusables (dialog: HTMLElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(el => {
    if (el.closest('[inert], [hidden]') !== null) return false
    if (!(el instanceof HTMLInputElement) || el.type !== 'radio' || el.name === '') return true
    const group = [...dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]')].filter(r => r.name === el.name && r.form === el.form)
    return el.checked || (!group.some(r => r.checked) && group[0] === el)
  })
}

/** Where focus goes back to when the control that opened the dialog is gone (a channel left). */
function fallbackFocus (): HTMLElement | null {
  return document.querySelector<HTMLElement>('.composer__input:not([disabled]), [role="log"], .empty-state .button')
}

/**
 * A modal dialog: focus moves in and is kept there, Escape closes, focus returns where it came
 * from. Keys are heard on the document, not only inside: when the focused control disappears
 * or turns disabled the browser drops focus onto the page, and Escape and Tab must still work.
 */
export function Modal ({ title, description, onClose, children, size = 'normal' }: {
  title: ReactNode
  description?: ReactNode
  onClose: () => void
  children: ReactNode
  size?: 'normal' | 'wide' | 'large'
}) {
  const id = useId()
  const ref = useRef<HTMLDivElement>(null)
  const close = useRef(onClose)
  close.current = onClose

  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    openModals.push(dialog)
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>('input, textarea, select') ?? dialog
    first.focus()

    const onKeyDown = (event: KeyboardEvent): void => {
      if (openModals.at(-1) !== dialog || event.defaultPrevented) return
      if (event.key === 'Escape') {
        event.preventDefault()
        close.current()
        return
      }
      if (event.key !== 'Tab') return
      const list = focusables(dialog)
      const head = list[0]
      const tail = list[list.length - 1]
      const active = document.activeElement
      if (head === undefined || tail === undefined) {
        event.preventDefault()
        dialog.focus()
      } else if (!dialog.contains(active) || active === dialog) {
        event.preventDefault()
        ;(event.shiftKey ? tail : head).focus()
      } else if (event.shiftKey && active === head) {
        event.preventDefault()
        tail.focus()
      } else if (!event.shiftKey && active === tail) {
        event.preventDefault()
        head.focus()
      }
    }
    // A focused control removed or disabled leaves focus on the page: keep it in the dialog.
    const recapture = (): void => {
      if (openModals.at(-1) !== dialog) return
      const active = document.activeElement
      if (active === null || active === document.body || (active instanceof HTMLButtonElement && active.disabled)) dialog.focus()
    }
    // Whatever else moves focus behind the dialog (a click on the page, a Tab stop counted wrong) is brought back.
    const onFocusIn = (event: FocusEvent): void => {
      if (openModals.at(-1) !== dialog || !(event.target instanceof Node) || dialog.contains(event.target)) return
      ;(focusables(dialog)[0] ?? dialog).focus()
    }
    const watcher = new MutationObserver(recapture)
    watcher.observe(dialog, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] })
    document.addEventListener('keydown', onKeyDown)
    document.addEventListener('focusin', onFocusIn)
    return () => {
      document.removeEventListener('keydown', onKeyDown)
      document.removeEventListener('focusin', onFocusIn)
      watcher.disconnect()
      openModals.splice(openModals.indexOf(dialog), 1)
      const target = previous?.isConnected === true ? previous : fallbackFocus()
      target?.focus()
    }
  }, [])

  return createPortal(
    <div className="modal-backdrop" onMouseDown={event => { if (event.target === event.currentTarget) onClose() }}>
      <div ref={ref} className={`modal${size === 'normal' ? '' : ` modal--${size}`}`} role="dialog" aria-modal="true"
        aria-labelledby={`${id}-title`} aria-describedby={description !== undefined ? `${id}-desc` : undefined} tabIndex={-1}>
        <header className="modal__header">
          <h2 className="modal__title" id={`${id}-title`}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}><Icon name="close" /></button>
        </header>
        {description !== undefined && <p className="modal__description" id={`${id}-desc`}>{description}</p>}
        <div className="modal__body">{children}</div>
      </div>
    </div>,
    document.body
  )
}
