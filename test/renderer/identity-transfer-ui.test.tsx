import { act, fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../../renderer/src/app/App.tsx'
import { DialogHost } from '../../renderer/src/components/DialogHost.tsx'
import { FirstRun } from '../../renderer/src/components/FirstRun.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { FakeCore, ME } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => { core = new FakeCore() })

const state = () => useAppStore.getState()
const type = (label: string | RegExp, value: string, root: HTMLElement = document.body) => {
  fireEvent.change(within(root).getByLabelText(label), { target: { value } })
}

describe('exporting the identity', () => {
  const open = (encrypted: boolean) => {
    actions().identityReady({ ...ME, encrypted })
    actions().dialogOpened({ kind: 'export-identity' })
    renderWithClient(<DialogHost />, core)
    return screen.getByRole('dialog', { name: 'Export identity' })
  }

  it('asks for the file’s passphrase twice, then saves the file the core made', async () => {
    const created: string[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:x')
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { created.push(this.download) })
    const dialog = open(false)
    expect(within(dialog).queryByLabelText('Current passphrase')).toBeNull()
    type('Passphrase for the file', 'moving day', dialog)
    type('Confirm passphrase', 'moving dau', dialog)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Export and save' }))
    expect(within(dialog).getByText('Passphrases do not match')).toBeTruthy()
    expect(core.callsOf('identity.export')).toEqual([])
    type('Confirm passphrase', 'moving day', dialog)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Export and save' }))
    await expect.poll(() => created).toEqual(['Me.bitchat-identity'])
    expect(core.callsOf('identity.export')).toEqual([{ passphrase: 'moving day' }])
    expect(state().dialog).toBeNull()
    click.mockRestore()
  })

  it('with a passphrase set, asks for it too, and says so when it is wrong', async () => {
    const dialog = open(true)
    type('Current passphrase', 'guess', dialog)
    type('Passphrase for the file', 'moving day', dialog)
    type('Confirm passphrase', 'moving day', dialog)
    core.failNext('identity.export', 'WRONG_PASSPHRASE', 'wrong passphrase')
    fireEvent.click(within(dialog).getByRole('button', { name: 'Export and save' }))
    expect(await within(dialog).findByText('That is not your current passphrase.')).toBeTruthy()
    expect(core.callsOf('identity.export')).toEqual([{ passphrase: 'moving day', current: 'guess' }])
  })
})

describe('importing an identity on the first-run screen', () => {
  beforeEach(() => {
    core.status = { state: 'none' }
    actions().identityStatusChanged({ state: 'none' })
    renderWithClient(<FirstRun />, core)
    fireEvent.click(screen.getByRole('button', { name: 'I already have an identity' }))
  })
  const pick = (file: File) => { fireEvent.change(screen.getByLabelText('Identity file'), { target: { files: [file] } }) }
  const identityFile = () => new File([new Uint8Array([1, 2, 3])], 'Me.bitchat-identity')

  it('takes the file and its passphrase to identity.import and opens the workspace', async () => {
    pick(identityFile())
    type('Passphrase', 'moving day')
    fireEvent.click(screen.getByRole('button', { name: 'Import identity' }))
    await expect.poll(() => state().identityStatus?.state).toBe('ready')
    expect(core.callsOf('identity.import')).toEqual([{ data: 'AQID', passphrase: 'moving day' }])
  })

  it('says a wrong passphrase and a wrong file in plain words, with the core’s one click away', async () => {
    pick(identityFile())
    type('Passphrase', 'guess')
    core.failNext('identity.import', 'WRONG_PASSPHRASE', 'wrong passphrase')
    fireEvent.click(screen.getByRole('button', { name: 'Import identity' }))
    expect((await screen.findByRole('alert')).textContent).toContain('That passphrase does not open this file.')
    core.failNext('identity.import', 'FILE_ERROR', 'not an identity file: bad magic')
    fireEvent.click(screen.getByRole('button', { name: 'Import identity' }))
    await expect.poll(() => screen.getByRole('alert').textContent).toContain('This is not a BitChat identity file, or it is damaged.')
    expect(within(screen.getByRole('alert')).getByText('not an identity file: bad magic')).toBeTruthy()
    expect(state().identityStatus?.state).toBe('none')
  })

  it('asks for a file before calling the core, and goes back to creating one', () => {
    type('Passphrase', 'moving day')
    fireEvent.click(screen.getByRole('button', { name: 'Import identity' }))
    expect(screen.getByText('Choose the identity file you exported.')).toBeTruthy()
    expect(core.callsOf('identity.import')).toEqual([])
    fireEvent.click(screen.getByRole('button', { name: 'Create a new identity instead' }))
    expect(screen.getByRole('button', { name: 'Create identity' })).toBeTruthy()
  })
})

describe('locking the window', () => {
  const start = (encrypted: boolean) => {
    core.passphrase = 'open sesame'
    core.status = { state: 'ready', identity: { ...ME, encrypted } }
    actions().identityReady({ ...ME, encrypted })
    renderWithClient(<App />, core)
  }

  it('Ctrl+L hides the workspace behind the unlock screen until the passphrase is entered', async () => {
    start(true)
    expect(screen.getByRole('heading', { name: 'Start a conversation' })).toBeTruthy()
    fireEvent.keyDown(window, { key: 'l', code: 'KeyL', ctrlKey: true })
    expect(screen.getByRole('heading', { name: 'BitChat is locked' })).toBeTruthy()
    expect(screen.queryByRole('heading', { name: 'Start a conversation' })).toBeNull()
    type('Passphrase', 'wrong')
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    expect(await screen.findByText('Wrong passphrase. Try again.')).toBeTruthy()
    type('Passphrase', 'open sesame')
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    expect(await screen.findByRole('heading', { name: 'Start a conversation' })).toBeTruthy()
    expect(core.callsOf('identity.unlock')).toEqual([{ passphrase: 'wrong' }, { passphrase: 'open sesame' }])
  })

  it('keeps notices behind the lock: they may name a channel or a person', async () => {
    start(true)
    fireEvent.keyDown(window, { key: 'l', code: 'KeyL', ctrlKey: true })
    act(() => { actions().noticePosted('info', 'Bob joined #secret-plans') })
    expect(screen.queryByText('Bob joined #secret-plans')).toBeNull()
    type('Passphrase', 'open sesame')
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    expect(await screen.findByText('Bob joined #secret-plans')).toBeTruthy()
  })

  it('without a passphrase, does not lock and says a passphrase is needed', () => {
    start(false)
    fireEvent.keyDown(window, { key: 'l', code: 'KeyL', ctrlKey: true })
    expect(state().uiLocked).toBe(false)
    expect(state().notices.at(-1)?.text).toMatch(/Set a passphrase first/)
  })

  it('locks after the chosen idle time, kept in local storage, and input restarts the wait', () => {
    vi.useFakeTimers()
    try {
      actions().autoLockChanged(5)
      expect(localStorage.getItem('bitchat.autoLockMinutes')).toBe('5')
      start(true)
      vi.advanceTimersByTime(4 * 60_000)
      fireEvent.keyDown(window, { key: 'a' })
      vi.advanceTimersByTime(4 * 60_000)
      expect(state().uiLocked).toBe(false)
      vi.advanceTimersByTime(60_000)
      expect(state().uiLocked).toBe(true)
    } finally {
      vi.useRealTimers()
      actions().autoLockChanged(0)
    }
  })

  it('is set in Settings: Lock now, and the idle time, both needing a passphrase', () => {
    actions().identityReady({ ...ME, encrypted: false })
    actions().dialogOpened({ kind: 'settings' })
    renderWithClient(<DialogHost />, core)
    expect((screen.getByLabelText('Lock automatically') as HTMLSelectElement).disabled).toBe(true)
    fireEvent.click(screen.getByRole('button', { name: /Lock now/ }))
    expect(state().uiLocked).toBe(false)
    expect(screen.getAllByText(/Set a passphrase first/).length).toBeGreaterThan(0)
  })

  it('Settings’ Lock now locks an identity with a passphrase, and its choice sets the idle time', () => {
    actions().identityReady({ ...ME, encrypted: true })
    actions().dialogOpened({ kind: 'settings' })
    renderWithClient(<DialogHost />, core)
    fireEvent.change(screen.getByLabelText('Lock automatically'), { target: { value: '15' } })
    expect(state().autoLockMinutes).toBe(15)
    fireEvent.click(screen.getByRole('button', { name: /Lock now/ }))
    expect(state().uiLocked).toBe(true)
    expect(state().dialog).toBeNull()
    actions().autoLockChanged(0)
  })
})
