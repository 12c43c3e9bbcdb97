import { act, fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAppStore } from '../../renderer/src/store/store.ts'
import type { FakeCore } from './helpers/fake-core.ts'
import { openSettingsDialog } from './helpers/settings-dialog.tsx'

let core: FakeCore
const open = (proxy: string | null = null): void => { core = openSettingsDialog({ proxy }) }
const section = () => within(screen.getByRole('heading', { name: 'Proxy' }).closest('section')!)
const save = async (): Promise<void> => { await act(async () => { fireEvent.click(section().getByRole('button', { name: 'Save proxy' })) }) }

describe('Settings → Proxy', () => {
  beforeEach(() => { open() })

  it('starts at "No proxy" and says what a proxy turns off', () => {
    expect(section().getByRole('radio', { name: 'No proxy' })).toHaveProperty('checked', true)
    expect(section().queryByLabelText('Address')).toBeNull()
    expect(section().getByText(/the DHT, local network discovery and UDP trackers are turned off, because they would show your address/)).toBeTruthy()
  })

  it('choosing SOCKS5 offers Tor’s address, and saving sets it in the core', async () => {
    fireEvent.click(section().getByRole('radio', { name: 'SOCKS5 (Tor)' }))
    expect(section().getByLabelText('Address')).toHaveProperty('value', '127.0.0.1')
    expect(section().getByLabelText('Port')).toHaveProperty('value', '9050')
    await save()
    expect(core.callsOf('settings.set')).toEqual([{ proxy: 'socks5://127.0.0.1:9050' }])
    expect(useAppStore.getState().settings?.proxy).toBe('socks5://127.0.0.1:9050')
  })

  it('an HTTP proxy with a login is sent percent-encoded', async () => {
    fireEvent.click(section().getByRole('radio', { name: 'HTTP' }))
    fireEvent.change(section().getByLabelText('Address'), { target: { value: 'proxy.office.lan' } })
    fireEvent.change(section().getByLabelText('Port'), { target: { value: '3128' } })
    fireEvent.change(section().getByLabelText('User name (optional)'), { target: { value: 'ann b' } })
    fireEvent.change(section().getByLabelText('Password (optional)'), { target: { value: 'p@ss' } })
    await save()
    expect(core.callsOf('settings.set')).toEqual([{ proxy: 'http://ann%20b:p%40ss@proxy.office.lan:3128' }])
  })

  it('a wrong field is named, focused, and nothing is sent', async () => {
    fireEvent.click(section().getByRole('radio', { name: 'HTTP' }))
    fireEvent.change(section().getByLabelText('Address'), { target: { value: 'proxy.lan' } })
    fireEvent.change(section().getByLabelText('Port'), { target: { value: '70000' } })
    await save()
    expect(section().getByText('Enter a port from 1 to 65535 (Tor uses 9050).')).toBeTruthy()
    expect(document.activeElement).toBe(section().getByLabelText('Port'))
    fireEvent.change(section().getByLabelText('Port'), { target: { value: '3128' } })
    fireEvent.change(section().getByLabelText('Address'), { target: { value: 'bad_host' } })
    await save()
    expect(section().getByText(/is not a host name or an IP address\.$/)).toBeTruthy()
    expect(document.activeElement).toBe(section().getByLabelText('Address'))
    expect(core.callsOf('settings.set')).toEqual([])
  })

  it('says when the core refuses', async () => {
    fireEvent.click(section().getByRole('radio', { name: 'SOCKS5 (Tor)' }))
    core.failNext('settings.set', 'INTERNAL', 'database is locked')
    await save()
    expect(section().getByRole('alert').textContent).toBe('Could not change it: database is locked')
  })
})

describe('Settings → Proxy, with one in use', () => {
  beforeEach(() => { open('socks5://me:secret@10.0.0.1:1080') })

  it('shows it field by field, and "No proxy" clears it', async () => {
    expect(section().getByRole('radio', { name: 'SOCKS5 (Tor)' })).toHaveProperty('checked', true)
    expect(section().getByLabelText('Address')).toHaveProperty('value', '10.0.0.1')
    expect(section().getByLabelText('Port')).toHaveProperty('value', '1080')
    expect(section().getByLabelText('User name (optional)')).toHaveProperty('value', 'me')
    expect(section().getByLabelText('Password (optional)')).toHaveProperty('value', 'secret')
    expect(section().getByText(/A proxy is in use\./)).toBeTruthy()
    fireEvent.click(section().getByRole('radio', { name: 'No proxy' }))
    await save()
    expect(core.callsOf('settings.set')).toEqual([{ proxy: null }])
    expect(useAppStore.getState().settings?.proxy).toBeNull()
  })
})
