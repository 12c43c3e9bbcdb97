import { fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { Sidebar } from '../../renderer/src/components/Sidebar.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, contact, FakeCore, ME } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

const contactList = () => screen.getByRole('list', { name: 'Contacts' })
const items = () => within(contactList()).getAllByTestId('contact-item')

beforeEach(() => {
  actions().identityReady(ME)
  actions().channelsListed([channel(1, { name: 'general' })])
})

describe('the sidebar’s Contacts section', () => {
  it('sits under the channels and direct messages and lists contacts by the name you gave, else theirs, else the fingerprint’s first group', () => {
    actions().contactsListed([
      contact(1, { name: 'Zed' }),
      contact(2, { name: '', theirName: 'bea' }),
      contact(3, { name: '', theirName: null, fingerprint: 'C0DE 1234 5678 9ABC' })
    ])
    renderWithClient(<Sidebar />, new FakeCore())
    const headings = screen.getAllByRole('heading', { level: 2 }).map(h => h.textContent)
    expect(headings).toEqual(['Channels', 'Direct messages', 'Contacts'])
    expect(items().map(i => i.querySelector('.contact-item__name')?.textContent)).toEqual(['bea', 'C0DE', 'Zed'])
  })

  it('marks verified contacts with a badge, and blocked ones dimmed and named blocked', () => {
    actions().contactsListed([contact(1, { name: 'Ann', verified: true }), contact(2, { name: 'Bob', blocked: true }), contact(3, { name: 'Cy' })])
    renderWithClient(<Sidebar />, new FakeCore())
    const [ann, bob, cy] = items()
    expect(ann?.textContent).toBe('AAnn (verified)')
    expect(within(ann!).getByTestId('verified-badge').getAttribute('title')).toBe('Verified: you compared safety codes with them')
    expect(bob?.className).toMatch(/contact-item--blocked/)
    expect(bob?.textContent).toBe('BBob, blocked')
    expect(cy?.querySelector('[data-testid="verified-badge"]')).toBeNull()
  })

  it('collapses and expands with its heading’s button, which says which it is', () => {
    actions().contactsListed([contact(1), contact(2)])
    renderWithClient(<Sidebar />, new FakeCore())
    const toggle = screen.getByRole('button', { name: 'Contacts' })
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByRole('list', { name: 'Contacts' })).toBeNull()
    expect(toggle.textContent).toBe('Contacts (2)')
    fireEvent.click(toggle)
    expect(items()).toHaveLength(2)
  })

  it('says how to add someone while the address book is empty', () => {
    renderWithClient(<Sidebar />, new FakeCore())
    expect(screen.getByText(/No contacts yet\. Add people from a channel’s members, or paste a contact link/)).toBeTruthy()
  })

  it('opens the add dialog with its + button, and a contact’s details with a click', () => {
    actions().contactsListed([contact(1, { name: 'Ann' })])
    renderWithClient(<Sidebar />, new FakeCore())
    fireEvent.click(screen.getByRole('button', { name: 'Add contact' }))
    expect(useAppStore.getState().dialog).toEqual({ kind: 'add-contact' })
    fireEvent.click(items()[0]!)
    expect(useAppStore.getState().dialog).toEqual({ kind: 'contact', publicKey: contact(1).publicKey })
  })
})
