import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react'
import { createPortal } from 'react-dom'

/** Where a popover opens: under (or, without room, over) a control, or at a point (a right click). */
export type PopoverAnchor = { element: HTMLElement } | { x: number; y: number }

const MARGIN = 8

function placeAt (anchor: PopoverAnchor, width: number, height: number): { left: number; top: number } {
  const rect = 'element' in anchor ? anchor.element.getBoundingClientRect() : new DOMRect(anchor.x, anchor.y, 0, 0)
  const below = rect.bottom + 4
  const top = below + height <= window.innerHeight - MARGIN ? below : Math.max(MARGIN, rect.top - 4 - height)
  const left = Math.min(Math.max(MARGIN, 'element' in anchor ? rect.right - width : rect.left), window.innerWidth - MARGIN - width)
  return { left: Math.max(MARGIN, left), top }
}

/**
 * A small layer over the page (a menu, the emoji picker), drawn on the body so no scrolling list
 * clips it. Escape, a click elsewhere or the page scrolling closes it; focus then goes back to
 * `returnFocus` (the control that opened it) when it was inside.
 */
export function Popover ({ anchor, onClose, returnFocus, label, role, children, className = '' }: {
  anchor: PopoverAnchor
  onClose: () => void
  returnFocus?: HTMLElement | null | undefined
  label: string
  role: 'menu' | 'dialog'
  children: ReactNode
  className?: string
}) {
  const ref = useRef<HTMLDivElement>(null)
  const close = useRef(onClose)
  close.current = onClose

  // Placed on the element itself before paint: hidden until placed, it could not take focus.
  useLayoutEffect(() => {
    const el = ref.current
    if (el === null) return
    const { left, top } = placeAt(anchor, el.offsetWidth, el.offsetHeight)
    el.style.left = `${left}px`
    el.style.top = `${top}px`
  }, [anchor])

  useEffect(() => {
    const el = ref.current
    if (el === null) return
    ;(el.querySelector<HTMLElement>('[data-autofocus]') ?? el.querySelector<HTMLElement>('button') ?? el).focus()
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return
      event.preventDefault()
      event.stopPropagation()
      close.current()
    }
    const onPointerDown = (event: PointerEvent): void => {
      if (event.target instanceof Node && !el.contains(event.target)) close.current()
    }
    const onScroll = (event: Event): void => {
      if (!(event.target instanceof Node) || !el.contains(event.target)) close.current()
    }
    // Capture: the composer's own Escape (cancel a reply) must not also fire while a popover is open.
    document.addEventListener('keydown', onKeyDown, true)
    document.addEventListener('pointerdown', onPointerDown, true)
    document.addEventListener('scroll', onScroll, true)
    return () => {
      document.removeEventListener('keydown', onKeyDown, true)
      document.removeEventListener('pointerdown', onPointerDown, true)
      document.removeEventListener('scroll', onScroll, true)
      if (returnFocus?.isConnected === true && (document.activeElement === document.body || el.contains(document.activeElement))) returnFocus.focus()
    }
  }, [returnFocus])

  return createPortal(
    <div ref={ref} className={`popover ${className}`} role={role} aria-label={label} tabIndex={-1}>
      {children}
    </div>,
    document.body
  )
}

/** Up and Down (Left and Right too) move between a popover's buttons, Home and End to the ends, wrapping around. */
export function moveFocus (event: React.KeyboardEvent<HTMLElement>, selector = 'button:not([disabled])'): void {
  const keys: Record<string, number> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>(selector)]
  if (items.length === 0) return
  const at = items.indexOf(document.activeElement as HTMLElement)
  let next: number | undefined
  if (event.key === 'Home') next = 0
  else if (event.key === 'End') next = items.length - 1
  else if (keys[event.key] !== undefined) next = (at + keys[event.key]! + items.length) % items.length
  if (next === undefined) return
  event.preventDefault()
  items[next]!.focus()
}
