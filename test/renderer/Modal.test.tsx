import { act, fireEvent, render, screen } from '@testing-library/react'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { Modal } from '../../renderer/src/components/Modal.tsx'

function Opener ({ onClose = () => {}, children }: { onClose?: () => void; children?: React.ReactNode }) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" onClick={() => { setOpen(true) }}>Open</button>
      <button type="button">Behind</button>
      {open && (
        <Modal title="Test dialog" onClose={() => { onClose(); setOpen(false) }}>
          {children ?? <><input aria-label="First" /><button type="button">Last</button></>}
        </Modal>
      )}
    </>
  )
}

const open = () => {
  const opener = screen.getByRole('button', { name: 'Open' })
  opener.focus()
  fireEvent.click(opener)
  return opener
}

describe('Modal', () => {
  it('moves focus in, and gives it back to what opened it on Escape', () => {
    render(<Opener />)
    const opener = open()
    expect(document.activeElement).toBe(screen.getByLabelText('First'))
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(opener)
  })

  it('wraps Tab and Shift+Tab inside the dialog', () => {
    render(<Opener />)
    open()
    const first = screen.getByLabelText('First')
    const close = screen.getByRole('button', { name: 'Close' })
    const last = screen.getByRole('button', { name: 'Last' })
    last.focus()
    fireEvent.keyDown(last, { key: 'Tab' })
    expect(document.activeElement).toBe(close)
    fireEvent.keyDown(close, { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(last)
    expect(first).toBeTruthy()
  })

  it('still closes on Escape when the focused control vanished and focus fell to the page', () => {
    const onClose = vi.fn()
    render(<Opener onClose={onClose} />)
    open()
    ;(document.activeElement as HTMLElement).blur()
    expect(document.activeElement).toBe(document.body)
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(onClose).toHaveBeenCalledOnce()
  })

  it('brings Tab back into the dialog from the page behind it', () => {
    render(<Opener />)
    open()
    ;(document.activeElement as HTMLElement).blur()
    fireEvent.keyDown(document.body, { key: 'Tab' })
    expect(screen.getByRole('dialog').contains(document.activeElement)).toBe(true)
  })

  it('catches the focus when the focused control is removed', async () => {
    function Vanishing () {
      const [shown, setShown] = useState(true)
      return shown ? <button type="button" onClick={() => { setShown(false) }}>Vanish</button> : <p>Gone</p>
    }
    render(<Opener><Vanishing /></Opener>)
    open()
    const vanish = screen.getByRole('button', { name: 'Vanish' })
    vanish.focus()
    await act(async () => { fireEvent.click(vanish) })
    await vi.waitFor(() => { expect(screen.getByRole('dialog').contains(document.activeElement)).toBe(true) })
  })
})
