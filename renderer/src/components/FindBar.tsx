import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react'
import type { Hex } from '../../../core/api/contract.ts'
import { useClient } from '../app/client-context.ts'
import { FIND_LIMIT, openMessage } from '../app/search.ts'
import { useMessageSearch } from '../app/use-message-search.ts'
import { FIND_SHORTCUT_LABEL, isCommandKey } from '../app/use-search-shortcuts.ts'
import { actions } from '../store/store.ts'
import { ErrorDetails } from './ErrorDetails.tsx'
import { Icon } from './Icon.tsx'

function countLabel (status: string, shown: boolean, index: number, count: number): string {
  if (!shown) return ''
  if (count === 0) return status === 'done' ? 'No matches' : status === 'searching' ? 'Searching…' : ''
  return `${index + 1} of ${count}${count >= FIND_LIMIT ? '+' : ''}`
}

/**
 * Ctrl+F: the conversation's messages that hold the words typed, newest first; Enter goes to the
 * next (older) one and Shift+Enter back, each scrolled to and highlighted in the list; Escape closes.
 */
export function FindBar ({ channelId, placeholder }: { channelId: Hex; placeholder: string }) {
  const client = useClient()
  const field = useRef<HTMLInputElement>(null)
  const [query, setQuery] = useState('')
  const search = useMessageSearch(query, FIND_LIMIT, channelId)
  const matches = search.status === 'idle' || search.status === 'failed' ? [] : search.results
  const [index, setIndex] = useState(0)
  useEffect(() => { setIndex(0) }, [search.results])
  const current = matches[Math.min(index, matches.length - 1)]

  useEffect(() => {
    if (current !== undefined) void openMessage(client, channelId, current.messageId, true)
  }, [client, channelId, current])

  // Focus comes in on opening, returns on closing; Ctrl+F while open goes back to the field.
  const [before] = useState(() => document.activeElement instanceof HTMLElement ? document.activeElement : null)
  useEffect(() => {
    field.current?.focus()
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!isCommandKey(event, 'f') || actions().dialog !== null) return
      event.preventDefault()
      field.current?.focus()
      field.current?.select()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => { window.removeEventListener('keydown', onKeyDown) }
  }, [])

  const close = (): void => {
    actions().findToggled(false)
    const back = before?.isConnected === true && before !== document.body
      ? before
      : document.querySelector<HTMLElement>('.composer__input:not([disabled])') ?? document.querySelector<HTMLElement>('[role="log"]')
    back?.focus()
  }
  const step = (by: number): void => {
    if (matches.length > 0) setIndex(i => (Math.min(i, matches.length - 1) + by + matches.length) % matches.length)
  }

  const onKeyDown = (event: ReactKeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      close()
    } else if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault()
      step(event.shiftKey ? -1 : 1)
    }
  }

  const count = countLabel(search.status, query.trim() !== '', Math.min(index, matches.length - 1), matches.length)
  return (
    <div className="find-bar" role="search" aria-label="Find in this conversation" data-testid="find-bar">
      <div className="find-bar__row">
        <Icon name="search" size={16} />
        <input ref={field} className="find-bar__input" type="search" aria-label="Find in conversation" placeholder={placeholder}
          autoComplete="off" spellCheck={false} maxLength={256} value={query} aria-keyshortcuts="Enter Shift+Enter Escape"
          onChange={event => { setQuery(event.target.value) }} onKeyDown={onKeyDown} />
        <span className="find-bar__count" role="status" data-testid="find-count" aria-busy={search.status === 'searching'} data-query={search.query}>{count}</span>
        <button type="button" className="icon-button icon-button--small" aria-label="Next match" title="Next match, older (Enter)"
          disabled={matches.length < 2} onClick={() => { step(1) }}>
          <Icon name="chevron-up" size={18} />
        </button>
        <button type="button" className="icon-button icon-button--small" aria-label="Previous match" title="Previous match, newer (Shift+Enter)"
          disabled={matches.length < 2} onClick={() => { step(-1) }}>
          <Icon name="chevron-down" size={18} />
        </button>
        <button type="button" className="icon-button icon-button--small" aria-label="Close find" title={`Close (Esc) · ${FIND_SHORTCUT_LABEL} finds again`} onClick={close}>
          <Icon name="close" size={18} />
        </button>
      </div>
      {search.status === 'failed' && (
        <div className="find-bar__error" role="alert">
          <span>Finding did not work. Try again in a moment.</span>
          {search.detail !== undefined && <ErrorDetails detail={search.detail} />}
        </div>
      )}
    </div>
  )
}
