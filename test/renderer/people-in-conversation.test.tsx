// How people are named in a conversation's messages and its members panel: your name for a
// contact, the verified badge, and a warning where a name may mislead.
import { act, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MembersPanel } from '../../renderer/src/components/MembersPanel.tsx'
import { MessageList } from '../../renderer/src/components/MessageList.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { contact, FakeCore, hex, ME, message, peer } from './helpers/fake-core.ts'
import { fakeViewport, renderWithClient } from './helpers/render.tsx'

let core: FakeCore
let restoreViewport: () => void
beforeEach(() => {
  core = new FakeCore()
  restoreViewport = fakeViewport(600)
  actions().identityReady(ME)
})
afterEach(() => { restoreViewport() })

const CHANNEL = hex(1)
const alice = peer(1, { name: 'alice' })
const mallory = peer(2, { name: 'Аlice' }) // a Cyrillic А
const authorOf = (el: HTMLElement) => el.querySelector('.message__author')

const showMessages = () => renderWithClient(<MessageList channelId={CHANNEL} channelName="general" />, core)

describe('messages', () => {
  it('name a contact’s messages by your name for them, their own beside it, with the verified badge', () => {
    actions().contactsListed([contact(1, { publicKey: alice.publicKey, name: 'Alice W.', theirName: 'alice', verified: true })])
    actions().messagesLoaded(CHANNEL, [message(1, { author: alice.publicKey, authorName: 'alice' })], false)
    showMessages()
    const author = authorOf(screen.getByTestId('message'))
    expect(author?.querySelector('.person-name__name')?.textContent).toBe('Alice W.')
    expect(author?.querySelector('.person-name__theirs')?.textContent).toBe(', who calls themselves alice')
    expect(author?.querySelector('[data-testid="verified-badge"]')).toBeTruthy()
  })

  it('warn on a non-contact whose name imitates a contact’s', () => {
    actions().contactsListed([contact(1, { publicKey: alice.publicKey, name: '', theirName: 'alice' })])
    actions().messagesLoaded(CHANNEL, [
      message(1, { author: alice.publicKey, authorName: 'alice' }),
      message(2, { author: mallory.publicKey, authorName: mallory.name, timestamp: message(1).timestamp + 600_000 })
    ], false)
    showMessages()
    const [fromAlice, fromMallory] = screen.getAllByTestId('message')
    expect(within(fromMallory!).getByTestId('name-warning').getAttribute('title')).toBe('This name looks like your contact “alice”, but the key is different')
    expect(authorOf(fromMallory!)?.textContent).toBe('Аlice (warning: This name looks like your contact “alice”, but the key is different)')
    expect(within(fromAlice!).queryByTestId('name-warning')).toBeTruthy()
    expect(within(fromAlice!).getByTestId('name-warning').getAttribute('title')).toBe('Another member also uses the name “alice”')
    expect(within(fromMallory!).getByTestId('name-warning').className).toMatch(/name-warning--imitation/)
    expect(within(fromAlice!).getByTestId('name-warning').className).not.toMatch(/name-warning--imitation/)
  })

  it('warn on two authors using one name, though neither is a contact', () => {
    actions().messagesLoaded(CHANNEL, [
      message(1, { author: hex(5), authorName: 'bob' }),
      message(2, { author: hex(6), authorName: 'B0B', timestamp: message(1).timestamp + 600_000 }),
      message(3, { author: hex(7), authorName: 'carol', timestamp: message(1).timestamp + 1_200_000 })
    ], false)
    showMessages()
    const warnings = screen.getAllByTestId('message').map(m => m.querySelector('[data-testid="name-warning"]')?.getAttribute('title') ?? null)
    expect(warnings).toEqual(['Another member also uses the name “bob”', 'Another member also uses the name “B0B”', null])
  })

  it('warn on a member who takes your own name', () => {
    actions().messagesLoaded(CHANNEL, [message(1, { author: hex(5), authorName: 'me' })], false)
    showMessages()
    expect(screen.getByTestId('name-warning').getAttribute('title')).toBe('Another member also uses the name “me”')
  })

  it('of someone blocked are not shown, and come back when unblocked', () => {
    const blocked = contact(1, { publicKey: alice.publicKey, blocked: true })
    actions().contactsListed([blocked])
    actions().messagesLoaded(CHANNEL, [message(1, { author: alice.publicKey }), message(2, { author: hex(5), text: 'still here' })], false)
    showMessages()
    expect(screen.getAllByTestId('message').map(m => m.querySelector('.message__text')?.textContent)).toEqual(['still here'])
    act(() => { actions().contactUpdated({ ...blocked, blocked: false }) })
    expect(screen.getAllByTestId('message')).toHaveLength(2)
  })
})

describe('members panel', () => {
  const showMembers = () => renderWithClient(<MembersPanel channelId={CHANNEL} />, core)

  it('offers "Add to contacts" for a member who is not one, opening the add dialog for them', () => {
    actions().peersListed(CHANNEL, [alice])
    showMembers()
    fireEvent.click(screen.getByRole('button', { name: 'Add alice to contacts' }))
    expect(useAppStore.getState().dialog).toEqual({ kind: 'add-contact', member: { publicKey: alice.publicKey, name: 'alice', fingerprint: alice.fingerprint } })
  })

  it('shows a contact by your name with the badge, and opens their details instead of offering to add them', () => {
    actions().contactsListed([contact(1, { publicKey: alice.publicKey, name: 'Alice W.', verified: true })])
    actions().peersListed(CHANNEL, [alice])
    showMembers()
    const member = screen.getByTestId('member')
    expect(member.querySelector('.person-name__name')?.textContent).toBe('Alice W.')
    expect(within(member).getByTestId('verified-badge')).toBeTruthy()
    expect(within(member).queryByRole('button', { name: /to contacts/ })).toBeNull()
    fireEvent.click(within(member).getByRole('button', { name: 'Contact details: Alice W.' }))
    expect(useAppStore.getState().dialog).toEqual({ kind: 'contact', publicKey: alice.publicKey })
  })

  it('sorts members by the names shown, yours for contacts', () => {
    actions().contactsListed([contact(1, { publicKey: alice.publicKey, name: 'Zoë', theirName: 'alice' })])
    actions().peersListed(CHANNEL, [alice, peer(3, { name: 'Mia' }), peer(4, { name: 'Bo' })])
    showMembers()
    expect(screen.getAllByTestId('member').map(r => r.querySelector('.person-name__name')?.textContent)).toEqual(['Bo', 'Mia', 'Zoë'])
  })

  it('warns on the member imitating a contact; the contact is only told another member shares its name', () => {
    actions().contactsListed([contact(1, { publicKey: alice.publicKey, name: 'Zoë', theirName: 'alice' })])
    actions().peersListed(CHANNEL, [alice, mallory])
    showMembers()
    const row = (name: string) => screen.getAllByTestId('member').find(r => r.querySelector('.person-name__name')?.textContent === name)!
    expect(within(row('Аlice')).getByTestId('name-warning').getAttribute('title')).toBe('This name looks like your contact “Zoë”, but the key is different')
    expect(within(row('Zoë')).getByTestId('name-warning').getAttribute('title')).toBe('Another member also uses the name “alice”')
  })
})
