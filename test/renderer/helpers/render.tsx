import { render, type RenderResult } from '@testing-library/react'
import type { ReactElement } from 'react'
import type { BitChatClient } from '../../../core/api/contract.ts'
import { ClientContext } from '../../../renderer/src/app/client-context.ts'

export function renderWithClient (ui: ReactElement, client: BitChatClient): RenderResult {
  return render(<ClientContext.Provider value={client}>{ui}</ClientContext.Provider>)
}

/**
 * jsdom does no layout; give scroll containers a real-looking viewport so windowing has something
 * to fit. `height` as a function lets a test resize it, as a growing composer does.
 */
export function fakeViewport (height: number | (() => number)): () => void {
  const proto = HTMLElement.prototype
  const original = Object.getOwnPropertyDescriptor(proto, 'clientHeight')
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get () { return typeof height === 'number' ? height : height() } })
  return () => {
    if (original !== undefined) Object.defineProperty(proto, 'clientHeight', original)
  }
}
