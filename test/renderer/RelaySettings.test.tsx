import { act, fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAppStore } from '../../renderer/src/store/store.ts'
import type { FakeCore } from './helpers/fake-core.ts'
import { openSettingsDialog } from './helpers/settings-dialog.tsx'

let core: FakeCore
beforeEach(() => { core = openSettingsDialog() })

const toggle = () => screen.getByRole('switch', { name: 'Allow relaying for others' })

describe('Settings → Relaying', () => {
  it('shows relaying on, as the core has it, with what it means and the limits the core keeps', () => {
    expect(screen.getByRole('heading', { name: 'Relaying' })).toBeTruthy()
    expect(toggle()).toHaveProperty('checked', true)
    const hint = document.getElementById(toggle().getAttribute('aria-describedby') ?? '')
    expect(hint?.textContent).toBe('Members who can’t connect to each other directly can connect through you. Their messages stay end-to-end encrypted: you pass them on without being able to read or change them. ' +
      'At most 32 connections at once (4 per person), 1 MB/s in all and 256 KB/s each, each for up to 1 hour.')
  })

  it('turns it off in the core at once, and on again', async () => {
    fireEvent.click(toggle())
    await expect.poll(() => toggle().getAttribute('aria-disabled')).toBeNull()
    expect(core.settings.relayForOthers).toBe(false)
    expect(core.callsOf('settings.set')).toEqual([{ relayForOthers: false }])
    expect(toggle()).toHaveProperty('checked', false)
    fireEvent.click(toggle())
    await expect.poll(() => useAppStore.getState().settings?.relayForOthers).toBe(true)
    expect(toggle()).toHaveProperty('checked', true)
  })

  it('springs back and says so when the core refuses', async () => {
    core.failNext('settings.set', 'INTERNAL', 'database is locked')
    await act(async () => { fireEvent.click(toggle()) })
    expect((await screen.findByRole('alert')).textContent).toBe('Could not change it: database is locked')
    expect(toggle()).toHaveProperty('checked', true)
  })
})
