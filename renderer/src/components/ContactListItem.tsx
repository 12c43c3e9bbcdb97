import type { ContactInfo } from '../../../core/api/contract.ts'
import { contactLabel } from '../lib/people.ts'
import { Avatar } from './Avatar.tsx'
import { Icon } from './Icon.tsx'
import { VerifiedBadge } from './PersonBadges.tsx'

export function ContactListItem ({ contact, onSelect }: { contact: ContactInfo; onSelect: () => void }) {
  const name = contactLabel(contact)
  return (
    <li>
      <button type="button" className={`contact-item${contact.blocked ? ' contact-item--blocked' : ''}`} onClick={onSelect}
        data-testid="contact-item" title={contact.blocked ? `${name} — blocked` : name}>
        <Avatar name={name} publicKey={contact.publicKey} size="xs" />
        <bdi className="contact-item__name" dir="auto">{name}</bdi>
        {contact.verified && <VerifiedBadge />}
        {contact.blocked && (
          <span className="contact-item__blocked"><Icon name="ban" size={14} /><span className="visually-hidden">, blocked</span></span>
        )}
      </button>
    </li>
  )
}
