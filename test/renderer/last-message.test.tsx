import { act, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { bindEvents } from '../../renderer/src/app/events.ts'
import { Sidebar } from '../../renderer/src/components/Sidebar.tsx'
import { lastMessagePreview } from '../../renderer/src/lib/last-message.ts'
import { actions } from '../../renderer/src/store/store.ts'
import { channel, contact, FakeCore, hex, lastMessage, ME } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

const contacts = new Map([[hex(1002), contact(2, { name: 'Bea' })]])

describe('a conversation’s newest message under its name', () => {
  it.each([
    ['ours', lastMessage(1, { own: true, author: ME.publicKey, text: 'see you' }), true, 'You: see you'],
    ['deleted', lastMessage(1, { deleted: true, text: '' }), true, 'Deleted message'],
    ['ours, deleted', lastMessage(1, { own: true, deleted: true, text: '' }), false, 'Deleted message'],
    ['someone’s in a group', lastMessage(1, { text: 'on my way' }), true, 'Peer 1: on my way'],
    ['a contact’s in a group, by your name', lastMessage(1, { author: hex(1002), authorName: 'b', text: 'hi' }), true, 'Bea: hi'],
    ['theirs in a private conversation', lastMessage(1, { text: 'on my way' }), false, 'on my way'],
    ['on several lines', lastMessage(1, { text: 'one\n two  three' }), false, 'one two three']
  ])('%s', (_, last, group, words) => { expect(lastMessagePreview(last, contacts, group)).toBe(words) })
})

describe('the channel list', () => {
  let core: FakeCore
  beforeEach(() => {
    core = new FakeCore()
    actions().identityReady(ME)
  })

  it('shows each channel’s newest message and moves the channel up when a new one comes', () => {
    const unbind = bindEvents(core)
    actions().channelsListed([channel(1, { name: 'alpha', last: lastMessage(30, { text: 'morning' }) }), channel(2, { name: 'beta', last: lastMessage(10, { text: 'lunch?' }) }), channel(3, { name: 'gamma' })])
    renderWithClient(<Sidebar />, core)
    const rows = () => within(screen.getByRole('list', { name: 'Channels' })).getAllByTestId('channel-item')
    expect(rows().map(r => r.querySelector('.channel-item__name')?.textContent)).toEqual(['beta', 'alpha', 'gamma'])
    expect(within(rows()[0]!).getByTestId('last-message').textContent).toBe('Peer 1: lunch?')
    expect(within(rows()[2]!).queryByTestId('last-message')).toBeNull()
    act(() => { core.emit('channel.updated', channel(3, { name: 'gamma', last: lastMessage(0, { own: true, author: ME.publicKey, text: 'hello' }) })) })
    expect(rows().map(r => r.querySelector('.channel-item__name')?.textContent)).toEqual(['gamma', 'beta', 'alpha'])
    expect(within(rows()[0]!).getByTestId('last-message').textContent).toBe('You: hello')
    unbind()
  })
})
