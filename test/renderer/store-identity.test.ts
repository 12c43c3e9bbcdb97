import { describe, expect, it } from 'vitest'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { ME } from './helpers/fake-core.ts'

describe('identity slice', () => {
  it('starts unknown until the core answers', () => {
    expect(useAppStore.getState().identityStatus).toBeNull()
  })

  it('takes the status the core reports', () => {
    actions().identityStatusChanged({ state: 'locked' })
    expect(useAppStore.getState().identityStatus).toEqual({ state: 'locked' })
  })

  it('turns an identity returned by create or unlock into a ready status', () => {
    actions().identityStatusChanged({ state: 'none' })
    actions().identityReady(ME)
    expect(useAppStore.getState().identityStatus).toEqual({ state: 'ready', identity: ME })
  })
})
