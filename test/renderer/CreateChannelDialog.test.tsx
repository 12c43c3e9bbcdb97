import { fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { CreateChannelDialog } from '../../renderer/src/components/CreateChannelDialog.tsx'
import { DEFAULT_TRACKERS } from '../../renderer/src/lib/default-trackers.ts'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { FakeCore } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().dialogOpened({ kind: 'create' })
  renderWithClient(<CreateChannelDialog />, core)
})

const submit = () => { fireEvent.click(screen.getByRole('button', { name: 'Create channel' })) }
const set = (label: string, value: string) => { fireEvent.change(screen.getByLabelText(label), { target: { value } }) }

describe('CreateChannelDialog', () => {
  it('is a labelled modal dialog with the name field focused', () => {
    expect(screen.getByRole('dialog', { name: 'New channel' })).toBeTruthy()
    expect(document.activeElement).toBe(screen.getByLabelText('Channel name'))
  })

  it('offers public trackers by default', () => {
    expect((screen.getByLabelText('Trackers') as HTMLTextAreaElement).value).toBe(DEFAULT_TRACKERS.join('\n'))
  })

  it('requires a name and does not call the core without one', () => {
    submit()
    expect(screen.getByText('Channel name is required')).toBeTruthy()
    expect(screen.getByLabelText('Channel name').getAttribute('aria-invalid')).toBe('true')
    expect(core.callsOf('channels.create')).toEqual([])
  })

  it('rejects a malformed tracker URL', () => {
    set('Channel name', 'general')
    set('Trackers', 'tracker.example.com')
    submit()
    expect(screen.getByText(/Tracker "tracker.example.com" is not a udp:\/\/, http\(s\):\/\/ or ws\(s\):\/\/ URL/)).toBeTruthy()
    expect(core.callsOf('channels.create')).toEqual([])
  })

  it('asks for member keys only when invite-only is chosen', () => {
    expect(screen.queryByLabelText('Members')).toBeNull()
    fireEvent.click(screen.getByRole('radio', { name: /Invite-only/ }))
    set('Channel name', 'secret')
    set('Members', 'not-a-key')
    submit()
    expect(screen.getByText(/Not a public key/)).toBeTruthy()
    expect(core.callsOf('channels.create')).toEqual([])
  })

  it('creates the channel, opens it and offers to share it', async () => {
    set('Channel name', '  book-club ')
    submit()
    await expect.poll(() => core.callsOf('channels.create')).toEqual([{ name: 'book-club', trackers: [...DEFAULT_TRACKERS], inviteOnly: false }])
    await expect.poll(() => useAppStore.getState().dialog?.kind).toBe('share')
    expect(useAppStore.getState().channels.get(useAppStore.getState().activeChannelId ?? '')?.name).toBe('book-club')
  })

  it('shows the core’s refusal', async () => {
    core.failNext('channels.create', 'INVALID_PARAMS', 'params.name is too long')
    set('Channel name', 'x')
    submit()
    expect(await screen.findByText('params.name is too long')).toBeTruthy()
  })

  it('closes on Escape', () => {
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' })
    expect(useAppStore.getState().dialog).toBeNull()
  })
})
