import { act, fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { MessageInfo, MethodName } from '../../core/api/contract.ts'
import { openChannel } from '../../renderer/src/app/commands.ts'
import { Workspace } from '../../renderer/src/components/Workspace.tsx'
import { actions } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, message } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'
import { boundCore } from './helpers/bound-core.ts'

const bound = boundCore(800)
let core: FakeCore
beforeEach(() => { core = bound.core })

async function show (messages: MessageInfo[]) {
  core.addChannel(channel(1, { name: 'general' }), messages)
  core.addChannel(channel(2, { name: 'random' }), [message(1, { channelId: hex(2), text: 'apple elsewhere' })])
  actions().channelsListed([...core.channels.values()])
  await act(async () => { await openChannel(core, hex(1)) })
  renderWithClient(<Workspace />, core)
}

const FRUIT = [message(1, { text: 'apple pie' }), message(2, { text: 'banana' }), message(3, { text: 'Apple juice' }), message(4, { text: 'APPLE tart' })]

const find = () => { fireEvent.keyDown(window, { key: 'f', code: 'KeyF', ctrlKey: true }) }
const bar = () => screen.queryByTestId('find-bar')
const field = () => screen.getByRole('searchbox', { name: 'Find in conversation' })
const count = () => screen.getByTestId('find-count').textContent
const current = () => document.querySelector('.message-list__row--current .message__text')?.textContent
const press = async (key: string, shiftKey = false) => { await act(async () => { fireEvent.keyDown(field(), { key, shiftKey }) }) }

describe('find in a conversation (Ctrl+F)', () => {
  it('opens with the focus in its field and looks only in this conversation', async () => {
    await show(FRUIT)
    find()
    expect(bar()).not.toBeNull()
    expect(document.activeElement).toBe(field())
    fireEvent.change(field(), { target: { value: 'apple' } })
    await expect.poll(count).toBe('1 of 3')
    expect(core.callsOf('messages.search')).toEqual([{ query: 'apple', channelId: hex(1), limit: 500 }])
  })

  it('starts at the newest match; Enter goes to the next, older one, Shift+Enter back, round the ends; each is highlighted', async () => {
    await show(FRUIT)
    find()
    fireEvent.change(field(), { target: { value: 'apple' } })
    await expect.poll(current).toBe('APPLE tart')
    expect(count()).toBe('1 of 3')
    await press('Enter')
    expect(count()).toBe('2 of 3')
    await expect.poll(current).toBe('Apple juice')
    await press('Enter')
    await expect.poll(current).toBe('apple pie')
    await press('Enter')
    expect(count()).toBe('1 of 3')
    await press('Enter', true)
    expect(count()).toBe('3 of 3')
    await expect.poll(current).toBe('apple pie')
    expect(document.querySelectorAll('.message-list__row--current')).toHaveLength(1)
  })

  it('steps in conversation order even where the core found them in another (the order they arrived in)', async () => {
    await show(FRUIT)
    const call = core.call.bind(core)
    vi.spyOn(core, 'call').mockImplementation((async (method: MethodName, params: never) => {
      const answer = await call(method, params)
      return method === 'messages.search' ? [...(answer as MessageInfo[])].reverse() : answer
    }) as typeof core.call)
    find()
    fireEvent.change(field(), { target: { value: 'apple' } })
    await expect.poll(current).toBe('APPLE tart')
    await press('Enter')
    await expect.poll(current).toBe('Apple juice')
  })

  it('the buttons move as the keys do', async () => {
    await show(FRUIT)
    find()
    fireEvent.change(field(), { target: { value: 'apple' } })
    await expect.poll(count).toBe('1 of 3')
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Next match' })) })
    expect(count()).toBe('2 of 3')
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Previous match' })) })
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Previous match' })) })
    expect(count()).toBe('3 of 3')
  })

  it('says when nothing matches', async () => {
    await show(FRUIT)
    find()
    fireEvent.change(field(), { target: { value: 'cherry' } })
    await expect.poll(count).toBe('No matches')
    expect(screen.getByRole('button', { name: 'Next match' })).toHaveProperty('disabled', true)
  })

  it('Escape closes it, takes the highlight away and gives the focus back', async () => {
    await show(FRUIT)
    const composer = screen.getByRole('textbox', { name: 'Message' })
    composer.focus()
    find()
    fireEvent.change(field(), { target: { value: 'apple' } })
    await expect.poll(current).toBe('APPLE tart')
    await press('Escape')
    expect(bar()).toBeNull()
    expect(current()).toBeUndefined()
    expect(document.activeElement).toBe(composer)
  })

  it('brings a match far back in history into the list', async () => {
    await show(Array.from({ length: 500 }, (_, i) => message(i, { text: i === 100 ? 'the lost key' : `line ${i}` })))
    find()
    fireEvent.change(field(), { target: { value: 'lost' } })
    await expect.poll(current).toBe('the lost key')
    expect(count()).toBe('1 of 1')
    expect(core.callsOf('messages.list').some(p => p.around === message(100).messageId)).toBe(true)
  })

  it('closes when another conversation opens', async () => {
    await show(FRUIT)
    find()
    expect(bar()).not.toBeNull()
    await act(async () => { await openChannel(core, hex(2)) })
    expect(bar()).toBeNull()
  })
})
