import { act, fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { MessageInfo } from '../../core/api/contract.ts'
import { openChannel } from '../../renderer/src/app/commands.ts'
import { Conversation } from '../../renderer/src/components/Conversation.tsx'
import { DialogHost } from '../../renderer/src/components/DialogHost.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, ME, message, peer } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'
import { boundCore } from './helpers/bound-core.ts'

const bound = boundCore(2000)
let core: FakeCore
beforeEach(() => { core = bound.core })

const mine = (n: number, fields: Partial<MessageInfo> = {}) => message(n, { author: ME.publicKey, authorName: ME.name, own: true, text: `mine ${n}`, state: 'sent', deliveredTo: 0, readBy: 0, ...fields })

async function show (messages: MessageInfo[] = [message(1), mine(2)]) {
  const summary = channel(1)
  core.addChannel(summary, messages, [peer(1)])
  actions().channelsListed([summary])
  await act(async () => { await openChannel(core, summary.channelId) })
  renderWithClient(<><Conversation channel={summary} /><DialogHost /></>, core)
}

const item = (text: string) => screen.getByText(text, { selector: '.message__text' }).closest('[data-testid="message"]') as HTMLElement
const box = () => screen.getByRole('textbox', { name: 'Message' })
const openMenu = (text: string) => { fireEvent.click(within(item(text)).getByRole('button', { name: 'More actions' })) }

describe('a message as it shows', () => {
  it('shows a reply with the message it answers, and says when that one is deleted or not there', async () => {
    await show([
      message(1, { text: 'lunch?' }),
      mine(2, { text: 'yes', replyTo: { messageId: hex(100_001), author: hex(1001), authorName: 'Peer 1', text: 'lunch?' } }),
      message(3, { text: 'too late', replyTo: { messageId: hex(9), deleted: true } }),
      message(4, { text: 'what?', replyTo: { messageId: hex(8), missing: true } })
    ])
    const quote = within(item('yes')).getByTestId('quote')
    expect(quote.textContent).toBe('Peer 1lunch?')
    expect(within(item('too late')).getByTestId('quote').textContent).toBe('Original message deleted')
    expect(within(item('what?')).getByTestId('quote').textContent).toBe('Original message not available')
  })

  it('scrolls to the original when its quote is clicked, and highlights it', async () => {
    await show([message(1, { text: 'lunch?' }), mine(2, { text: 'yes', replyTo: { messageId: hex(100_001), authorName: 'Peer 1', text: 'lunch?' } })])
    fireEvent.click(within(item('yes')).getByTestId('quote'))
    expect(item('lunch?').closest('.message-list__row')?.className).toContain('message-list__row--flash')
  })

  it('brings the original into the list when it is further back than what is loaded', async () => {
    const history = Array.from({ length: 400 }, (_, i) => message(i, { text: `line ${i}` }))
    await show([...history, mine(400, { text: 'yes', replyTo: { messageId: message(5).messageId, authorName: 'Peer 1', text: 'line 5' } })])
    expect(screen.queryByText('line 5', { selector: '.message__text' })).toBeNull()
    await act(async () => { fireEvent.click(within(item('yes')).getByTestId('quote')) })
    expect(core.callsOf('messages.list')).toContainEqual(expect.objectContaining({ around: message(5).messageId }))
    expect(item('line 5').closest('.message-list__row')?.className).toContain('message-list__row--flash')
    expect(useAppStore.getState().notices).toEqual([])
  }, 20_000)

  it('says when the original is not there any more', async () => {
    await show([mine(2, { text: 'yes', replyTo: { messageId: hex(7), authorName: 'Peer 1', text: 'old' } })])
    await act(async () => { fireEvent.click(within(item('yes')).getByTestId('quote')) })
    expect(useAppStore.getState().notices.map(n => n.text)).toEqual(['The original message is not available here any more.'])
  })

  it('marks an edited message, with when it was edited in the tooltip', async () => {
    await show([mine(2, { text: 'fixed', editedAt: Date.UTC(2024, 4, 1, 13) })])
    const edited = within(item('fixed')).getByTestId('edited')
    expect(edited.textContent).toBe('(edited)')
    expect(edited.title).toMatch(/^Edited .*2024/)
  })

  it('shows a deleted message as deleted, with no actions', async () => {
    await show([message(1, { text: '', deleted: true })])
    const deleted = item('This message was deleted')
    expect(within(deleted).queryByRole('toolbar')).toBeNull()
  })

  it('shows reactions as chips: count, ours highlighted, who in the tooltip', async () => {
    await show([message(1, { text: 'hi', reactions: [
      { emoji: '👍', count: 2, mine: true, by: [ME.publicKey, hex(1001)] },
      { emoji: '🎉', count: 1, mine: false, by: [hex(1001)] }
    ] })])
    const [thumbs, party] = within(item('hi')).getAllByTestId('reaction')
    expect(thumbs!.textContent).toBe('👍2')
    expect(thumbs!.getAttribute('aria-pressed')).toBe('true')
    expect(thumbs!.title).toBe('👍 by you and Peer 1 (click to take yours back)')
    expect(party!.getAttribute('aria-pressed')).toBe('false')
    expect(party!.title).toBe('🎉 by Peer 1')
  })
})

describe('message actions', () => {
  it('adds our reaction when a chip is clicked, and takes it back when it is clicked again', async () => {
    await show([message(1, { text: 'hi', reactions: [{ emoji: '🎉', count: 1, mine: false, by: [hex(1001)] }] })])
    fireEvent.click(within(item('hi')).getByTestId('reaction'))
    await expect.poll(() => core.callsOf('messages.react')).toEqual([{ channelId: hex(1), messageId: hex(100_001), emoji: '🎉' }])
    await expect.poll(() => within(item('hi')).getByTestId('reaction').getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(within(item('hi')).getByTestId('reaction'))
    await expect.poll(() => core.callsOf('messages.react')[1]).toEqual({ channelId: hex(1), messageId: hex(100_001), emoji: '' })
  })

  it('reacts from the picker, which offers the reactions already there and the common ones', async () => {
    await show([message(1, { text: 'hi', reactions: [{ emoji: '🦄', count: 1, mine: false, by: [hex(1001)] }] })])
    fireEvent.click(within(item('hi')).getByRole('button', { name: 'React' }))
    const picker = screen.getByRole('dialog', { name: 'React with' })
    const emoji = within(picker).getAllByRole('button').map(b => b.textContent)
    expect(emoji.slice(0, 3)).toEqual(['🦄', '👍', '❤️'])
    expect(document.activeElement).toBe(within(picker).getAllByRole('button')[0])
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' })
    expect(document.activeElement?.textContent).toBe('👍')
    fireEvent.click(document.activeElement!)
    await expect.poll(() => core.callsOf('messages.react')).toEqual([{ channelId: hex(1), messageId: hex(100_001), emoji: '👍' }])
    await expect.poll(() => within(item('hi')).getAllByTestId('reaction').map(r => r.textContent)).toEqual(['👍1'])
    expect(screen.queryByRole('dialog', { name: 'React with' })).toBeNull()
  })

  it('offers edit and delete on our own messages only', async () => {
    await show()
    openMenu('message 1')
    expect(screen.getAllByRole('menuitem').map(i => i.textContent)).toEqual(['Reply', 'React…', 'Copy text'])
    fireEvent.keyDown(document, { key: 'Escape' })
    expect(screen.queryByRole('menu')).toBeNull()
    openMenu('mine 2')
    expect(screen.getAllByRole('menuitem').map(i => i.textContent)).toEqual(['Reply', 'React…', 'Copy text', 'Edit', 'Delete for everyone…'])
  })

  it('opens the same menu on a right click, moved through with the arrow keys', async () => {
    await show()
    fireEvent.contextMenu(item('mine 2'), { clientX: 100, clientY: 100 })
    const items = screen.getAllByRole('menuitem')
    expect(document.activeElement).toBe(items[0])
    fireEvent.keyDown(items[0]!, { key: 'ArrowUp' })
    expect(document.activeElement).toBe(items[4])
  })

  it('replies: the quote shows above the composer, Escape cancels, and what is sent answers the message', async () => {
    await show()
    fireEvent.click(within(item('message 1')).getByRole('button', { name: 'Reply' }))
    expect(screen.getByTestId('compose-mode').textContent).toContain('Replying to Peer 1')
    fireEvent.keyDown(box(), { key: 'Escape' })
    expect(screen.queryByTestId('compose-mode')).toBeNull()
    fireEvent.click(within(item('message 1')).getByRole('button', { name: 'Reply' }))
    fireEvent.change(box(), { target: { value: 'sure' } })
    fireEvent.keyDown(box(), { key: 'Enter' })
    await expect.poll(() => core.callsOf('messages.send')).toEqual([{ channelId: hex(1), text: 'sure', replyTo: hex(100_001) }])
    expect(screen.queryByTestId('compose-mode')).toBeNull()
    await expect.poll(() => within(item('sure')).getByTestId('quote').textContent).toBe('Peer 1message 1')
  })

  it('edits from the menu: the words go to the composer, Enter saves, and the message shows edited', async () => {
    await show()
    fireEvent.change(box(), { target: { value: 'half a thought' } })
    openMenu('mine 2')
    fireEvent.click(screen.getByRole('menuitem', { name: 'Edit' }))
    expect(box()).toHaveProperty('value', 'mine 2')
    expect(screen.getByTestId('compose-mode').textContent).toContain('Editing your message')
    fireEvent.change(box(), { target: { value: 'mine two' } })
    fireEvent.keyDown(box(), { key: 'Enter' })
    await expect.poll(() => core.callsOf('messages.edit')).toEqual([{ channelId: hex(1), messageId: hex(100_002), text: 'mine two' }])
    await expect.poll(() => within(item('mine two')).queryByTestId('edited')).not.toBeNull()
    expect(box()).toHaveProperty('value', 'half a thought')
  })

  it('edits our last message with Up on an empty composer; Escape gives the composer back empty', async () => {
    await show([mine(1), message(2), mine(3, { text: '', deleted: true })])
    fireEvent.keyDown(box(), { key: 'ArrowUp' })
    expect(box()).toHaveProperty('value', 'mine 1')
    fireEvent.keyDown(box(), { key: 'Escape' })
    expect(box()).toHaveProperty('value', '')
    expect(core.callsOf('messages.edit')).toEqual([])
  })

  it('asks before deleting for everyone, then shows the message as deleted', async () => {
    await show()
    openMenu('mine 2')
    fireEvent.click(screen.getByRole('menuitem', { name: 'Delete for everyone…' }))
    const dialog = screen.getByRole('dialog', { name: 'Delete for everyone?' })
    expect(core.callsOf('messages.delete')).toEqual([])
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete for everyone' }))
    await expect.poll(() => core.callsOf('messages.delete')).toEqual([{ channelId: hex(1), messageId: hex(100_002) }])
    await expect.poll(() => screen.queryByText('This message was deleted')).not.toBeNull()
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('copies a message’s text', async () => {
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } })
    await show()
    openMenu('message 1')
    fireEvent.click(screen.getByRole('menuitem', { name: 'Copy text' }))
    await expect.poll(() => writeText.mock.calls).toEqual([['message 1']])
  })
})

describe('message.updated', () => {
  it('changes the message in place, and the quotes of it, leaving the other messages as they were', async () => {
    await show([message(1, { text: 'lunch?' }), message(2), mine(3, { text: 'yes', replyTo: { messageId: hex(100_001), author: hex(1001), authorName: 'Peer 1', text: 'lunch?' } })])
    const before = useAppStore.getState().messages.get(hex(1))!.list
    act(() => { core.emit('message.updated', message(1, { text: 'dinner?', editedAt: Date.now() })) })
    const after = useAppStore.getState().messages.get(hex(1))!.list
    expect(after[1]).toBe(before[1])
    expect(within(item('dinner?')).getByTestId('edited')).toBeTruthy()
    expect(within(item('yes')).getByTestId('quote').textContent).toBe('Peer 1dinner?')
    act(() => { core.emit('message.updated', message(1, { text: '', deleted: true })) })
    expect(within(item('yes')).getByTestId('quote').textContent).toBe('Original message deleted')
    expect(screen.getByText('This message was deleted')).toBeTruthy()
  })

  it('ignores an update of a message that is not loaded', async () => {
    await show([message(1)])
    const before = useAppStore.getState().messages
    act(() => { core.emit('message.updated', message(50, { text: 'far back' })) })
    expect(useAppStore.getState().messages).toBe(before)
  })
})
