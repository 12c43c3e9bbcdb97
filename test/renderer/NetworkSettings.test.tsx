import { fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { NetworkSettings } from '../../renderer/src/components/NetworkSettings.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { FakeCore, ME } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().identityReady(ME)
})

const port = () => screen.getByLabelText('Listen port')

describe('NetworkSettings', () => {
  it('shows a port in use as an error on the port, not as saved', async () => {
    renderWithClient(<NetworkSettings settings={core.settings} />, core)
    core.failNext('settings.set', 'PORT_IN_USE', 'Port 5000 is already in use by another program. BitChat keeps listening on port 4000.')
    fireEvent.change(port(), { target: { value: '5000' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save network settings' }))
    expect(await screen.findByText('Port 5000 is already in use by another program. BitChat keeps listening on port 4000.')).toBeTruthy()
    expect(port().getAttribute('aria-invalid')).toBe('true')
    expect(useAppStore.getState().notices.map(n => n.text)).not.toContain('Network settings saved')
  })

  it('says when the chosen port was taken at start and another is used meanwhile', () => {
    renderWithClient(<NetworkSettings settings={{ ...core.settings, listenPort: 51234, unavailablePort: 4000 }} />, core)
    expect(screen.getByText(/Port 4000 was in use by another program when BitChat started: it listens on 51234 for now/)).toBeTruthy()
  })

  it('turns port forwarding off in the core at once, and says it is not used while a proxy is set', async () => {
    const view = renderWithClient(<NetworkSettings settings={core.settings} />, core)
    const toggle = screen.getByRole('switch', { name: 'Ask the router to forward this port (UPnP, PCP or NAT-PMP)' })
    expect(toggle).toHaveProperty('checked', true)
    fireEvent.click(toggle)
    await expect.poll(() => core.settings.portMapping).toBe(false)
    expect(core.callsOf('settings.set')).toEqual([{ portMapping: false }])
    view.unmount()
    renderWithClient(<NetworkSettings settings={{ ...core.settings, proxy: 'socks5://127.0.0.1:9050' }} />, core)
    expect(screen.getByText('Not used while a proxy is set: the router would make your address known.')).toBeTruthy()
  })
})
