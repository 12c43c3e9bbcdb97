import { fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { JoinChannelDialog } from '../../renderer/src/components/JoinChannelDialog.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { FakeCore } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().dialogOpened({ kind: 'join' })
  renderWithClient(<JoinChannelDialog />, core)
})

describe('JoinChannelDialog', () => {
  it('joins with a pasted invite link', async () => {
    fireEvent.change(screen.getByLabelText('Invite link'), { target: { value: ' bitchat:?v=1&n=team ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Join with link' }))
    await expect.poll(() => core.callsOf('channels.join')).toEqual([{ uri: 'bitchat:?v=1&n=team' }])
    await expect.poll(() => useAppStore.getState().dialog).toBeNull()
  })

  it('refuses something that is not a bitchat: link', () => {
    fireEvent.change(screen.getByLabelText('Invite link'), { target: { value: 'https://example.com' } })
    fireEvent.click(screen.getByRole('button', { name: 'Join with link' }))
    expect(screen.getByText('Invite links start with bitchat:')).toBeTruthy()
    expect(core.callsOf('channels.join')).toEqual([])
  })

  it('shows why the core refused a link', async () => {
    core.failNext('channels.join', 'INVALID_URI', 'invalid bitchat: link: missing s')
    fireEvent.change(screen.getByLabelText('Invite link'), { target: { value: 'bitchat:?v=1' } })
    fireEvent.click(screen.getByRole('button', { name: 'Join with link' }))
    expect(await screen.findByText('invalid bitchat: link: missing s')).toBeTruthy()
  })

  it('joins with a picked .chat file sent as base64', async () => {
    const input = screen.getByTestId('chat-file-input')
    fireEvent.change(input, { target: { files: [new File([new Uint8Array([1, 2, 3])], 'team.chat')] } })
    await expect.poll(() => core.callsOf('channels.join')).toEqual([{ data: 'AQID' }])
  })
})
