import { act, fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import type { MessageInfo } from '../../core/api/contract.ts'
import { openChannel } from '../../renderer/src/app/commands.ts'
import { Workspace } from '../../renderer/src/components/Workspace.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, message } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'
import { boundCore } from './helpers/bound-core.ts'

const bound = boundCore(800)
let core: FakeCore
beforeEach(() => { core = bound.core })

async function show (general: MessageInfo[], random: MessageInfo[] = []) {
  core.addChannel(channel(1, { name: 'general', last: { ...general.at(-1)!, text: general.at(-1)!.text } }), general)
  core.addChannel(channel(2, { name: 'random' }), random)
  actions().channelsListed([...core.channels.values()])
  await act(async () => { await openChannel(core, hex(1)) })
  renderWithClient(<Workspace />, core)
}

const openSearch = () => { fireEvent.keyDown(window, { key: 'F', code: 'KeyF', ctrlKey: true, shiftKey: true }) }
const dialog = () => screen.queryByRole('dialog', { name: 'Search messages' })
const field = () => screen.getByRole('combobox', { name: 'Search messages' })
const type = (text: string) => { fireEvent.change(field(), { target: { value: text } }) }
const status = () => screen.getByTestId('search-status').textContent
const results = () => screen.queryAllByTestId('search-result')

describe('searching every conversation (Ctrl+Shift+F)', () => {
  it('says what it does before anything is typed', async () => {
    await show([message(1)])
    openSearch()
    expect(dialog()).not.toBeNull()
    expect(document.activeElement).toBe(field())
    expect(within(dialog()!).getByText(/every message that holds them is found/)).toBeTruthy()
  })

  it('groups what it finds by conversation, newest first, with author, time and the words marked', async () => {
    await show(
      [message(10, { text: 'Lunch at noon?' }), message(20, { text: 'no lunch for me', authorName: 'Ann', author: hex(1009) })],
      [message(3, { channelId: hex(2), text: 'LUNCH again', authorName: 'Ravi' })]
    )
    openSearch()
    type('lunch')
    await expect.poll(() => results().length).toBe(3)
    expect(status()).toBe('3 messages in 2 conversations')
    const groups = within(screen.getByRole('listbox', { name: 'Messages found' })).getAllByRole('group')
    expect(groups.map(g => g.querySelector('h3')?.textContent)).toEqual(['#general', '#random'])
    expect(within(groups[0]!).getAllByTestId('search-result').map(r => r.querySelector('.search-result__author')?.textContent)).toEqual(['Ann', 'Peer 1'])
    expect(results().map(r => [...r.querySelectorAll('mark')].map(m => m.textContent))).toEqual([['lunch'], ['Lunch'], ['LUNCH']])
    expect(results()[0]!.querySelector('time')?.getAttribute('datetime')).toBe(new Date(message(20).timestamp).toISOString())
  })

  it('shows a message that holds markup as the text it is', async () => {
    const text = 'lunch <img src=x onerror="alert(1)"> **bold** <a href="https://evil.example">link</a> &amp;'
    await show([message(1, { text })])
    openSearch()
    type('lunch')
    await expect.poll(() => results().length).toBe(1)
    const result = results()[0]!
    expect(result.querySelector('img, a, strong, b')).toBeNull()
    expect(result.querySelector('.search-result__text')?.textContent).toBe(text)
  })

  it('says so when nothing matches, and when the search fails, with the details one click away', async () => {
    await show([message(1, { text: 'hello' })])
    openSearch()
    type('zebra')
    await expect.poll(() => status()).toBe('No messages match “zebra”.')
    core.failNext('messages.search', 'DISK_FULL', 'database disk image is malformed')
    type('zebras')
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/^The search did not work\. Try again in a moment\./)
    expect(within(alert).getByText('Details').closest('details')?.textContent).toMatch(/database disk image is malformed/)
  })

  it('opens a result far back in history scrolled to it and highlighted, and gets back to the newest', async () => {
    const history = Array.from({ length: 500 }, (_, i) => message(i, { text: i === 100 ? 'the needle in the haystack' : `hay ${i}` }))
    await show(history)
    expect(screen.queryByText('the needle in the haystack')).toBeNull()
    openSearch()
    type('needle')
    await expect.poll(() => results().length).toBe(1)
    await act(async () => { fireEvent.keyDown(field(), { key: 'Enter' }) })
    expect(dialog()).toBeNull()
    expect(core.callsOf('messages.list').at(-1)).toEqual(expect.objectContaining({ channelId: hex(1), around: message(100).messageId }))
    const found = await screen.findByText('the needle in the haystack', { selector: '.message__text' })
    expect(found.closest('.message-list__row')?.className).toContain('message-list__row--flash')
    expect(useAppStore.getState().messages.get(hex(1))?.hasNewer).toBe(true)
    expect(document.activeElement?.getAttribute('role')).toBe('log')

    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Jump to latest' })) })
    await screen.findByText('hay 499', { selector: '.message__text' })
    expect(useAppStore.getState().messages.get(hex(1))?.hasNewer).toBe(false)
    // Following the newest again: the way back is no longer offered.
    await expect.poll(() => screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull()
  }, 20_000)

  it('Escape closes it, and the focus goes back where it was', async () => {
    await show([message(1)])
    const composer = screen.getByRole('textbox', { name: 'Message' })
    composer.focus()
    openSearch()
    fireEvent.keyDown(field(), { key: 'Escape' })
    expect(dialog()).toBeNull()
    expect(document.activeElement).toBe(composer)
  })
})
