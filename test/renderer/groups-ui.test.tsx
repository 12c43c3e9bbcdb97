import { fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { DialogHost } from '../../renderer/src/components/DialogHost.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, contact, FakeCore, ME, member } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().identityReady(ME)
  actions().contactsListed([contact(1, { name: 'Alice', verified: true }), contact(2, { name: 'Bob' }), contact(3, { name: 'Carol' }), contact(4, { name: 'Mallory', blocked: true })])
})

const state = () => useAppStore.getState()
const dialog = () => screen.getByRole('dialog')
const box = (name: RegExp) => within(dialog()).getByRole('checkbox', { name })

describe('a new group', () => {
  beforeEach(() => {
    actions().dialogOpened({ kind: 'new-group' })
    renderWithClient(<DialogHost />, core)
  })

  it('lists contacts with their verified badges, never blocked ones, and narrows by search', () => {
    expect(within(dialog()).getAllByRole('checkbox').map(b => b.closest('label')?.querySelector('.people-picker__name')?.textContent)).toEqual(['Alice (verified)', 'Bob', 'Carol'])
    fireEvent.change(within(dialog()).getByRole('searchbox', { name: 'Search contacts' }), { target: { value: 'car' } })
    expect(within(dialog()).getAllByRole('checkbox')).toHaveLength(1)
    expect(box(/Carol/)).toBeTruthy()
  })

  it('makes an invite-only channel for the people chosen, named as typed, and opens it', async () => {
    fireEvent.change(within(dialog()).getByLabelText('Group name'), { target: { value: ' trip ' } })
    fireEvent.click(box(/Alice/))
    fireEvent.click(box(/Carol/))
    expect(within(dialog()).getByText('(2 chosen)')).toBeTruthy()
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Create group' }))
    await expect.poll(() => state().dialog).toBeNull()
    expect(core.callsOf('channels.invite')).toEqual([{ name: 'trip', publicKeys: [contact(1).publicKey, contact(3).publicKey] }])
    const made = [...state().channels.values()].find(c => c.name === 'trip')
    expect(state().activeChannelId).toBe(made?.channelId)
    expect(state().notices.at(-1)?.text).toBe('Made #trip and invited 2 people')
  })

  it('asks for a name and for at least one person before calling the core', () => {
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Create group' }))
    expect(within(dialog()).getByText(/Group name/, { selector: '.field__error' })).toBeTruthy()
    fireEvent.change(within(dialog()).getByLabelText('Group name'), { target: { value: 'trip' } })
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Create group' }))
    expect(within(dialog()).getByText('Choose at least one person.')).toBeTruthy()
    expect(core.callsOf('channels.invite')).toEqual([])
  })

  it('says a refusal in plain words with the core’s one click away', async () => {
    core.failNext('channels.invite', 'INVALID_PARAMS', 'publicKeys[0] is blocked')
    fireEvent.change(within(dialog()).getByLabelText('Group name'), { target: { value: 'trip' } })
    fireEvent.click(box(/Bob/))
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Create group' }))
    const alert = await within(dialog()).findByRole('alert')
    expect(alert.textContent).toContain('BitChat refused someone on the list')
    expect(within(alert).getByText('publicKeys[0] is blocked')).toBeTruthy()
  })
})

