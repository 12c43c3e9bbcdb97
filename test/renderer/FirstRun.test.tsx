import { fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { FirstRun } from '../../renderer/src/components/FirstRun.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { FakeCore } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  core.status = { state: 'none' }
  actions().identityStatusChanged({ state: 'none' })
  renderWithClient(<FirstRun />, core)
})

const set = (label: string, value: string) => { fireEvent.change(screen.getByLabelText(label), { target: { value } }) }
const submit = () => { fireEvent.click(screen.getByRole('button', { name: 'Create identity' })) }

describe('FirstRun', () => {
  it('requires a display name', () => {
    submit()
    expect(screen.getByText('Display name is required')).toBeTruthy()
    expect(core.callsOf('identity.create')).toEqual([])
  })

  it('asks to confirm a passphrase and catches a mismatch', () => {
    set('Display name', 'Dana')
    expect(screen.queryByLabelText('Confirm passphrase')).toBeNull()
    set('Passphrase (optional)', 'correct horse')
    set('Confirm passphrase', 'correct hose')
    submit()
    expect(screen.getByText('Passphrases do not match')).toBeTruthy()
    expect(core.callsOf('identity.create')).toEqual([])
  })

  it('creates an identity without a passphrase when none is given', async () => {
    set('Display name', ' Dana ')
    submit()
    await expect.poll(() => core.callsOf('identity.create')).toEqual([{ name: 'Dana' }])
    await expect.poll(() => useAppStore.getState().identityStatus?.state).toBe('ready')
  })

  it('creates an identity protected by the passphrase', async () => {
    set('Display name', 'Dana')
    set('Passphrase (optional)', 'correct horse')
    set('Confirm passphrase', 'correct horse')
    submit()
    await expect.poll(() => core.callsOf('identity.create')).toEqual([{ name: 'Dana', passphrase: 'correct horse' }])
  })
})
