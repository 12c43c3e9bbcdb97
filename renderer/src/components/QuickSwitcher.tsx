import { useCallback, useId, useMemo, useState } from 'react'
import { errorMessageOf } from '../client/api-call-error.ts'
import { useClient } from '../app/client-context.ts'
import { messagePerson, openChannel } from '../app/commands.ts'
import { useListboxKeys } from '../app/use-listbox-keys.ts'
import { plural } from '../lib/plural.ts'
import { filterSwitcherItems, switcherItems, type SwitcherItem } from '../lib/switcher.ts'
import { sidebarOrder } from '../store/channels.ts'
import { actions, useAppStore } from '../store/store.ts'
import { Avatar } from './Avatar.tsx'
import { ChannelModeIcon } from './ChannelGlyphs.tsx'
import { Modal } from './Modal.tsx'
import { VerifiedBadge } from './PersonBadges.tsx'

// Enough to pick from by eye; typing narrows the rest.
const MAX_SHOWN = 50

/**
 * Whether the person has gone on while a conversation opened (another dialog, find in it): then the
 * focus stays theirs. The composer does not count: closing a dialog puts the focus back there.
 */
export function focusMovedOn (): boolean {
  return actions().dialog !== null || document.activeElement instanceof HTMLInputElement
}

function focusComposer (): void {
  if (focusMovedOn()) return
  const composer = document.querySelector<HTMLElement>('.composer__input:not([disabled])') ?? document.querySelector<HTMLElement>('[role="log"]')
  composer?.focus()
}

function detailOf (item: SwitcherItem): string {
  if (item.kind === 'person') return item.where
  const kind = item.kind === 'private' ? 'Private conversation' : item.mode === 'invite' ? 'Invite-only channel' : 'Channel'
  return item.unread > 0 ? `${kind} · ${item.unread > 99 ? '99+' : item.unread} unread` : kind
}

/** Ctrl+K: a field that narrows every conversation and person to the one to open, all from the keyboard. */
export function QuickSwitcher () {
  const client = useClient()
  const channels = useAppStore(s => s.channels)
  const contacts = useAppStore(s => s.contacts)
  const members = useAppStore(s => s.members)
  const peers = useAppStore(s => s.peers)
  const me = useAppStore(s => s.identityStatus?.identity?.publicKey)
  const [query, setQuery] = useState('')
  const items = useMemo(() => {
    const listed = sidebarOrder(channels, contacts)
    const conversations = [...listed, ...[...channels.values()].filter(c => !listed.includes(c))]
    return switcherItems({ conversations, contacts, members, peers, me })
  }, [channels, contacts, members, peers, me])
  const matches = useMemo(() => filterSwitcherItems(items, query), [items, query])
  const shown = matches.slice(0, MAX_SHOWN)
  const id = useId()
  const optionId = useCallback((index: number) => `${id}-option-${index}`, [id])

  const choose = (index: number): void => {
    const item = shown[index]
    if (item === undefined) return
    actions().dialogClosed()
    const open = item.kind === 'person' ? messagePerson(client, item.publicKey) : openChannel(client, item.channelId)
    open.then(focusComposer, (err: unknown) => {
      actions().noticePosted('error', `Could not open the conversation with ${item.name}.`, errorMessageOf(err))
    })
  }
  const { active, setActive, onKeyDown } = useListboxKeys(shown.length, choose, query, optionId)

  const status = shown.length === 0
    ? (items.length === 0 ? 'Nothing to jump to yet.' : 'Nothing matches.')
    : `${plural(matches.length, 'match', 'matches')}${matches.length > shown.length ? `, the first ${shown.length} shown` : ''}`

  return (
    <Modal title="Jump to a conversation" onClose={() => { actions().dialogClosed() }}>
      <div className="switcher">
        <input className="switcher__input" type="text" role="combobox" aria-label="Conversation or person" aria-autocomplete="list"
          aria-expanded={shown.length > 0} aria-controls={`${id}-list`} aria-activedescendant={shown.length > 0 ? optionId(active) : undefined}
          placeholder="Channel, conversation or person" autoComplete="off" spellCheck={false} data-autofocus
          value={query} onChange={event => { setQuery(event.target.value) }} onKeyDown={onKeyDown} />
        <p className="visually-hidden" role="status">{query === '' ? '' : status}</p>
        {shown.length === 0
          ? (
            <p className="switcher__empty" data-testid="switcher-empty">
              {items.length === 0 ? 'Nothing to jump to yet: create or join a channel, or add a contact.' : <>Nothing matches “<bdi>{query}</bdi>”.</>}
            </p>
            )
          : (
            <ul className="switcher__list" id={`${id}-list`} role="listbox" aria-label="Conversations and people">
              {shown.map((item, i) => (
                // The field keeps the focus: a click chooses without taking it.
                <li key={item.key} id={optionId(i)} role="option" aria-selected={i === active} data-testid="switcher-option"
                  className={`switcher__option${i === active ? ' switcher__option--active' : ''}`}
                  onMouseDown={event => { event.preventDefault() }} onMouseMove={() => { if (i !== active) setActive(i) }} onClick={() => { choose(i) }}>
                  <span className="switcher__icon">
                    {item.kind === 'channel' ? <ChannelModeIcon mode={item.mode} size={16} /> : <Avatar name={item.name} publicKey={item.publicKey} size="xs" />}
                  </span>
                  <bdi className="switcher__name" dir="auto">{item.name}</bdi>
                  {item.kind !== 'channel' && item.verified && <VerifiedBadge />}
                  <span className="switcher__detail">{detailOf(item)}</span>
                </li>
              ))}
            </ul>
            )}
        <p className="dialog-hint switcher__hint" aria-hidden="true">
          <kbd>↑</kbd> <kbd>↓</kbd> to choose · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
        </p>
      </div>
    </Modal>
  )
}
