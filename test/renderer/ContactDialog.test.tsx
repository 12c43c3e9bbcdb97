import { fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { DialogHost } from '../../renderer/src/components/DialogHost.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { contact, FakeCore, ME } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

const BEA = contact(1, { name: 'Bea', theirName: 'beatrix', fingerprint: 'AB12 CD34 EF56 7890' })

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  core.contacts.set(BEA.publicKey, BEA)
  actions().identityReady(ME)
  actions().contactsListed([BEA])
})

const open = (view?: 'verify') => {
  actions().dialogOpened(view === undefined ? { kind: 'contact', publicKey: BEA.publicKey } : { kind: 'contact', publicKey: BEA.publicKey, view })
  renderWithClient(<DialogHost />, core)
}
const dialog = () => screen.getByRole('dialog')
const stored = () => useAppStore.getState().contacts.get(BEA.publicKey)

describe('ContactDialog: details', () => {
  it('shows your name for them as the title, their own name apart, the fingerprint and the key', () => {
    open()
    expect(screen.getByRole('dialog', { name: 'Bea' })).toBeTruthy()
    expect(within(dialog()).getByText('beatrix')).toBeTruthy()
    expect(within(dialog()).getByTestId('contact-fingerprint').textContent).toBe('AB12 CD34 EF56 7890')
    expect(within(dialog()).getByTitle(BEA.publicKey)).toBeTruthy()
    expect(within(dialog()).getByTestId('contact-status').textContent).toBe('Not verified')
  })

  it('says when their own name has not been seen yet', () => {
    actions().contactUpdated({ ...BEA, theirName: null })
    open()
    expect(within(dialog()).getByText('Not seen yet')).toBeTruthy()
  })

  it('renames them and keeps notes', async () => {
    open()
    fireEvent.change(within(dialog()).getByLabelText('Your name for them'), { target: { value: 'Bea R.' } })
    fireEvent.change(within(dialog()).getByLabelText('Notes'), { target: { value: 'Met at the book club' } })
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Save changes' }))
    await expect.poll(() => stored()?.name).toBe('Bea R.')
    expect(stored()?.notes).toBe('Met at the book club')
    expect(core.callsOf('contacts.update')).toEqual([{ publicKey: BEA.publicKey, name: 'Bea R.', notes: 'Met at the book club' }])
    expect(await within(dialog()).findByText('Saved.')).toBeTruthy()
  })

  it('refuses notes over the limit before asking the core, and counts as you type', () => {
    open()
    fireEvent.change(within(dialog()).getByLabelText('Notes'), { target: { value: 'x'.repeat(2001) } })
    expect(within(dialog()).getByText(/^2,001 \/ 2,000 characters/)).toBeTruthy()
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Save changes' }))
    expect(within(dialog()).getByRole('alert').textContent).toBe('Notes must be at most 2,000 characters')
    expect(core.callsOf('contacts.update')).toEqual([])
  })

  it('blocks only after a confirmation, and unblocks at once', async () => {
    open()
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Block…' }))
    const confirm = within(dialog()).getByRole('group', { name: 'Block Bea?' })
    expect(confirm.textContent).toMatch(/their messages will no longer be stored or shown, in every channel/)
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }))
    expect(core.callsOf('contacts.update')).toEqual([])
    fireEvent.click(within(confirm).getByRole('button', { name: 'Block' }))
    await expect.poll(() => stored()?.blocked).toBe(true)
    expect(within(dialog()).getByTestId('contact-status').textContent).toBe('Not verifiedBlocked')
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Unblock' }))
    await expect.poll(() => stored()?.blocked).toBe(false)
    expect(core.callsOf('contacts.update').map(p => p.blocked)).toEqual([true, false])
  })

  it('removes them after a confirmation, and closes', async () => {
    open()
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Remove…' }))
    const confirm = within(dialog()).getByRole('group', { name: 'Remove Bea from your contacts?' })
    fireEvent.click(within(confirm).getByRole('button', { name: 'Remove contact' }))
    await expect.poll(() => useAppStore.getState().dialog).toBeNull()
    expect(stored()).toBeUndefined()
    expect(core.callsOf('contacts.remove')).toEqual([{ publicKey: BEA.publicKey }])
  })

  it('shows an error in plain words when they were removed meanwhile', async () => {
    core.failNext('contacts.update', 'CONTACT_NOT_FOUND', '0000… is not in the address book')
    open()
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Block…' }))
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Block' }))
    expect((await within(dialog()).findByRole('alert')).textContent).toBe('This person is no longer in your contacts.')
  })
})

describe('ContactDialog: verify', () => {
  it('shows the safety code in twelve groups of five digits, each read out digit by digit, with a QR image of it', async () => {
    open()
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Verify…' }))
    expect(screen.getByRole('dialog', { name: 'Verify Bea' })).toBeTruthy()
    const code = await within(dialog()).findByRole('list', { name: 'Safety code with Bea' })
    const groups = within(code).getAllByRole('listitem')
    expect(groups.map(g => g.querySelector('[aria-hidden="true"]')?.textContent)).toEqual(
      ['05123', '99870', '12345', '67890', '11111', '22222', '33333', '44444', '55555', '66666', '77777', '88888'])
    expect(groups[0]?.querySelector('.visually-hidden')?.textContent).toBe('0 5 1 2 3')
    const qr = within(dialog()).getByRole('img', { name: 'QR code of your safety code with Bea' })
    expect(qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/)
    expect(within(dialog()).getByText('Compare these numbers with', { exact: false }).textContent)
      .toBe('Compare these numbers with Bea in person or on a call. If they match, mark as verified.')
    expect(core.callsOf('contacts.safetyCode')).toEqual([{ publicKey: BEA.publicKey }])
  })

  it('marks them verified, and clears it again, from the same button', async () => {
    open('verify')
    await within(dialog()).findByTestId('safety-code')
    const button = within(dialog()).getByRole('button', { name: 'Mark as verified' })
    button.focus()
    fireEvent.click(button)
    await expect.poll(() => stored()?.verified).toBe(true)
    expect(within(dialog()).getByRole('status').textContent).toBe(' Bea is verified.')
    expect(document.activeElement?.textContent).toBe('Clear verification')
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Clear verification' }))
    await expect.poll(() => stored()?.verified).toBe(false)
  })

  it('goes back to the details with Back, and the keyboard lands on Verify again', async () => {
    open()
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Verify…' }))
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Back' }))
    expect(screen.getByRole('dialog', { name: 'Bea' })).toBeTruthy()
    await expect.poll(() => document.activeElement?.textContent).toBe(' Verify…')
  })

  it('closes with Escape from the code', async () => {
    open('verify')
    await within(dialog()).findByTestId('safety-code')
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' })
    expect(useAppStore.getState().dialog).toBeNull()
  })
})
