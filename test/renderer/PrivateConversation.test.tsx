import { act, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Conversation } from '../../renderer/src/components/Conversation.tsx'
import { LeaveChannelDialog } from '../../renderer/src/components/LeaveChannelDialog.tsx'
import { Workspace } from '../../renderer/src/components/Workspace.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { contact, FakeCore, hex, ME, peer, privateChat } from './helpers/fake-core.ts'
import { fakeViewport, renderWithClient } from './helpers/render.tsx'

let restoreViewport: () => void
let core: FakeCore
beforeEach(() => {
  restoreViewport = fakeViewport(600)
  core = new FakeCore()
  actions().identityReady(ME)
})
afterEach(() => { restoreViewport() })

const header = () => screen.getByRole('banner')
const bob = privateChat(1, {}, 'Bob')

describe('a private conversation’s view', () => {
  it('is headed by the person, never by “Private chat”, and says whether they are online', () => {
    renderWithClient(<Conversation channel={{ ...bob, peerCount: 1 }} />, core)
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Bob')
    expect(screen.getByTestId('peer-status').textContent).toBe('Online')
    expect(screen.queryByText(/Private chat/)).toBeNull()
    expect(screen.getByRole('region', { name: 'Conversation with Bob' })).toBeTruthy()
  })

  it('says through whom a relayed connection runs, named as you know them, and that it is end-to-end encrypted', () => {
    actions().peersListed(hex(50), [peer(2, { name: 'Alice' })])
    actions().peersListed(bob.channelId, [peer(1, { name: 'Bob', transport: 'relay', via: peer(2).publicKey })])
    renderWithClient(<Conversation channel={{ ...bob, peerCount: 1 }} />, core)
    expect(screen.getByTestId('relay-status').textContent).toBe('connected through Alice (end-to-end encrypted)')
    act(() => { actions().contactsListed([contact(2, { name: 'Aunt Alice' })]) })
    expect(screen.getByTestId('relay-status').textContent).toBe('connected through Aunt Alice (end-to-end encrypted)')
  })

  it('says nothing of relays over a direct connection', () => {
    actions().peersListed(bob.channelId, [peer(1, { name: 'Bob' })])
    renderWithClient(<Conversation channel={{ ...bob, peerCount: 1 }} />, core)
    expect(screen.queryByTestId('relay-status')).toBeNull()
  })

  it('says offline while they are not connected, without the channel’s troubleshooting', () => {
    renderWithClient(<Conversation channel={bob} />, core)
    expect(screen.getByTestId('peer-status').textContent).toBe('Offline')
    expect(screen.queryByRole('button', { name: 'Troubleshoot' })).toBeNull()
  })

  it('offers neither Invite, nor Members, nor Leave: deleting the conversation instead', () => {
    renderWithClient(<Conversation channel={bob} />, core)
    const toolbar = within(header()).getByRole('toolbar')
    expect(within(toolbar).queryByRole('button', { name: /Invite/ })).toBeNull()
    expect(within(toolbar).queryByRole('button', { name: 'Members' })).toBeNull()
    expect(within(toolbar).queryByRole('button', { name: 'Leave channel' })).toBeNull()
    fireEvent.click(within(toolbar).getByRole('button', { name: 'Delete conversation' }))
    expect(useAppStore.getState().dialog).toEqual({ kind: 'leave', channelId: bob.channelId })
  })

  it('offers to add someone who is not a contact, with their key and signed name', () => {
    renderWithClient(<Conversation channel={bob} />, core)
    fireEvent.click(within(header()).getByRole('button', { name: 'Add to contacts' }))
    expect(useAppStore.getState().dialog).toEqual({ kind: 'add-contact', member: { publicKey: bob.peer?.publicKey, name: 'Bob', fingerprint: bob.peer?.fingerprint } })
  })

  it('names a contact as you do and, until verified, links to comparing safety codes', () => {
    actions().contactsListed([contact(1, { name: 'Bobby' })])
    renderWithClient(<Conversation channel={bob} />, core)
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Bobby')
    expect(within(header()).queryByRole('button', { name: 'Add to contacts' })).toBeNull()
    fireEvent.click(within(header()).getByRole('button', { name: 'Not verified — compare safety codes' }))
    expect(useAppStore.getState().dialog).toEqual({ kind: 'contact', publicKey: contact(1).publicKey, view: 'verify' })
  })

  it('shows a verified contact’s badge instead of the link', () => {
    actions().contactsListed([contact(1, { name: 'Bobby', verified: true })])
    renderWithClient(<Conversation channel={bob} />, core)
    expect(within(screen.getByRole('heading', { level: 1 })).getByTestId('verified-badge')).toBeTruthy()
    expect(within(header()).queryByRole('button', { name: /Not verified/ })).toBeNull()
  })

  it('names the person in the composer’s placeholder and at the start of the history', () => {
    renderWithClient(<Conversation channel={bob} />, core)
    expect(screen.getByRole('textbox', { name: 'Message' }).getAttribute('placeholder')).toBe('Message Bob')
    expect(screen.getByRole('log', { name: 'Messages with Bob' })).toBeTruthy()
  })

  it('shows no members panel, even when the panel is open for channels', () => {
    actions().membersToggled(true)
    actions().channelsListed([bob])
    actions().channelSelected(bob.channelId)
    renderWithClient(<Workspace />, core)
    expect(screen.queryByRole('complementary', { name: 'Members' })).toBeNull()
  })
})

describe('deleting a private conversation', () => {
  beforeEach(() => {
    core.addChannel(bob)
    actions().channelsListed([bob])
    actions().dialogOpened({ kind: 'leave', channelId: bob.channelId })
    renderWithClient(<LeaveChannelDialog channelId={bob.channelId} />, core)
  })

  it('asks first, saying the history on this device goes and what Bob keeps', () => {
    const dialog = screen.getByRole('dialog', { name: 'Delete your conversation with Bob?' })
    const description = document.getElementById(dialog.getAttribute('aria-describedby') ?? '')?.textContent ?? ''
    expect(description).toMatch(/history is deleted from this device/)
    expect(description).toMatch(/Bob keeps their copy: if you message them again, the conversation comes back/)
  })

  it('leaves the conversation’s channel when confirmed', async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Delete conversation' }))
    await expect.poll(() => core.callsOf('channels.leave')).toEqual([{ channelId: hex(501) }])
    await expect.poll(() => useAppStore.getState().channels.has(bob.channelId)).toBe(false)
  })
})
