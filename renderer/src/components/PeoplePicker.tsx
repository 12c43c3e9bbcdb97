import { useId, useState } from 'react'
import type { ContactInfo, Hex } from '../../../core/api/contract.ts'
import { contactLabel } from '../lib/people.ts'
import { Avatar } from './Avatar.tsx'
import { Icon } from './Icon.tsx'
import { VerifiedBadge } from './PersonBadges.tsx'

export interface PeoplePickerProps {
  /** Whom the list offers, in the order shown. */
  people: readonly ContactInfo[]
  selected: ReadonlySet<Hex>
  onChange: (selected: ReadonlySet<Hex>) => void
  /** Why someone cannot be picked, in plain words; undefined when they can. */
  unavailable?: (person: ContactInfo) => string | undefined
  /** Whether someone is in already (shown as such, not a problem, and not to be picked again). */
  alreadyIn?: (person: ContactInfo) => boolean
  error?: string | undefined
}

function matches (person: ContactInfo, query: string): boolean {
  if (query === '') return true
  const q = query.toLocaleLowerCase()
  return [contactLabel(person), person.theirName ?? '', person.fingerprint].some(text => text.toLocaleLowerCase().includes(q))
}

/** Contacts with a checkbox each, narrowed by a search over names and fingerprints. */
export const ALREADY_IN = 'Already in this channel'

export function PeoplePicker ({ people, selected, onChange, unavailable, alreadyIn, error }: PeoplePickerProps) {
  const id = useId()
  const [query, setQuery] = useState('')
  const shown = people.filter(p => matches(p, query.trim()))
  const toggle = (publicKey: Hex, on: boolean): void => {
    const next = new Set(selected)
    if (on) next.add(publicKey)
    else next.delete(publicKey)
    onChange(next)
  }
  return (
    <fieldset className="people-picker" aria-describedby={error !== undefined ? `${id}-error` : undefined}>
      <legend className="field__label">People <span className="muted">({selected.size} chosen)</span></legend>
      <input type="search" className="people-picker__search" aria-label="Search contacts" placeholder="Search by name or fingerprint"
        value={query} onChange={e => { setQuery(e.target.value) }} />
      {people.length === 0 && <p className="field__hint">Your address book is empty. Add people as contacts first: from a channel’s members, or with their contact link.</p>}
      {people.length > 0 && shown.length === 0 && <p className="field__hint" role="status">No contact matches “{query.trim()}”.</p>}
      {people.length > 0 && alreadyIn !== undefined && people.every(alreadyIn) && <p className="field__hint">Everyone in your contacts is in this channel already.</p>}
      <ul className="people-picker__list">
        {shown.map(person => {
          const isIn = alreadyIn?.(person) === true
          const reason = isIn ? undefined : unavailable?.(person)
          const reasonId = `${id}-${person.publicKey}-reason`
          const described = isIn || reason !== undefined
          return (
            <li key={person.publicKey}>
              <label className={`people-picker__row${reason !== undefined ? ' people-picker__row--unavailable' : ''}${isIn ? ' people-picker__row--in' : ''}`}>
                <input type="checkbox" checked={selected.has(person.publicKey)} disabled={described}
                  aria-describedby={described ? reasonId : undefined}
                  onChange={e => { toggle(person.publicKey, e.target.checked) }} />
                <Avatar name={contactLabel(person)} publicKey={person.publicKey} size="sm" />
                <span className="people-picker__who">
                  <span className="people-picker__name">
                    <bdi dir="auto">{contactLabel(person)}</bdi>
                    {person.verified && <VerifiedBadge />}
                  </span>
                  <span className="people-picker__detail mono">{person.fingerprint}</span>
                  {reason !== undefined && <span className="people-picker__reason" id={reasonId}>{reason}</span>}
                  {isIn && <span className="people-picker__in" id={reasonId}><Icon name="check" size={14} />{ALREADY_IN}</span>}
                </span>
              </label>
            </li>
          )
        })}
      </ul>
      {error !== undefined && <p className="field__error" id={`${id}-error`} role="alert">{error}</p>}
    </fieldset>
  )
}
