import { fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useAppStore } from '../../renderer/src/store/store.ts'
import { contactFile, contactLink, type FakeCore, ME } from './helpers/fake-core.ts'
import { openSettingsDialog } from './helpers/settings-dialog.tsx'

let core: FakeCore
beforeEach(() => { core = openSettingsDialog() })

describe('SettingsDialog', () => {
  it('keeps the focus on Save name after saving, so Tab and Escape still work in the dialog', async () => {
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: 'Ravi' } })
    const save = screen.getByRole('button', { name: 'Save name' })
    save.focus()
    fireEvent.click(save)
    expect(await screen.findByText('Saved.')).toBeTruthy()
    expect(useAppStore.getState().identityStatus?.identity?.name).toBe('Ravi')
    expect(document.activeElement).toBe(save)
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' })
    expect(useAppStore.getState().dialog).toBeNull()
  })

  it('does not call the core again for the name it already has', async () => {
    const save = screen.getByRole('button', { name: 'Save name' })
    expect(save.getAttribute('aria-disabled')).toBe('true')
    fireEvent.click(save)
    await Promise.resolve()
    expect(core.callsOf('identity.setName')).toEqual([])
  })

  it('shows your contact link under the profile, with Copy and a QR image of it', async () => {
    const writeText = vi.fn(async (_text: string) => {})
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } })
    const section = screen.getByRole('region', { name: 'Your contact link' })
    const link = contactLink(ME.publicKey, ME.name)
    expect((await within(section).findByLabelText('Contact link') as HTMLInputElement).value).toBe(link)
    expect(within(section).getByRole('img', { name: 'QR code of your contact link' }).getAttribute('src')).toMatch(/^data:image\/svg\+xml/)
    fireEvent.click(within(section).getByRole('button', { name: 'Copy link' }))
    await expect.poll(() => writeText.mock.calls).toEqual([[link]])
    expect(await within(section).findByRole('button', { name: 'Copied' })).toBeTruthy()
  })

  it('saves your contact file under its file name, with its text', async () => {
    const blobs: Blob[] = []
    vi.stubGlobal('URL', Object.assign(Object.create(URL) as typeof URL, {
      createObjectURL: (blob: Blob) => { blobs.push(blob); return 'blob:fake' },
      revokeObjectURL: () => {}
    }))
    const clicked: HTMLAnchorElement[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { clicked.push(this) })
    const section = screen.getByRole('region', { name: 'Your contact link' })
    fireEvent.click(await within(section).findByRole('button', { name: 'Save contact file…' }))
    await expect.poll(() => clicked.length).toBe(1)
    expect(clicked[0]?.download).toBe(`${ME.name}.bitchat-contact`)
    expect(await blobs[0]!.text()).toBe(contactFile(ME.publicKey, ME.name))
    expect(core.callsOf('identity.contactFile')).toHaveLength(1)
  })

  it('says so when the contact file cannot be made', async () => {
    core.failNext('identity.contactFile', 'IDENTITY_LOCKED', 'the identity is protected by a passphrase: unlock it first')
    const section = screen.getByRole('region', { name: 'Your contact link' })
    fireEvent.click(await within(section).findByRole('button', { name: 'Save contact file…' }))
    await expect.poll(() => useAppStore.getState().notices.at(-1)).toMatchObject({ tone: 'error', text: 'Could not save your contact file', detail: 'the identity is protected by a passphrase: unlock it first' })
  })

  it('asks for the contact link again when the display name changes, since the link suggests it', async () => {
    const section = screen.getByRole('region', { name: 'Your contact link' })
    await within(section).findByLabelText('Contact link')
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: 'Ravi' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save name' }))
    await expect.poll(() => (within(section).getByLabelText('Contact link') as HTMLInputElement).value).toBe(contactLink(ME.publicKey, 'Ravi'))
    expect(core.callsOf('identity.contactLink')).toHaveLength(2)
  })
})

afterEach(() => { vi.unstubAllGlobals() })
