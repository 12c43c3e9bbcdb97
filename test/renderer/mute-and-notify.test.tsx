import { fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BitChatEvents } from '../../core/api/contract.ts'
import { loadWorkspace, refreshAll } from '../../renderer/src/app/commands.ts'
import { ClientContext } from '../../renderer/src/app/client-context.ts'
import { bindWebNotifications, chooseNotifications, type NotificationApi } from '../../renderer/src/app/web-notifications.ts'
import { ChannelListItem } from '../../renderer/src/components/ChannelListItem.tsx'
import { ConversationHeader } from '../../renderer/src/components/ConversationHeader.tsx'
import { NotificationSettings } from '../../renderer/src/components/NotificationSettings.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, ME, message } from './helpers/fake-core.ts'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().identityReady(ME)
})

describe('muting a conversation', () => {
  it('the header toggles it through the core, and the sidebar shows it muted with a subdued count', async () => {
    core.addChannel(channel(1, { name: 'general', unread: 3 }))
    await refreshAll(core)
    actions().channelSelected(hex(9))
    const Both = () => {
      const summary = useAppStore(s => s.channels.get(hex(1)))!
      return <><ConversationHeader channel={summary} /><ul><ChannelListItem channel={summary} activeId={hex(9)} onSelect={() => {}} /></ul></>
    }
    render(<ClientContext.Provider value={core}><Both /></ClientContext.Provider>)
    const toggle = screen.getByRole('button', { name: 'Mute conversation' })
    expect(toggle.getAttribute('aria-pressed')).toBe('false')
    expect(screen.queryByTestId('muted-glyph')).toBeNull()
    fireEvent.click(toggle)
    await expect.poll(() => core.callsOf('channels.setMuted')).toEqual([{ channelId: hex(1), muted: true }])
    const unmute = await screen.findByRole('button', { name: 'Unmute conversation' })
    expect(unmute.getAttribute('aria-pressed')).toBe('true')
    expect(screen.getByTestId('muted-glyph')).toBeTruthy()
    expect(screen.getByTestId('unread-badge').className).toContain('badge--muted')
    expect(screen.getByTestId('channel-item').className).not.toContain('channel-item--unread')
    fireEvent.click(unmute)
    await expect.poll(() => core.callsOf('channels.setMuted').at(-1)).toEqual({ channelId: hex(1), muted: false })
    await screen.findByRole('button', { name: 'Mute conversation' })
    expect(screen.getByTestId('unread-badge').className).not.toContain('badge--muted')
  })

  it('a muted conversation with a mention of you unread shows the @ and stands out', () => {
    const summary = channel(2, { name: 'busy', unread: 5, unreadMentions: 2, muted: true })
    render(<ClientContext.Provider value={core}><ul><ChannelListItem channel={summary} activeId={null} onSelect={() => {}} /></ul></ClientContext.Provider>)
    const item = screen.getByTestId('channel-item')
    expect(within(item).getByTestId('mention-badge').textContent).toBe('@ 2 mentions of you')
    expect(item.className).toContain('channel-item--unread')
  })

  it('the sidebar item\'s context menu mutes and unmutes it', async () => {
    core.addChannel(channel(1, { name: 'general', unread: 2 }))
    await refreshAll(core)
    const Item = () => <ul><ChannelListItem channel={useAppStore(s => s.channels.get(hex(1)))!} activeId={null} onSelect={() => {}} /></ul>
    render(<ClientContext.Provider value={core}><Item /></ClientContext.Provider>)
    fireEvent.contextMenu(screen.getByTestId('channel-item'))
    const menu = screen.getByRole('menu', { name: 'Conversation actions' })
    expect(document.activeElement).toBe(within(menu).getByRole('menuitem', { name: 'Mute conversation' }))
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Mute conversation' }))
    await expect.poll(() => core.callsOf('channels.setMuted')).toEqual([{ channelId: hex(1), muted: true }])
    await screen.findByTestId('muted-glyph')
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(screen.getByTestId('channel-item'))
    fireEvent.contextMenu(screen.getByTestId('channel-item'))
    fireEvent.click(screen.getByRole('menuitem', { name: 'Unmute conversation' }))
    await expect.poll(() => core.callsOf('channels.setMuted').at(-1)).toEqual({ channelId: hex(1), muted: false })
  })

  it('a failed change says so and changes nothing', async () => {
    core.addChannel(channel(1, { name: 'general' }))
    await refreshAll(core)
    core.failNext('channels.setMuted', 'CHANNEL_NOT_FOUND', 'gone')
    render(<ClientContext.Provider value={core}><ConversationHeader channel={useAppStore.getState().channels.get(hex(1))!} /></ClientContext.Provider>)
    fireEvent.click(screen.getByRole('button', { name: 'Mute conversation' }))
    await expect.poll(() => useAppStore.getState().notices.at(-1)?.text).toBe('Could not mute the conversation')
    expect(useAppStore.getState().channels.get(hex(1))?.muted).toBeUndefined()
  })
})

