import { fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { Unlock } from '../../renderer/src/components/Unlock.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { FakeCore } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  core.status = { state: 'locked' }
  core.passphrase = 'open sesame'
  actions().identityStatusChanged({ state: 'locked' })
  renderWithClient(<Unlock />, core)
})

const unlockWith = (passphrase: string) => {
  fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: passphrase } })
  fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
}

describe('Unlock', () => {
  it('says so when the passphrase is wrong', async () => {
    unlockWith('guess')
    expect(await screen.findByText('Wrong passphrase. Try again.')).toBeTruthy()
    expect(useAppStore.getState().identityStatus?.state).toBe('locked')
  })

  it('unlocks with the right passphrase', async () => {
    unlockWith('open sesame')
    await expect.poll(() => useAppStore.getState().identityStatus?.state).toBe('ready')
  })
})
