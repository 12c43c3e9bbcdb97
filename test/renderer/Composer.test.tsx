import { fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { Composer } from '../../renderer/src/components/Composer.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { FakeCore, hex, ME } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().identityReady(ME)
  renderWithClient(<Composer channelId={hex(1)} channelName="general" />, core)
})

const box = () => screen.getByRole('textbox', { name: 'Message' })
const type = (text: string) => { fireEvent.change(box(), { target: { value: text } }) }

describe('Composer', () => {
  it('sends on Enter and clears the box', async () => {
    type('hello there')
    const notPrevented = fireEvent.keyDown(box(), { key: 'Enter' })
    expect(notPrevented).toBe(false)
    await expect.poll(() => core.callsOf('messages.send')).toEqual([{ channelId: hex(1), text: 'hello there' }])
    expect(box()).toHaveProperty('value', '')
  })

  it('leaves Shift+Enter to the textarea for a new line', () => {
    type('line one')
    const notPrevented = fireEvent.keyDown(box(), { key: 'Enter', shiftKey: true })
    expect(notPrevented).toBe(true)
    expect(core.callsOf('messages.send')).toEqual([])
  })

  it('does not send while an input method is composing', () => {
    type('にほん')
    fireEvent.keyDown(box(), { key: 'Enter', isComposing: true })
    expect(core.callsOf('messages.send')).toEqual([])
  })

  it('does not send blank messages and disables Send for them', () => {
    type('  \n ')
    fireEvent.keyDown(box(), { key: 'Enter' })
    expect(core.callsOf('messages.send')).toEqual([])
    expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', true)
  })

  it('sends with the Send button, trimming trailing blank lines', async () => {
    type('multi\nline\n\n')
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    await expect.poll(() => core.callsOf('messages.send')).toEqual([{ channelId: hex(1), text: 'multi\nline' }])
  })

  it('gives the text back when sending fails', async () => {
    core.failNext('messages.send', 'MESSAGE_TOO_LARGE', 'message too large')
    type('keep me')
    fireEvent.keyDown(box(), { key: 'Enter' })
    await expect.poll(() => (box() as HTMLTextAreaElement).value).toBe('keep me')
    expect(useAppStore.getState().notices.at(-1)?.text).toMatch(/message too large/)
  })

  it('refuses text over the core’s limit', () => {
    type('x'.repeat(8193))
    expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', true)
    expect(screen.getByRole('alert').textContent).toMatch(/too long/)
  })

  it('refuses text whose UTF-8 is more than a message carries, before the core does, and says by how much', () => {
    type('€'.repeat(6000))
    expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', true)
    expect(screen.getByRole('alert').textContent).toBe('Too long to send: 18,000 bytes, a message carries 16,384. Shorten it or send it in parts.')
  })
})