describe('restoring the last conversation', () => {
  it('opens the conversation open last, and the first one when it was left since', async () => {
    core.addChannel(channel(1, { name: 'alpha' }))
    core.addChannel(channel(2, { name: 'beta' }))
    await refreshAll(core)
    expect(useAppStore.getState().activeChannelId).toBe(hex(1))
    const { openChannel } = await import('../../renderer/src/app/commands.ts')
    await openChannel(core, hex(2))
    // A new window: nothing open yet.
    actions().channelSelected(null)
    await loadWorkspace(core)
    expect(useAppStore.getState().activeChannelId).toBe(hex(2))
    core.channels.delete(hex(2))
    actions().channelSelected(null)
    await loadWorkspace(core)
    expect(useAppStore.getState().activeChannelId).toBe(hex(1))
  })

  it('is kept per identity', async () => {
    core.addChannel(channel(1, { name: 'alpha' }))
    core.addChannel(channel(2, { name: 'beta' }))
    await refreshAll(core)
    const { openChannel } = await import('../../renderer/src/app/commands.ts')
    await openChannel(core, hex(2))
    actions().identityReady({ ...ME, publicKey: 'b'.repeat(64) })
    actions().channelSelected(null)
    await loadWorkspace(core)
    expect(useAppStore.getState().activeChannelId).toBe(hex(1))
  })
})

class FakeNotification {
  static permission: 'default' | 'denied' | 'granted' = 'default'
  static asked = 0
  static answer: 'default' | 'denied' | 'granted' = 'granted'
  static shown: FakeNotification[] = []
  static async requestPermission (): Promise<'default' | 'denied' | 'granted'> {
    FakeNotification.asked++
    FakeNotification.permission = FakeNotification.answer
    return FakeNotification.answer
  }

  onclick: (() => void) | null = null
  closed = false
  readonly title: string
  readonly options: { body: string; tag: string }
  constructor (title: string, options: { body: string; tag: string }) {
    this.title = title
    this.options = options
    FakeNotification.shown.push(this)
  }

  close (): void { this.closed = true }
}
const api = FakeNotification as unknown as NotificationApi

describe('web notifications', () => {
  let looking = false
  let opened: string[] = []
  let stop: () => void = () => {}
  beforeEach(() => {
    FakeNotification.permission = 'default'
    FakeNotification.answer = 'granted'
    FakeNotification.asked = 0
    FakeNotification.shown = []
    looking = false
    opened = []
    stop = bindWebNotifications(core, { Notification: api, isLooking: () => looking, open: id => { opened.push(id) } })
  })
  afterEach(() => { stop() })
  const received = (payload: BitChatEvents['message.received']) => { core.emit('message.received', payload) }

  it('stay off until turned on; turning on asks the browser once', async () => {
    received(message(1))
    expect(FakeNotification.shown).toEqual([])
    expect(await chooseNotifications(api, true)).toBe(true)
    expect(FakeNotification.asked).toBe(1)
    received(message(2, { authorName: 'Bob', text: 'lunch?' }))
    expect(FakeNotification.shown.map(n => [n.title, n.options.body])).toEqual([['Bob', 'lunch?']])
    expect(await chooseNotifications(api, false)).toBe(false)
    received(message(3))
    expect(FakeNotification.shown).toHaveLength(1)
  })

  it('a refused permission leaves them off', async () => {
    FakeNotification.answer = 'denied'
    expect(await chooseNotifications(api, true)).toBe(false)
    received(message(1))
    expect(FakeNotification.shown).toEqual([])
  })

  it('one notification for a burst, none for our own, none while looking or locked, and a click opens the conversation', async () => {
    await chooseNotifications(api, true)
    received({ ...message(1, { authorName: 'Bob', text: 'one' }), more: [message(2, { own: true }), message(3, { authorName: 'Carol', text: 'two', channelId: hex(2) })] })
    expect(FakeNotification.shown.map(n => [n.title, n.options.body, n.options.tag])).toEqual([['2 new messages', 'Carol: two', `bitchat-${hex(2)}`]])
    FakeNotification.shown[0]!.onclick!()
    expect(opened).toEqual([hex(2)])
    expect(FakeNotification.shown[0]!.closed).toBe(true)
    received(message(4, { own: true }))
    looking = true
    received(message(5))
    looking = false
    actions().lockSet(true)
    received(message(6))
    expect(FakeNotification.shown).toHaveLength(1)
  })

  it('a muted conversation notifies only a mention of you, and says it is one', async () => {
    await chooseNotifications(api, true)
    actions().channelUpdated(channel(1, { muted: true }))
    received(message(1, { channelId: hex(1) }))
    expect(FakeNotification.shown).toEqual([])
    received(message(2, { channelId: hex(1), authorName: 'Bob', text: '@Me look', mentions: [ME.publicKey], mentionsMe: true }))
    expect(FakeNotification.shown.map(n => n.title)).toEqual(['Bob mentioned you'])
  })

  it('the Settings switch turns them on from a click and explains a browser that blocks them', async () => {
    (globalThis as { Notification?: unknown }).Notification = FakeNotification
    try {
      const { unmount } = render(<NotificationSettings />)
      const toggle = screen.getByRole('switch', { name: 'Show notifications' })
      expect((toggle as HTMLInputElement).checked).toBe(false)
      fireEvent.click(toggle)
      await expect.poll(() => (screen.getByRole('switch', { name: 'Show notifications' }) as HTMLInputElement).checked).toBe(true)
      expect(FakeNotification.asked).toBe(1)
      unmount()
      FakeNotification.permission = 'denied'
      render(<NotificationSettings />)
      expect(screen.getByText(/Your browser blocks notifications/)).toBeTruthy()
    } finally {
      delete (globalThis as { Notification?: unknown }).Notification
    }
  })

  it('the desktop app\'s window shows no switch: its main process notifies', () => {
    (globalThis as { Notification?: unknown }).Notification = FakeNotification
    window.bitchat = {} as NonNullable<typeof window.bitchat>
    try {
      render(<NotificationSettings />)
      expect(screen.queryByRole('switch', { name: 'Show notifications' })).toBeNull()
    } finally {
      delete window.bitchat
      delete (globalThis as { Notification?: unknown }).Notification
    }
  })
})
