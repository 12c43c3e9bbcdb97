import { useMemo } from 'react'
import { sortContacts } from '../store/contacts.ts'
import { actions, useAppStore } from '../store/store.ts'
import { ContactListItem } from './ContactListItem.tsx'
import { Icon } from './Icon.tsx'

/** The address book in the sidebar, under the channels: collapsible, with a button to add someone. */
export function ContactsSection () {
  const contactMap = useAppStore(s => s.contacts)
  const open = useAppStore(s => s.contactsOpen)
  const contacts = useMemo(() => sortContacts(contactMap), [contactMap])
  return (
    <section className="sidebar-contacts" aria-labelledby="contact-list-heading">
      <div className="sidebar__section-row">
        <h2 className="sidebar__section sidebar__section--toggle" id="contact-list-heading">
          <button type="button" className="section-toggle" aria-expanded={open} aria-controls="contact-list"
            onClick={() => { actions().contactsToggled() }}>
            <Icon name="chevron-down" size={14} />Contacts
            {!open && contacts.length > 0 && <span className="section-toggle__count"> ({contacts.length})</span>}
          </button>
        </h2>
        <button type="button" className="icon-button icon-button--small" aria-label="Add contact" title="Add contact"
          onClick={() => { actions().dialogOpened({ kind: 'add-contact' }) }}>
          <Icon name="plus" size={16} />
        </button>
      </div>
      <div id="contact-list" hidden={!open}>
        {contacts.length === 0
          ? <p className="sidebar__empty sidebar__empty--contacts">No contacts yet. Add people from a channel’s members, or paste a contact link someone sent you.</p>
          : (
            <ul className="contact-list" aria-labelledby="contact-list-heading">
              {contacts.map(contact => (
                <ContactListItem key={contact.publicKey} contact={contact}
                  onSelect={() => { actions().dialogOpened({ kind: 'contact', publicKey: contact.publicKey }) }} />
              ))}
            </ul>
          )}
      </div>
    </section>
  )
}
