import { act, fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { Sidebar } from '../../renderer/src/components/Sidebar.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, contact, FakeCore, hex, lastMessage, ME, privateChat } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

const dmList = () => screen.getByRole('list', { name: 'Direct messages' })
const items = () => within(dmList()).getAllByTestId('dm-item')
const names = () => items().map(i => i.querySelector('.channel-item__name')?.textContent)

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().identityReady(ME)
})

describe('the sidebar’s Direct messages section', () => {
  it('sits between Channels and Contacts, and the channels no longer list private conversations', () => {
    actions().channelsListed([channel(1, { name: 'general' }), privateChat(2)])
    renderWithClient(<Sidebar />, core)
    expect(screen.getAllByRole('heading', { level: 2 }).map(h => h.textContent)).toEqual(['Channels', 'Direct messages', 'Contacts'])
    expect(within(screen.getByRole('list', { name: 'Channels' })).getAllByTestId('channel-item').map(i => i.textContent)).toEqual([expect.stringMatching(/^general/)])
    expect(screen.queryByText('Private chat')).toBeNull()
  })

  it('names each person by your name for them, else their signed name, else their fingerprint’s first group, in that order', () => {
    actions().contactsListed([contact(1, { name: 'Zed' })])
    const said = { last: lastMessage(5) }
    actions().channelsListed([privateChat(1, said), privateChat(2, said, 'bea'), privateChat(3, said, null)])
    renderWithClient(<Sidebar />, core)
    expect(names()).toEqual(['bea', 'FP3', 'Zed'])
  })

  it('shows the unread count, an online dot while they are connected, and the verified badge of a verified contact', () => {
    actions().contactsListed([contact(1, { name: 'Ann', verified: true })])
    actions().channelsListed([privateChat(1, { unread: 3, peerCount: 1, last: lastMessage(1) }), privateChat(2, { peerCount: 0, last: lastMessage(5) })])
    renderWithClient(<Sidebar />, core)
    const [ann, peer2] = items()
    expect(within(ann!).getByTestId('unread-badge').textContent).toBe('3 unread')
    expect(within(ann!).getByTestId('verified-badge')).toBeTruthy()
    expect(ann!.querySelector('.presence--online')).not.toBeNull()
    expect(ann!.textContent).toMatch(/, online/)
    expect(ann!.className).toMatch(/channel-item--unread/)
    expect(within(peer2!).queryByTestId('unread-badge')).toBeNull()
    expect(within(peer2!).queryByTestId('verified-badge')).toBeNull()
    expect(peer2!.querySelector('.presence--online')).toBeNull()
    expect(peer2!.textContent).toMatch(/, offline/)
  })

  it('opens the conversation on click, marked as the current one', async () => {
    actions().channelsListed([privateChat(1, { last: lastMessage(5) })])
    core.addChannel(privateChat(1, { last: lastMessage(5) }))
    renderWithClient(<Sidebar />, core)
    fireEvent.click(items()[0]!)
    expect(useAppStore.getState().activeChannelId).toBe(hex(501))
    await expect.poll(() => core.callsOf('messages.list')).toEqual([expect.objectContaining({ channelId: hex(501) })])
    expect(items()[0]!.getAttribute('aria-current')).toBe('page')
  })

  it('collapses with its heading’s button, which then gives the unread total', () => {
    actions().channelsListed([privateChat(1, { unread: 2 }), privateChat(2, { unread: 1 })])
    renderWithClient(<Sidebar />, core)
    const toggle = screen.getByRole('button', { name: 'Direct messages' })
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    fireEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByRole('list', { name: 'Direct messages' })).toBeNull()
    expect(toggle.textContent).toBe('Direct messages (3 unread)')
  })

  it('says how to start one while there is none', () => {
    renderWithClient(<Sidebar />, core)
    expect(screen.getByText(/No private conversations yet\. Use “Message” on someone/)).toBeTruthy()
  })

  it('lists the most recently active first, each with its newest message', () => {
    actions().channelsListed([
      privateChat(1, { last: lastMessage(30, { author: hex(1001), text: 'old news' }) }),
      privateChat(2, { last: lastMessage(1, { author: ME.publicKey, own: true, text: 'see you' }) }),
      privateChat(3, { last: lastMessage(10, { author: hex(1003), deleted: true, text: '' }) })
    ])
    renderWithClient(<Sidebar />, core)
    expect(names()).toEqual(['Peer 2', 'Peer 3', 'Peer 1'])
    expect(items().map(i => within(i).getByTestId('last-message').textContent)).toEqual(['You: see you', 'Deleted message', 'old news'])
  })

  it('leaves out a conversation with no message and nothing unread, unless it is the open one', () => {
    actions().channelsListed([privateChat(1), privateChat(2, { unread: 1 }), privateChat(3, { last: lastMessage(3) })])
    renderWithClient(<Sidebar />, core)
    expect(names()).toEqual(['Peer 3', 'Peer 2'])
    act(() => { actions().channelSelected(privateChat(1).channelId) })
    expect(names()).toEqual(['Peer 3', 'Peer 1', 'Peer 2'])
  })
})
