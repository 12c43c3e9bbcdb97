import { fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { App } from '../../renderer/src/app/App.tsx'
import { refreshAll } from '../../renderer/src/app/commands.ts'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, contactLink, FakeCore, hex, message, peer } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => { core = new FakeCore() })

async function start (): Promise<void> {
  renderWithClient(<App />, core)
  await refreshAll(core)
  actions().connectionChanged('connected')
}

describe('App', () => {
  it('shows the first-run screen when there is no identity', async () => {
    core.status = { state: 'none' }
    await start()
    expect(screen.getByRole('heading', { name: 'Welcome to BitChat' })).toBeTruthy()
  })

  it('shows the unlock screen when the identity is locked', async () => {
    core.status = { state: 'locked' }
    await start()
    expect(screen.getByRole('heading', { name: 'Unlock BitChat' })).toBeTruthy()
  })

  it('shows channels, conversation and members as landmarks once ready', async () => {
    core.addChannel(channel(1, { name: 'general', peerCount: 1 }), [message(1)], [peer(1, { transport: 'udp', rttMs: 142 })])
    core.addChannel(channel(2, { name: 'random', unread: 3 }))
    await start()
    const nav = screen.getByRole('navigation', { name: 'Channels' })
    expect(within(nav).getByRole('button', { name: /general/ }).getAttribute('aria-current')).toBe('page')
    expect(within(nav).getByText('3')).toBeTruthy()
    const members = screen.getByRole('complementary', { name: 'Members' })
    expect(within(members).getByText('Peer 1')).toBeTruthy()
    expect(within(members).getByText('UDP')).toBeTruthy()
    expect(within(members).getByText(/142 ms/)).toBeTruthy()
    expect(within(members).getByText('FP1')).toBeTruthy()
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeTruthy()
    expect(screen.getByTestId('peer-status').textContent).toBe('1 peer connected')
  })

  it('counts unread messages of other channels in the window title', async () => {
    core.addChannel(channel(1, { name: 'a', unread: 5 }))
    core.addChannel(channel(2, { name: 'b', unread: 2 }))
    await start()
    await expect.poll(() => document.title).toBe('(2) BitChat')
  })

  it('switches channels from the sidebar', async () => {
    core.addChannel(channel(1, { name: 'general' }))
    core.addChannel(channel(2, { name: 'random' }), [message(7, { channelId: hex(2), text: 'over in random' })])
    await start()
    fireEvent.click(screen.getByRole('button', { name: /random/ }))
    expect(await screen.findByText('over in random')).toBeTruthy()
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/random/)
  })

  it('moves between channels with Alt+Arrow keys', async () => {
    core.addChannel(channel(1, { name: 'a' }))
    core.addChannel(channel(2, { name: 'b' }))
    await start()
    fireEvent.keyDown(window, { key: 'ArrowDown', altKey: true })
    await expect.poll(() => useAppStore.getState().activeChannelId).toBe(hex(2))
    fireEvent.keyDown(window, { key: 'ArrowDown', altKey: true })
    await expect.poll(() => useAppStore.getState().activeChannelId).toBe(hex(1))
  })

  it('hides and shows the members panel from the header', async () => {
    core.addChannel(channel(1))
    await start()
    const toggle = screen.getByRole('button', { name: 'Members' })
    expect(toggle.getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(toggle)
    expect(screen.queryByRole('complementary', { name: 'Members' })).toBeNull()
    expect(toggle.getAttribute('aria-pressed')).toBe('false')
  })

  it('gives the keyboard to "New channel" once a new identity is made, instead of dropping it on the page', async () => {
    core.status = { state: 'none' }
    await start()
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: 'Dana' } })
    fireEvent.click(screen.getByRole('button', { name: 'Create identity' }))
    await screen.findByRole('heading', { name: 'Start a conversation' })
    expect(document.activeElement).toBe(within(screen.getByRole('main')).getByRole('button', { name: 'New channel' }))
  })

  it('offers to create or join when there are no channels', async () => {
    await start()
    fireEvent.click(screen.getByRole('button', { name: 'Join a channel' }))
    expect(screen.getByRole('dialog', { name: 'Join a channel' })).toBeTruthy()
  })

  it('opens the join dialog with a bitchat: link pasted outside a text field', async () => {
    await start()
    fireEvent.paste(document.body, { clipboardData: { getData: () => ' bitchat:?v=1&n=x ' } })
    const dialog = await screen.findByRole('dialog', { name: 'Join a channel' })
    expect((within(dialog).getByLabelText('Invite link') as HTMLInputElement).value).toBe('bitchat:?v=1&n=x')
  })

  it('opens the add-contact dialog, the link already checked, with a contact link pasted outside a text field', async () => {
    await start()
    const link = contactLink(hex(7), 'Alice')
    fireEvent.paste(document.body, { clipboardData: { getData: () => ` ${link} ` } })
    const dialog = await screen.findByRole('dialog', { name: 'Add a contact' })
    expect((await within(dialog).findByLabelText('Your name for them') as HTMLInputElement).value).toBe('Alice')
    expect(core.callsOf('contacts.inspectLink')).toEqual([{ link }])
  })

  it('lists the address book in the sidebar once ready', async () => {
    core.contacts.set(hex(7), { publicKey: hex(7), name: 'Alice', theirName: null, fingerprint: 'AAAA', verified: true, blocked: false, notes: '', addedAt: 0 })
    await start()
    const list = screen.getByRole('list', { name: 'Contacts' })
    expect(within(list).getByText('Alice')).toBeTruthy()
  })

  it('shows a banner while disconnected from the core', async () => {
    await start()
    expect(screen.queryByTestId('connection-banner')).toBeNull()
    actions().connectionChanged('disconnected')
    expect((await screen.findByRole('alert')).textContent).toMatch(/Disconnected from BitChat/)
  })

  it('tells a tab whose token the restarted daemon refuses to open the new address, without promising a retry', async () => {
    await start()
    actions().connectionChanged('refused')
    const banner = await screen.findByRole('alert')
    expect(banner.textContent).toMatch(/BitChat restarted with a new address: open the address it printed when it started/)
    expect(banner.textContent).not.toMatch(/Retrying|Reconnecting/)
  })
})
