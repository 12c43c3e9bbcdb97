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

  it('tells an unreachable tab it keeps trying, and to check the daemon runs', () => {
    actions().connectionChanged('disconnected')
    showAt('#token=abc')
    expect(screen.getByRole('status').textContent).toBe('Cannot reach BitChat. Retrying…')
    expect(screen.getByText(/bitchat daemon --web/).closest('p')?.textContent).toMatch(/still running/)
  })

  it('tells a tab whose token the daemon refuses, plainly, to open the new address', () => {
    actions().connectionChanged('refused')
    showAt('#token=abc')
    expect(screen.getByRole('alert').textContent).toBe('This address is out of date: BitChat now has a new one.')
    expect(screen.getByText(/bitchat daemon --web/).closest('p')?.textContent).toMatch(/Open the address .* printed when it last started/)
    expect(screen.queryByRole('status')).toBeNull()
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