describe('inviting people to a channel', () => {
  it('to an open channel, anyone chosen from the contacts', async () => {
    actions().channelsListed([channel(1, { name: 'club' })])
    actions().dialogOpened({ kind: 'invite-people', channelId: channel(1).channelId })
    renderWithClient(<DialogHost />, core)
    expect(within(dialog()).getAllByRole('checkbox').every(b => !(b as HTMLInputElement).disabled)).toBe(true)
    fireEvent.click(box(/Bob/))
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Send invitations' }))
    await expect.poll(() => state().dialog).toBeNull()
    expect(core.callsOf('channels.invite')).toEqual([{ channelId: channel(1).channelId, publicKeys: [contact(2).publicKey] }])
    expect(state().notices.at(-1)?.text).toBe('Invited one person to #club')
  })

  it('to an invite-only channel, only people on its member list, the others saying why', async () => {
    const secret = channel(2, { name: 'secret', mode: 'invite' })
    actions().channelsListed([secret])
    core.members.set(secret.channelId, [member(0, { publicKey: ME.publicKey, role: 'creator' }), member(3)])
    actions().dialogOpened({ kind: 'invite-people', channelId: secret.channelId })
    renderWithClient(<DialogHost />, core)
    await expect.poll(() => (box(/Carol/) as HTMLInputElement).disabled).toBe(false)
    expect((box(/Bob/) as HTMLInputElement).disabled).toBe(true)
    expect(box(/Bob/).getAttribute('aria-describedby')).toBeTruthy()
    expect(within(dialog()).getAllByText('Not on this channel’s member list, which its creator set.')).toHaveLength(2)
    expect(within(dialog()).getByText(/only people on its member list can join/)).toBeTruthy()
  })

  it('shows people already in an open channel as already in, not to be picked', async () => {
    actions().channelsListed([channel(1, { name: 'club' })])
    core.members.set(channel(1).channelId, [member(1, { online: true, lastSeen: Date.now() }), member(3, { lastSeen: Date.UTC(2024, 4, 1) })])
    actions().dialogOpened({ kind: 'invite-people', channelId: channel(1).channelId })
    renderWithClient(<DialogHost />, core)
    await expect.poll(() => (box(/Alice/) as HTMLInputElement).disabled).toBe(true)
    expect((box(/Carol/) as HTMLInputElement).disabled).toBe(true)
    expect((box(/Bob/) as HTMLInputElement).disabled).toBe(false)
    expect(within(dialog()).getAllByText('Already in this channel')).toHaveLength(2)
    expect(document.getElementById(box(/Alice/).getAttribute('aria-describedby')!)?.textContent).toBe('Already in this channel')
  })

  it('says so when everyone in the address book is in the channel already', async () => {
    actions().channelsListed([channel(1, { name: 'club' })])
    core.members.set(channel(1).channelId, [1, 2, 3].map(n => member(n, { lastSeen: Date.UTC(2024, 4, 1) })))
    actions().dialogOpened({ kind: 'invite-people', channelId: channel(1).channelId })
    renderWithClient(<DialogHost />, core)
    expect(await within(dialog()).findByText('Everyone in your contacts is in this channel already.')).toBeTruthy()
  })

  it('in an invite-only channel, someone listed but never seen can be invited, the creator and those seen cannot', async () => {
    const secret = channel(2, { name: 'secret', mode: 'invite' })
    actions().channelsListed([secret])
    core.members.set(secret.channelId, [member(1, { role: 'creator' }), member(2), member(3, { lastSeen: Date.UTC(2024, 4, 1) })])
    actions().dialogOpened({ kind: 'invite-people', channelId: secret.channelId })
    renderWithClient(<DialogHost />, core)
    await expect.poll(() => (box(/Bob/) as HTMLInputElement).disabled).toBe(false)
    expect((box(/Alice/) as HTMLInputElement).disabled).toBe(true)
    expect((box(/Carol/) as HTMLInputElement).disabled).toBe(true)
    expect(within(dialog()).getAllByText('Already in this channel')).toHaveLength(2)
  })

  it('is offered from the channel’s invite dialog', async () => {
    actions().channelsListed([channel(1, { name: 'club' })])
    actions().dialogOpened({ kind: 'share', channelId: channel(1).channelId })
    renderWithClient(<DialogHost />, core)
    fireEvent.click(within(dialog()).getByRole('button', { name: /Invite contacts/ }))
    expect(state().dialog).toEqual({ kind: 'invite-people', channelId: channel(1).channelId })
  })

  it('a new group is offered from the new channel dialog', () => {
    actions().dialogOpened({ kind: 'create' })
    renderWithClient(<DialogHost />, core)
    fireEvent.click(within(dialog()).getByRole('button', { name: 'make a group instead' }))
    expect(state().dialog).toEqual({ kind: 'new-group' })
  })
})
