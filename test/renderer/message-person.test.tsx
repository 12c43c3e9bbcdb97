// The "Message" actions: from a contact's details and from a member in a channel's members panel,
// each opens the private conversation with that person and shows it.
import { fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { DialogHost } from '../../renderer/src/components/DialogHost.tsx'
import { MembersPanel } from '../../renderer/src/components/MembersPanel.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, contact, FakeCore, hex, ME, peer } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().identityReady(ME)
})

const opened = (publicKey: string) => {
  const active = useAppStore.getState().activeChannelId
  const summary = active === null ? undefined : useAppStore.getState().channels.get(active)
  return summary?.kind === 'private' && summary.peer?.publicKey === publicKey
}

describe('Message in a contact’s details', () => {
  const bea = contact(1, { name: 'Bea' })
  beforeEach(() => {
    core.contacts.set(bea.publicKey, bea)
    actions().contactsListed([bea])
  })

  it('opens the private conversation with them, selected, and closes the dialog', async () => {
    actions().dialogOpened({ kind: 'contact', publicKey: bea.publicKey })
    renderWithClient(<DialogHost />, core)
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Message' }))
    await expect.poll(() => core.callsOf('conversations.openPrivate')).toEqual([{ publicKey: bea.publicKey }])
    await expect.poll(() => opened(bea.publicKey)).toBe(true)
    await expect.poll(() => useAppStore.getState().dialog).toBeNull()
  })

  it('is not offered for someone you blocked', () => {
    actions().contactUpdated({ ...bea, blocked: true })
    actions().dialogOpened({ kind: 'contact', publicKey: bea.publicKey })
    renderWithClient(<DialogHost />, core)
    expect(within(screen.getByRole('dialog')).queryByRole('button', { name: 'Message' })).toBeNull()
  })

  it('says why in the dialog when the conversation cannot be opened', async () => {
    core.failNext('conversations.openPrivate', 'INVALID_PARAMS', 'this key has no private channel')
    actions().dialogOpened({ kind: 'contact', publicKey: bea.publicKey })
    renderWithClient(<DialogHost />, core)
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Message' }))
    expect((await screen.findByRole('alert')).textContent).toMatch(/./)
    expect(useAppStore.getState().dialog?.kind).toBe('contact')
  })
})

describe('Message on a member in the members panel', () => {
  it('opens the private conversation with that member', async () => {
    const channelId = hex(1)
    core.addChannel(channel(1), [], [peer(1)])
    actions().channelsListed([channel(1)])
    actions().peersListed(channelId, [peer(1)])
    renderWithClient(<MembersPanel channelId={channelId} />, core)
    fireEvent.click(screen.getByRole('button', { name: 'Message Peer 1' }))
    await expect.poll(() => core.callsOf('conversations.openPrivate')).toEqual([{ publicKey: peer(1).publicKey }])
    await expect.poll(() => opened(peer(1).publicKey)).toBe(true)
  })

  it('is not offered on yourself', () => {
    actions().channelsListed([channel(1)])
    actions().peersListed(hex(1), [peer(1)])
    renderWithClient(<MembersPanel channelId={hex(1)} />, core)
    expect(screen.getAllByRole('button', { name: /^Message / })).toHaveLength(1)
    expect(screen.queryByRole('button', { name: `Message ${ME.name}` })).toBeNull()
  })
})
