import { act, fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAppStore } from '../../renderer/src/store/store.ts'
import type { FakeCore } from './helpers/fake-core.ts'
import { openSettingsDialog } from './helpers/settings-dialog.tsx'

let core: FakeCore
beforeEach(() => { core = openSettingsDialog() })

const toggle = () => screen.getByRole('switch', { name: 'Hide my IP address' })
const hint = () => document.getElementById(toggle().getAttribute('aria-describedby') ?? '')?.textContent

describe('Settings → Your IP address', () => {
  it('shows the option off, as the core has it, next to the proxy, saying what it would do and cost', () => {
    const headings = screen.getAllByRole('heading').map(h => h.textContent)
    expect(headings.indexOf('Your IP address')).toBe(headings.indexOf('Proxy') + 1)
    expect(toggle()).toHaveProperty('checked', false)
    expect(hint()).toBe('Only your contacts would connect to you directly, and everyone else through a contact who relays: you would need such a contact online to talk with anyone else.')
  })

  it('turns it on in the core at once, from the keyboard too, and off again', async () => {
    toggle().focus()
    expect(document.activeElement).toBe(toggle())
    fireEvent.click(toggle())
    await expect.poll(() => toggle().getAttribute('aria-disabled')).toBeNull()
    expect(core.callsOf('settings.set')).toEqual([{ relayOnly: true }])
    expect(core.settings.relayOnly).toBe(true)
    expect(toggle()).toHaveProperty('checked', true)
    expect(hint()).toMatch(/^Only your contacts connect to you directly/)
    expect(screen.getByRole('switch', { name: 'Ask the router to forward this port (UPnP, PCP or NAT-PMP)' }).getAttribute('aria-describedby')).toBeTruthy()
    expect(screen.getByText('Not used while your IP address is hidden: the router would make your address known.')).toBeTruthy()
    fireEvent.click(toggle())
    await expect.poll(() => useAppStore.getState().settings?.relayOnly).toBe(false)
    expect(toggle()).toHaveProperty('checked', false)
  })

  it('springs back and says so when the core refuses', async () => {
    core.failNext('settings.set', 'INTERNAL', 'database is locked')
    await act(async () => { fireEvent.click(toggle()) })
    expect((await screen.findByRole('alert')).textContent).toBe('Could not change it: database is locked')
    expect(toggle()).toHaveProperty('checked', false)
  })
})
