// The setting of most window tests: a fake core with the window's event handlers bound to it and the
// identity ready, made anew for each test of the file, in a viewport `height` px tall.
import { afterEach, beforeEach } from 'vitest'
import { bindEvents } from '../../../renderer/src/app/events.ts'
import { actions } from '../../../renderer/src/store/store.ts'
import { FakeCore, ME } from './fake-core.ts'
import { fakeViewport } from './render.tsx'

export function boundCore (height: number): { readonly core: FakeCore } {
  const bound = {} as { core: FakeCore }
  let restoreViewport: () => void = () => {}
  let unbind: () => void = () => {}
  beforeEach(() => {
    restoreViewport = fakeViewport(height)
    bound.core = new FakeCore()
    unbind = bindEvents(bound.core)
    actions().identityReady(ME)
  })
  afterEach(() => {
    unbind()
    restoreViewport()
  })
  return bound
}
