import { useEffect, useRef } from 'react'
import { actions } from '../store/store.ts'
import { Icon } from './Icon.tsx'

export function EmptyState () {
  const first = useRef<HTMLButtonElement>(null)
  // Shown after the first-run or unlock screen went away under the focus: the keyboard starts here, not on the page.
  useEffect(() => {
    if (document.activeElement === null || document.activeElement === document.body) first.current?.focus()
  }, [])
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <div className="empty-state__art" aria-hidden="true"><Icon name="chat" size={44} /></div>
      <h1 className="empty-state__title" id="empty-title">Start a conversation</h1>
      <p className="empty-state__text">Create a channel and invite people with a link or a .chat file, or join one someone shared with you.</p>
      <div className="empty-state__actions">
        <button ref={first} type="button" className="button button--primary" onClick={() => { actions().dialogOpened({ kind: 'create' }) }}>
          <Icon name="plus" size={18} /> New channel
        </button>
        <button type="button" className="button" onClick={() => { actions().dialogOpened({ kind: 'new-group' }) }}>
          <Icon name="users" size={18} /> New group
        </button>
        <button type="button" className="button" onClick={() => { actions().dialogOpened({ kind: 'join' }) }}>
          <Icon name="link" size={18} /> Join a channel
        </button>
      </div>
      <p className="empty-state__hint">Tip: drop a .chat file anywhere on this window to join.</p>
    </section>
  )
}
