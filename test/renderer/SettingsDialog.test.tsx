import { fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { SettingsDialog } from '../../renderer/src/components/SettingsDialog.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { FakeCore, ME } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().identityReady(ME)
  actions().settingsLoaded(core.settings)
  actions().dialogOpened({ kind: 'settings' })
  renderWithClient(<SettingsDialog />, core)
})

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
})
