import { fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { PassphraseSettings } from '../../renderer/src/components/PassphraseSettings.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { FakeCore, ME } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  core.passphrase = 'old secret'
  core.status = { state: 'ready', identity: { ...ME, encrypted: true } }
  actions().identityStatusChanged(core.status)
})

const type = (label: string, value: string) => { fireEvent.change(screen.getByLabelText(label, { selector: 'input' }), { target: { value } }) }

describe('PassphraseSettings with a passphrase set', () => {
  beforeEach(() => { renderWithClient(<PassphraseSettings encrypted />, core) })

  it('asks for the current passphrase before changing it', async () => {
    type('New passphrase', 'new secret')
    type('Confirm new passphrase', 'new secret')
    fireEvent.click(screen.getByRole('button', { name: 'Change passphrase' }))
    expect(await screen.findByText('Enter your current passphrase')).toBeTruthy()
    expect(core.callsOf('identity.setPassphrase')).toEqual([])

    type('Current passphrase', 'old secret')
    fireEvent.click(screen.getByRole('button', { name: 'Change passphrase' }))
    await expect.poll(() => core.callsOf('identity.setPassphrase')).toEqual([{ passphrase: 'new secret', current: 'old secret' }])
  })

  it('says so when the current passphrase is wrong, and changes nothing', async () => {
    type('Current passphrase', 'guess')
    type('New passphrase', 'new secret')
    type('Confirm new passphrase', 'new secret')
    fireEvent.click(screen.getByRole('button', { name: 'Change passphrase' }))
    expect(await screen.findByText('That is not your current passphrase')).toBeTruthy()
    expect(useAppStore.getState().identityStatus?.identity?.encrypted).toBe(true)
  })

  it('removes the passphrase only with the current one and a second, explicit confirmation', async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Remove passphrase…' }))
    expect(await screen.findByText('Enter your current passphrase')).toBeTruthy()
    type('Current passphrase', 'old secret')
    fireEvent.click(screen.getByRole('button', { name: 'Remove passphrase…' }))
    const confirm = await screen.findByRole('group', { name: 'Remove the passphrase?' })
    expect(confirm.textContent).toMatch(/stored unencrypted/)
    expect(core.callsOf('identity.setPassphrase')).toEqual([])
    fireEvent.click(within(confirm).getByRole('button', { name: 'Keep passphrase' }))
    expect(screen.queryByRole('group', { name: 'Remove the passphrase?' })).toBeNull()
    expect(core.callsOf('identity.setPassphrase')).toEqual([])

    fireEvent.click(screen.getByRole('button', { name: 'Remove passphrase…' }))
    fireEvent.click(within(await screen.findByRole('group', { name: 'Remove the passphrase?' })).getByRole('button', { name: 'Remove passphrase' }))
    await expect.poll(() => core.callsOf('identity.setPassphrase')).toEqual([{ passphrase: null, current: 'old secret' }])
    await expect.poll(() => useAppStore.getState().identityStatus?.identity?.encrypted).toBe(false)
  })
})

describe('PassphraseSettings without a passphrase', () => {
  it('sets one without asking for a current one', async () => {
    core.passphrase = ''
    renderWithClient(<PassphraseSettings encrypted={false} />, core)
    expect(screen.queryByLabelText('Current passphrase')).toBeNull()
    type('Passphrase', 'first')
    type('Confirm passphrase', 'first')
    fireEvent.click(screen.getByRole('button', { name: 'Set passphrase' }))
    await expect.poll(() => core.callsOf('identity.setPassphrase')).toEqual([{ passphrase: 'first' }])
  })
})
