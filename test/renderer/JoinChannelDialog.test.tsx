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

  it('takes a contact link to the add-contact dialog instead of trying to join it', () => {
    const link = 'bitchat:contact?v=1&k=' + '7'.repeat(64) + '&n=Alice&x=0badc0de'
    fireEvent.change(screen.getByLabelText('Invite link'), { target: { value: link } })
    fireEvent.click(screen.getByRole('button', { name: 'Join with link' }))
    expect(useAppStore.getState().dialog).toEqual({ kind: 'add-contact', link })
    expect(core.callsOf('channels.join')).toEqual([])
  })

  it('refuses something that is not a bitchat: link', () => {
    fireEvent.change(screen.getByLabelText('Invite link'), { target: { value: 'https://example.com' } })
    fireEvent.click(screen.getByRole('button', { name: 'Join with link' }))
    expect(screen.getByText('Invite links start with bitchat:')).toBeTruthy()
    expect(core.callsOf('channels.join')).toEqual([])
  })

  it('says in plain words that a refused link does not work, with the core\'s reason one click away', async () => {
    core.failNext('channels.join', 'INVALID_URI', 'invalid bitchat: link: missing s')
    fireEvent.change(screen.getByLabelText('Invite link'), { target: { value: 'bitchat:?v=1' } })
    fireEvent.click(screen.getByRole('button', { name: 'Join with link' }))
    const problem = await screen.findByRole('alert')
    expect(problem.textContent).toBe('This invite link does not work: it is incomplete, was changed, or was made by another version of BitChat. Ask for a new one.')
    const details = screen.getByText('Details').closest('details')!
    expect(details.open).toBe(false)
    expect(details.textContent).toContain('invalid bitchat: link: missing s')
  })

  it('says the same of a refused .chat file', async () => {
    core.failNext('channels.join', 'INVALID_CHAT_FILE', 'invalid .chat file: not a bencoded dictionary')
    fireEvent.change(screen.getByTestId('chat-file-input'), { target: { files: [new File([new Uint8Array([1])], 'team.chat')] } })
    const problem = await screen.findByRole('alert')
    expect(problem.textContent).toBe('This file is not a BitChat invite that works: it is damaged, was changed, or was made by another version of BitChat. Ask for a new one.')
    expect(screen.getByText('Details').closest('details')!.textContent).toContain('not a bencoded dictionary')
  })

  it('says plainly that an invitation was altered, for a link and a file alike', async () => {
    const words = 'This invitation was altered: its channel name or members are not the ones its creator made. Do not trust it; ask the creator for a new one.'
    core.failNext('channels.join', 'INVITATION_ALTERED', 'this invitation was altered: the link\'s name, members or other details are not the ones its creator signed')
    fireEvent.change(screen.getByLabelText('Invite link'), { target: { value: 'bitchat:?v=3&n=bank' } })
    fireEvent.click(screen.getByRole('button', { name: 'Join with link' }))
    expect((await screen.findByRole('alert')).textContent).toBe(words)
    expect(screen.getByText('Details').closest('details')!.textContent).toContain('not the ones its creator signed')
    core.failNext('channels.join', 'INVITATION_ALTERED', 'this invitation was altered: the file\'s name, members or other details are not the ones its creator signed')
    fireEvent.change(screen.getByTestId('chat-file-input'), { target: { files: [new File([new Uint8Array([1])], 'team.chat')] } })
    await expect.poll(() => screen.getByRole('alert').textContent).toBe(words)
  })

  it('shows other failures as the core words them', async () => {
    core.failNext('channels.join', 'DISK_FULL', 'the disk is full: nothing new can be saved until some space is freed')
    fireEvent.change(screen.getByLabelText('Invite link'), { target: { value: 'bitchat:?v=3' } })
    fireEvent.click(screen.getByRole('button', { name: 'Join with link' }))
    expect((await screen.findByRole('alert')).textContent).toBe('the disk is full: nothing new can be saved until some space is freed')
    expect(screen.queryByText('Details')).toBeNull()
  })

  it('joins with a picked .chat file sent as base64', async () => {
    const input = screen.getByTestId('chat-file-input')
    fireEvent.change(input, { target: { files: [new File([new Uint8Array([1, 2, 3])], 'team.chat')] } })
    await expect.poll(() => core.callsOf('channels.join')).toEqual([{ data: 'AQID' }])
  })
})
