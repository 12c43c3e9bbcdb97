import { act, fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { openChannel } from '../../renderer/src/app/commands.ts'
import { Workspace } from '../../renderer/src/components/Workspace.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, contact, FakeCore, hex, message, member } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'
import { boundCore } from './helpers/bound-core.ts'

const bound = boundCore(800)
let core: FakeCore
beforeEach(() => { core = bound.core })

async function show () {
  const general = channel(1, { name: 'general' })
  const random = channel(2, { name: 'random' })
  core.addChannel(general, [message(1)])
  core.addChannel(random, [message(2, { channelId: hex(2) })])
  core.contacts.set(hex(1002), contact(2, { name: 'Zoë' }))
  core.members.set(hex(1), [member(4, { name: 'Gene' })])
  actions().channelsListed([general, random])
  actions().contactsListed([...core.contacts.values()])
  actions().membersListed(hex(1), [member(4, { name: 'Gene' })])
  await act(async () => { await openChannel(core, hex(1)) })
  renderWithClient(<Workspace />, core)
}

const ctrl = (key: string, shift = false) => { fireEvent.keyDown(window, { key, code: `Key${key.toUpperCase()}`, ctrlKey: true, shiftKey: shift }) }
const dialog = () => screen.queryByRole('dialog', { name: 'Jump to a conversation' })
const field = () => screen.getByRole('combobox', { name: 'Conversation or person' })
const options = () => within(dialog()!).queryAllByRole('option')
const names = () => options().map(o => o.querySelector('.switcher__name')?.textContent)
const selected = () => options().find(o => o.getAttribute('aria-selected') === 'true')?.querySelector('.switcher__name')?.textContent

describe('the quick switcher (Ctrl+K)', () => {
  it('opens with the focus in its field, and Escape closes it with the focus back where it was', async () => {
    await show()
    const composer = screen.getByRole('textbox', { name: 'Message' })
    composer.focus()
    ctrl('k')
    expect(dialog()).not.toBeNull()
    expect(document.activeElement).toBe(field())
    expect(names()).toEqual(['general', 'random', 'Zoë', 'Gene'])
    fireEvent.keyDown(field(), { key: 'Escape' })
    expect(dialog()).toBeNull()
    expect(document.activeElement).toBe(composer)
  })

  it('Ctrl+K again closes it', async () => {
    await show()
    ctrl('k')
    ctrl('k')
    expect(dialog()).toBeNull()
  })

  it('narrows the list as one types, without case or accents, and says when nothing matches', async () => {
    await show()
    ctrl('k')
    fireEvent.change(field(), { target: { value: 'ZOE' } })
    expect(names()).toEqual(['Zoë'])
    fireEvent.change(field(), { target: { value: 'rndm' } })
    expect(names()).toEqual(['random'])
    fireEvent.change(field(), { target: { value: 'nobody here' } })
    expect(options()).toEqual([])
    expect(screen.getByTestId('switcher-empty').textContent).toBe('Nothing matches “nobody here”.')
    expect(within(dialog()!).getByRole('status').textContent).toBe('Nothing matches.')
  })

  it('moves through the matches with the arrows, round the ends, the field naming the active one', async () => {
    await show()
    ctrl('k')
    expect(selected()).toBe('general')
    fireEvent.keyDown(field(), { key: 'ArrowDown' })
    fireEvent.keyDown(field(), { key: 'ArrowDown' })
    expect(selected()).toBe('Zoë')
    expect(field().getAttribute('aria-activedescendant')).toBe(options()[2]!.id)
    fireEvent.keyDown(field(), { key: 'ArrowUp' })
    fireEvent.keyDown(field(), { key: 'ArrowUp' })
    fireEvent.keyDown(field(), { key: 'ArrowUp' })
    expect(selected()).toBe('Gene')
    fireEvent.change(field(), { target: { value: 'g' } })
    expect(selected()).toBe('general')
  })

  it('Enter opens the channel chosen and puts the focus in its composer', async () => {
    await show()
    ctrl('k')
    fireEvent.change(field(), { target: { value: 'ran' } })
    await act(async () => { fireEvent.keyDown(field(), { key: 'Enter' }) })
    expect(dialog()).toBeNull()
    expect(useAppStore.getState().activeChannelId).toBe(hex(2))
    await expect.poll(() => document.activeElement?.getAttribute('aria-label')).toBe('Message')
  })

  it('leaves the focus where the person went while the conversation was still opening (find, opened meanwhile)', async () => {
    await show()
    ctrl('k')
    fireEvent.change(field(), { target: { value: 'ran' } })
    const release = core.holdNext('messages.list')
    fireEvent.keyDown(field(), { key: 'Enter' })
    await act(async () => { await Promise.resolve() })
    ctrl('f')
    const find = await screen.findByRole('searchbox', { name: 'Find in conversation' })
    expect(document.activeElement).toBe(find)
    await act(async () => {
      release()
      await new Promise(resolve => setTimeout(resolve, 0))
    })
    expect(useAppStore.getState().activeChannelId).toBe(hex(2))
    expect(document.activeElement).toBe(find)
  })

  it('opens a private conversation with a contact who has none yet', async () => {
    await show()
    ctrl('k')
    fireEvent.change(field(), { target: { value: 'zo' } })
    await act(async () => { fireEvent.keyDown(field(), { key: 'Enter' }) })
    expect(core.callsOf('conversations.openPrivate')).toEqual([{ publicKey: hex(1002) }])
    await expect.poll(() => useAppStore.getState().channels.get(useAppStore.getState().activeChannelId ?? '')?.kind).toBe('private')
  })

  it('opens what is clicked', async () => {
    await show()
    ctrl('k')
    await act(async () => { fireEvent.click(options()[1]!) })
    expect(useAppStore.getState().activeChannelId).toBe(hex(2))
  })
})
