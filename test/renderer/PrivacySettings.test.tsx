import { act, fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAppStore } from '../../renderer/src/store/store.ts'
import type { FakeCore } from './helpers/fake-core.ts'
import { openSettingsDialog } from './helpers/settings-dialog.tsx'

let core: FakeCore
beforeEach(() => { core = openSettingsDialog() })

const toggle = () => screen.getByRole('switch', { name: 'Send read receipts' })

describe('Settings → Privacy', () => {
  it('shows read receipts on, as the core has them, and says what turning them off means', () => {
    expect(screen.getByRole('heading', { name: 'Privacy' })).toBeTruthy()
    expect(toggle()).toHaveProperty('checked', true)
    const hint = document.getElementById(toggle().getAttribute('aria-describedby') ?? '')
    expect(hint?.textContent).toBe('If you turn this off, others won’t see when you’ve read their messages. They’ll still see that your device received them.')
  })

  it('turns them off in the core at once, and on again', async () => {
    fireEvent.click(toggle())
    await expect.poll(() => toggle().getAttribute('aria-disabled')).toBeNull()
    expect(core.settings.readReceipts).toBe(false)
    expect(core.callsOf('settings.set')).toEqual([{ readReceipts: false }])
    expect(toggle()).toHaveProperty('checked', false)
    fireEvent.click(toggle())
    await expect.poll(() => useAppStore.getState().settings?.readReceipts).toBe(true)
    expect(toggle()).toHaveProperty('checked', true)
  })

  it('springs back and says so when the core refuses', async () => {
    core.failNext('settings.set', 'INTERNAL', 'database is locked')
    await act(async () => { fireEvent.click(toggle()) })
    expect((await screen.findByRole('alert')).textContent).toBe('Could not change it: database is locked')
    expect(toggle()).toHaveProperty('checked', true)
    expect(core.settings.readReceipts).toBe(true)
  })
})
