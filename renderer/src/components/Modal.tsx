import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { Icon } from './Icon.tsx'

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** A modal dialog: focus moves in and is kept there, Escape closes, focus returns where it came from. */
export function Modal ({ title, description, onClose, children, size = 'normal' }: {
  title: string
  description?: ReactNode
  onClose: () => void
  children: ReactNode
  size?: 'normal' | 'wide' | 'large'
}) {
  const id = useId()
  const ref = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const dialog = ref.current
    const first = dialog?.querySelector<HTMLElement>('[data-autofocus]') ?? dialog?.querySelector<HTMLElement>('input, textarea, select') ?? dialog
    first?.focus()
    return () => { previous?.focus() }
  }, [])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === 'Escape') {
      event.stopPropagation()
      onClose()
      return
    }
    if (event.key !== 'Tab' || ref.current === null) return
    const focusable = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)]
    const first = focusable[0]
    const last = focusable[focusable.length - 1]
    if (first === undefined || last === undefined) return
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }

  return createPortal(
    <div className="modal-backdrop" onMouseDown={event => { if (event.target === event.currentTarget) onClose() }}>
      <div ref={ref} className={`modal${size === 'normal' ? '' : ` modal--${size}`}`} role="dialog" aria-modal="true"
        aria-labelledby={`${id}-title`} aria-describedby={description !== undefined ? `${id}-desc` : undefined}
        tabIndex={-1} onKeyDown={onKeyDown}>
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
