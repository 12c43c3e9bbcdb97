import { useCallback, useId, useMemo, useState } from 'react'
import { useClient } from '../app/client-context.ts'
import { openMessage, SEARCH_LIMIT } from '../app/search.ts'
import { useListboxKeys } from '../app/use-listbox-keys.ts'
import { useMessageSearch } from '../app/use-message-search.ts'
import { SEARCH_SHORTCUT_LABEL } from '../app/use-search-shortcuts.ts'
import { snippet } from '../lib/highlight.ts'
import { plural } from '../lib/plural.ts'
import { authorLabel, groupResults, resultWhen } from '../lib/search-results.ts'
import { formatDateTime } from '../lib/time.ts'
import { actions, useAppStore } from '../store/store.ts'
import { ErrorDetails } from './ErrorDetails.tsx'
import { HighlightedText } from './HighlightedText.tsx'
import { Icon } from './Icon.tsx'
import { Modal } from './Modal.tsx'
import { focusMovedOn } from './QuickSwitcher.tsx'

const NOT_THERE = 'That message is no longer in its conversation: it may have been deleted.'

/** Ctrl+Shift+F: messages of every conversation holding the words typed; choosing one opens it there. */
export function SearchDialog () {
  const client = useClient()
  const channels = useAppStore(s => s.channels)
  const contacts = useAppStore(s => s.contacts)
  const [query, setQuery] = useState('')
  const search = useMessageSearch(query, SEARCH_LIMIT)
  const groups = useMemo(() => groupResults(search.results, channels, contacts), [search.results, channels, contacts])
  const flat = useMemo(() => groups.flatMap(g => g.results), [groups])
  const id = useId()
  const optionId = useCallback((index: number) => `${id}-result-${index}`, [id])

  const choose = (index: number): void => {
    const message = flat[index]
    if (message === undefined) return
    actions().dialogClosed()
    void openMessage(client, message.channelId, message.messageId).then(found => {
      if (!found) actions().noticePosted('info', NOT_THERE)
      else if (!focusMovedOn()) document.querySelector<HTMLElement>('[role="log"]')?.focus()
    })
  }
  const { active, setActive, onKeyDown } = useListboxKeys(flat.length, choose, search.results, optionId)

  const status = search.status === 'idle'
    ? ''
    : search.status === 'failed'
      ? 'The search did not work.'
      : search.status === 'searching' && search.query === ''
        ? 'Searching…'
        : flat.length === 0
          ? `No messages match “${search.query}”.`
          : `${plural(flat.length, 'message', 'messages')}${flat.length >= SEARCH_LIMIT ? ' (the newest)' : ''} in ${plural(groups.length, 'conversation', 'conversations')}`

  let index = 0
  return (
    <Modal title="Search messages" onClose={() => { actions().dialogClosed() }} size="wide">
      <div className="search">
        <div className="search__field">
          <Icon name="search" size={18} />
          <input className="search__input" type="search" role="combobox" aria-label="Search messages" aria-autocomplete="list"
            aria-expanded={flat.length > 0} aria-controls={`${id}-list`} aria-activedescendant={flat.length > 0 ? optionId(active) : undefined}
            placeholder="Words to find in every conversation" autoComplete="off" spellCheck={false} maxLength={256} data-autofocus
            value={query} onChange={event => { setQuery(event.target.value) }} onKeyDown={onKeyDown} />
        </div>
        <p className="search__status" role="status" data-testid="search-status" aria-busy={search.status === 'searching'} data-query={search.query}>{status}</p>
        {search.status === 'idle' && (
          <p className="search__empty">Type a word or two: every message that holds them is found, whatever their case or accents.</p>
        )}
        {search.status === 'failed' && (
          <div className="search__error" role="alert">
            <p>The search did not work. Try again in a moment.</p>
            {search.detail !== undefined && <ErrorDetails detail={search.detail} />}
          </div>
        )}
        {flat.length > 0 && (
          <div className="search__results" id={`${id}-list`} role="listbox" aria-label="Messages found" aria-busy={search.status === 'searching'}>
            {groups.map(group => (
              <div key={group.channelId} role="group" aria-labelledby={`${id}-${group.channelId}`} className="search__group">
                <h3 className="search__group-title" id={`${id}-${group.channelId}`} role="presentation"><bdi dir="auto">{group.title}</bdi></h3>
                {group.results.map(message => {
                  const i = index++
                  return (
                    <div key={message.messageId} id={optionId(i)} role="option" aria-selected={i === active} data-testid="search-result"
                      className={`search-result${i === active ? ' search-result--active' : ''}`}
                      onMouseDown={event => { event.preventDefault() }} onMouseMove={() => { if (i !== active) setActive(i) }} onClick={() => { choose(i) }}>
                      <span className="search-result__head">
                        <bdi className="search-result__author" dir="auto">{authorLabel(message, contacts)}</bdi>
                        <time className="search-result__time" dateTime={new Date(message.timestamp).toISOString()} title={formatDateTime(message.timestamp)}>
                          {resultWhen(message.timestamp)}
                        </time>
                      </span>
                      <span className="search-result__text" dir="auto"><HighlightedText text={snippet(message.text, search.query)} query={search.query} /></span>
                    </div>
                  )
                })}
              </div>
            ))}
          </div>
        )}
        <p className="dialog-hint" aria-hidden="true">
          <kbd>↑</kbd> <kbd>↓</kbd> to choose · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close · <kbd>{SEARCH_SHORTCUT_LABEL}</kbd> from anywhere
        </p>
      </div>
    </Modal>
  )
}
