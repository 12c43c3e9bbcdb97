import { fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { DropZone } from '../../renderer/src/components/DropZone.tsx'
import { useAppStore } from '../../renderer/src/store/store.ts'
import { contactFile, FakeCore, hex } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  renderWithClient(<DropZone />, core)
})

const files = (...list: File[]) => ({ dataTransfer: { types: ['Files'], files: list, dropEffect: 'none' } })

describe('DropZone', () => {
  it('shows the overlay while a file is dragged over the window', () => {
    expect(screen.queryByText('Drop a .chat file to join')).toBeNull()
    fireEvent.dragEnter(window, files())
    expect(screen.getByText('Drop a .chat file to join')).toBeTruthy()
    fireEvent.dragLeave(window, files())
    expect(screen.queryByText('Drop a .chat file to join')).toBeNull()
  })

  it('ignores drags of text', () => {
    fireEvent.dragEnter(window, { dataTransfer: { types: ['text/plain'], files: [] } })
    expect(screen.queryByText('Drop a .chat file to join')).toBeNull()
  })

  it('joins with the dropped .chat file as base64', async () => {
    const bytes = new Uint8Array([100, 52, 58, 110, 97, 109, 101, 255, 0])
    fireEvent.dragEnter(window, files())
    const allowed = fireEvent.drop(window, files(new File([bytes], 'team.chat')))
    expect(allowed).toBe(false)
    await expect.poll(() => core.callsOf('channels.join')).toEqual([{ data: btoa(String.fromCharCode(...bytes)) }])
    expect(screen.queryByText('Drop a .chat file to join')).toBeNull()
  })

  it('opens Add a contact with a dropped contact file, instead of joining', async () => {
    const text = contactFile(hex(7), 'Alice')
    fireEvent.drop(window, files(new File([text], 'Alice.bitchat-contact')))
    await expect.poll(() => useAppStore.getState().dialog).toEqual({ kind: 'add-contact', contactFile: text })
    expect(core.callsOf('channels.join')).toEqual([])
  })

  it('says the overlay takes contact files too', () => {
    fireEvent.dragEnter(window, files())
    expect(screen.getByText('or a contact file (.bitchat-contact) to add the person')).toBeTruthy()
  })

  it('explains instead of joining when the file is not a .chat file', async () => {
    fireEvent.drop(window, files(new File(['hi'], 'notes.txt')))
    await expect.poll(() => useAppStore.getState().notices.at(-1)?.text).toMatch(/notes.txt is not a .chat file/)
    expect(core.callsOf('channels.join')).toEqual([])
  })

  it('says in plain words that a dropped file was refused, keeping the core\'s reason as the detail', async () => {
    core.failNext('channels.join', 'INVALID_CHAT_FILE', 'invalid .chat file: this file was altered')
    fireEvent.drop(window, files(new File([new Uint8Array([1])], 'team.chat')))
    await expect.poll(() => useAppStore.getState().notices.at(-1)).toMatchObject({
      tone: 'error',
      text: 'Could not join: this file is not a BitChat invite that works: it is damaged, was changed, or was made by another version of BitChat. Ask for a new one.',
      detail: 'invalid .chat file: this file was altered'
    })
  })
})
