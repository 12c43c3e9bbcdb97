import { render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { Splash } from '../../renderer/src/components/Splash.tsx'
import { actions } from '../../renderer/src/store/store.ts'

const showAt = (hash: string): void => {
  window.location.hash = hash
  render(<Splash />)
}

afterEach(() => { window.location.hash = '' })

describe('Splash', () => {
  it('says a browser tab opened without its token is not authorised, and how to get in', () => {
    showAt('')
    expect(screen.getByRole('alert').textContent).toBe('Not authorised: this address has no access token.')
    expect(screen.getByText(/bitchat daemon --web/).closest('p')?.textContent).toMatch(/including its #token=… part/)
    expect(screen.queryByRole('status')).toBeNull()
  })

  it('shows connecting while a tab with a token waits for its first connection', () => {
    showAt('#token=abc')
    expect(screen.getByRole('status').textContent).toBe('Connecting to BitChat…')
    expect(screen.queryByRole('alert')).toBeNull()
    expect(screen.queryByText(/bitchat daemon --web/)).toBeNull()
  })

  it('points an unreachable tab at the fresh address, since a restarted daemon has a new token', () => {
    actions().connectionChanged('disconnected')
    showAt('#token=abc')
    expect(screen.getByRole('status').textContent).toBe('Cannot reach BitChat. Retrying…')
    expect(screen.getByText(/bitchat daemon --web/).closest('p')?.textContent).toMatch(/token changes every time the daemon starts/)
  })

  it('gives Electron, which needs no token, only the plain connection state', () => {
    window.bitchat = {} as NonNullable<typeof window.bitchat>
    try {
      actions().connectionChanged('disconnected')
      showAt('')
      expect(screen.getByRole('status').textContent).toBe('Cannot reach BitChat. Retrying…')
      expect(screen.queryByRole('alert')).toBeNull()
      expect(screen.queryByText(/bitchat daemon --web/)).toBeNull()
    } finally {
      delete window.bitchat
    }
  })
})
