import { fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadWorkspace } from '../../renderer/src/app/commands.ts'
import { bindEvents } from '../../renderer/src/app/events.ts'
import { Workspace } from '../../renderer/src/components/Workspace.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { contact, FakeCore, invitation, ME } from './helpers/fake-core.ts'
import { fakeViewport, renderWithClient } from './helpers/render.tsx'

let restoreViewport: () => void
let core: FakeCore
let unbind: () => void
beforeEach(() => {
  restoreViewport = fakeViewport(600)
  core = new FakeCore()
  unbind = bindEvents(core)
  actions().identityReady(ME)
})
afterEach(() => {
  unbind()
  restoreViewport()
  vi.unstubAllGlobals()
})

const state = () => useAppStore.getState()
const banner = () => screen.getByRole('region', { name: 'Invitations' })

describe('invitations', () => {
  it('pending ones are loaded with the workspace and shown with who sent them, the channel and its size', async () => {
    core.invitations.set(invitation(1).invitationId, invitation(1, { name: 'trip', from: { ...invitation(1).from, name: 'Alice' } }))
    core.invitations.set(invitation(2).invitationId, invitation(2, { status: 'declined' }))
    renderWithClient(<Workspace />, core)
    await loadWorkspace(core)
    expect((await screen.findByTestId('invitation')).textContent).toContain('Alice invited you to #trip (invite-only, 3 members)')
    expect(screen.getAllByTestId('invitation')).toHaveLength(1)
  })

  it('one arriving live shows at once, named as you know the sender, with their verified badge', async () => {
    actions().contactsListed([contact(3, { name: 'Al', verified: true })])
    renderWithClient(<Workspace />, core)
    core.emit('invitation.received', invitation(3, { name: 'trip' }))
    const card = await screen.findByTestId('invitation')
    expect(card.textContent).toContain('Al (verified) invited you to #trip')
    expect(within(card).getByTestId('verified-badge')).toBeTruthy()
    expect(within(card).queryByText(/Not in your contacts/)).toBeNull()
  })

  it('says when the sender is not a contact', async () => {
    renderWithClient(<Workspace />, core)
    core.emit('invitation.received', invitation(4))
    expect(within(await screen.findByTestId('invitation')).getByText(/Not in your contacts\. Their fingerprint starts FP4/)).toBeTruthy()
  })

  it('Join accepts it, opens the channel and takes the invitation away', async () => {
    const inv = invitation(1, { name: 'trip' })
    core.invitations.set(inv.invitationId, inv)
    actions().invitationsListed([inv])
    renderWithClient(<Workspace />, core)
    fireEvent.click(within(banner()).getByRole('button', { name: 'Join' }))
    await expect.poll(() => state().activeChannelId).toBe(inv.channelId)
    expect(core.callsOf('invitations.accept')).toEqual([{ invitationId: inv.invitationId }])
    expect(state().channels.get(inv.channelId)?.name).toBe('trip')
    expect(screen.queryByRole('region', { name: 'Invitations' })).toBeNull()
    expect(state().notices.at(-1)?.text).toBe('Joined #trip')
  })

  it('Decline declines it and it goes', async () => {
    const inv = invitation(1)
    core.invitations.set(inv.invitationId, inv)
    actions().invitationsListed([inv])
    renderWithClient(<Workspace />, core)
    fireEvent.click(within(banner()).getByRole('button', { name: 'Decline' }))
    await expect.poll(() => state().invitations.size).toBe(0)
    expect(core.callsOf('invitations.decline')).toEqual([{ invitationId: inv.invitationId }])
    expect(state().activeChannelId).toBeNull()
  })

  it('a failure is said in plain words, with the core’s wording one click away, and the invitation stays', async () => {
    const inv = invitation(1, { name: 'trip' })
    core.invitations.set(inv.invitationId, inv)
    actions().invitationsListed([inv])
    renderWithClient(<Workspace />, core)
    core.failNext('invitations.accept', 'DISCONNECTED', 'socket closed before the reply')
    fireEvent.click(within(banner()).getByRole('button', { name: 'Join' }))
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Could not join #trip: BitChat is not reachable right now.')
    expect(within(alert).getByText('Details')).toBeTruthy()
    expect(within(alert).getByText('socket closed before the reply')).toBeTruthy()
    expect(state().invitations.has(inv.invitationId)).toBe(true)
  })

  it('one answered elsewhere goes, and a notice says it was already answered', async () => {
    const inv = invitation(1, { name: 'trip' })
    actions().invitationsListed([inv])
    renderWithClient(<Workspace />, core)
    fireEvent.click(within(banner()).getByRole('button', { name: 'Join' }))
    await expect.poll(() => state().invitations.size).toBe(0)
    expect(state().notices.at(-1)?.text).toBe('The invitation to #trip is no longer there: it was already answered.')
  })

  it('several collapse into a count whose list answers each; joining one closes the list on its channel', async () => {
    const all = [invitation(1), invitation(2), invitation(3)]
    for (const inv of all) core.invitations.set(inv.invitationId, inv)
    actions().invitationsListed(all)
    renderWithClient(<Workspace />, core)
    expect(banner().textContent).toContain('3 invitations')
    expect(screen.queryByTestId('invitation')).toBeNull()
    fireEvent.click(within(banner()).getByRole('button', { name: 'Show invitations' }))
    const dialog = screen.getByRole('dialog', { name: 'Invitations' })
    const cards = within(dialog).getAllByTestId('invitation')
    expect(cards.map(c => c.textContent?.match(/#group-\d/)?.[0])).toEqual(['#group-3', '#group-2', '#group-1'])
    fireEvent.click(within(cards[2]!).getByRole('button', { name: 'Decline' }))
    await expect.poll(() => within(dialog).queryAllByTestId('invitation').length).toBe(2)
    fireEvent.click(within(within(dialog).getAllByTestId('invitation')[0]!).getByRole('button', { name: 'Join' }))
    await expect.poll(() => state().activeChannelId).toBe(invitation(3).channelId)
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(within(banner()).getByTestId('invitation').textContent).toContain('#group-2')
  })

  it('one arriving while the window is in the background raises a system notification, once allowed', async () => {
    const shown: Array<{ title: string; body?: string }> = []
    class FakeNotification {
      static permission = 'granted'
      onclick: (() => void) | null = null
      constructor (title: string, options: { body?: string }) { shown.push({ title, body: options.body }) }
      close (): void {}
    }
    vi.stubGlobal('Notification', FakeNotification)
    vi.spyOn(document, 'hasFocus').mockReturnValue(false)
    core.emit('invitation.received', invitation(1, { name: 'trip', from: { ...invitation(1).from, name: 'Alice' } }))
    expect(shown).toEqual([{ title: 'Invitation', body: 'Alice invited you to #trip (invite-only, 3 members)' }])
    vi.spyOn(document, 'hasFocus').mockReturnValue(true)
    core.emit('invitation.received', invitation(2))
    expect(shown).toHaveLength(1)
  })

  it('offers to turn system notifications on while the browser has not been asked', async () => {
    const requestPermission = vi.fn(async () => 'granted')
    vi.stubGlobal('Notification', class { static permission = 'default'; static requestPermission = requestPermission })
    actions().invitationsListed([invitation(1)])
    renderWithClient(<Workspace />, core)
    fireEvent.click(within(banner()).getByRole('button', { name: /Notify me of invitations/ }))
    expect(requestPermission).toHaveBeenCalledOnce()
  })
})
