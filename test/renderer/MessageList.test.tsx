import { act, fireEvent, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MessageList } from '../../renderer/src/components/MessageList.tsx'
import { actions } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, message } from './helpers/fake-core.ts'
import { fakeViewport, renderWithClient } from './helpers/render.tsx'

let restoreViewport: () => void
let viewportHeight = 600
beforeEach(() => {
  viewportHeight = 600
  restoreViewport = fakeViewport(() => viewportHeight)
})
afterEach(() => { restoreViewport() })

let core: FakeCore
beforeEach(() => { core = new FakeCore() })
const show = () => renderWithClient(<MessageList channelId={hex(1)} channelName="general" />, core)
const sleep = async (ms: number) => { await act(async () => { await new Promise(resolve => setTimeout(resolve, ms)) }) }
const at = (day: number, hour: number): number => new Date(2024, 4, day, hour).getTime()

describe('MessageList', () => {
  it('separates days', () => {
    actions().messagesLoaded(hex(1), [
      message(1, { timestamp: at(1, 9) }),
      message(2, { timestamp: at(1, 18) }),
      message(3, { timestamp: at(2, 9) }),
      message(4, { timestamp: at(4, 9) })
    ], false)
    show()
    expect(screen.getAllByTestId('day-separator')).toHaveLength(3)
  })

  it('marks the user’s own messages', () => {
    actions().messagesLoaded(hex(1), [message(1), message(2, { own: true, text: 'mine' })], false)
    show()
    const [theirs, mine] = screen.getAllByTestId('message')
    expect(theirs?.dataset.own).toBe('false')
    expect(mine?.dataset.own).toBe('true')
    expect(mine?.className).toMatch(/message--own/)
    expect(mine?.textContent).toMatch(/mine/)
  })

  it('shows author names and times', () => {
    actions().messagesLoaded(hex(1), [message(1, { authorName: 'Ravi', timestamp: at(1, 9) })], false)
    show()
    expect(screen.getByText('Ravi')).toBeTruthy()
    expect(screen.getByTestId('message').querySelector('time')?.getAttribute('datetime')).toBe(new Date(at(1, 9)).toISOString())
  })

  it('renders only a window of rows for 5,000 messages, starting at the newest', () => {
    const many = Array.from({ length: 5000 }, (_, i) => message(i))
    actions().messagesLoaded(hex(1), many, false)
    show()
    const rendered = screen.getAllByTestId('message')
    expect(rendered.length).toBeGreaterThan(5)
    expect(rendered.length).toBeLessThan(60)
    expect(screen.getByText('message 4999')).toBeTruthy()
    expect(screen.queryByText('message 0')).toBeNull()
  })

  it('opens at the unread divider rather than the bottom', () => {
    const many = Array.from({ length: 3000 }, (_, i) => message(i))
    actions().channelSelected(hex(1))
    actions().unreadMarkerSet({ channelId: hex(1), messageId: message(1000).messageId })
    actions().messagesLoaded(hex(1), many, false)
    show()
    expect(screen.getByTestId('unread-divider')).toBeTruthy()
    expect(screen.getByText('message 1000')).toBeTruthy()
    expect(screen.queryByText('message 2999')).toBeNull()
  })

  it('is a keyboard-focusable log region named for the channel', () => {
    show()
    const log = screen.getByRole('log', { name: 'Messages in general' })
    expect(log.tabIndex).toBe(0)
  })

  it('waits for the channel to load before placing it: messages cached while it was closed do not pull it to the bottom', () => {
    actions().channelsListed([channel(1, { unread: 2000 })])
    for (let i = 0; i < 3000; i++) actions().messageReceived(message(i))
    actions().messagesLoading(hex(1))
    actions().channelSelected(hex(1))
    show()
    act(() => {
      actions().unreadMarkerSet({ channelId: hex(1), messageId: message(1000).messageId })
      actions().messagesLoaded(hex(1), Array.from({ length: 3000 }, (_, i) => message(i)), false)
    })
    expect(screen.getByTestId('unread-divider')).toBeTruthy()
    expect(screen.getByText('message 1000')).toBeTruthy()
    expect(screen.queryByText('message 2999')).toBeNull()
  })

  it('keeps a channel unread while its newest messages are out of view, and marks it read once they are seen', async () => {
    core.addChannel(channel(1, { unread: 2000 }))
    actions().channelsListed([channel(1, { unread: 2000 })])
    actions().channelSelected(hex(1))
    actions().unreadMarkerSet({ channelId: hex(1), messageId: message(1000).messageId })
    actions().messagesLoaded(hex(1), Array.from({ length: 3000 }, (_, i) => message(i)), false)
    show()
    await sleep(600)
    expect(core.callsOf('channels.markRead')).toEqual([])
    const log = screen.getByRole('log')
    act(() => {
      log.scrollTop = 10_000_000
      fireEvent.scroll(log)
    })
    await expect.poll(() => core.callsOf('channels.markRead')).toEqual([{ channelId: hex(1) }])
  })

  it('marks read only while the window is visible', async () => {
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    core.addChannel(channel(1, { unread: 2 }))
    actions().channelsListed([channel(1, { unread: 2 })])
    actions().channelSelected(hex(1))
    actions().messagesLoaded(hex(1), [message(1), message(2)], false)
    show()
    await sleep(600)
    expect(core.callsOf('channels.markRead')).toEqual([])
    visibility.mockReturnValue('visible')
    act(() => { document.dispatchEvent(new Event('visibilitychange')) })
    await expect.poll(() => core.callsOf('channels.markRead')).toEqual([{ channelId: hex(1) }])
  })

  it('keeps following new messages when the viewport shrinks before the scroll event of its own move arrives', () => {
    actions().messagesLoaded(hex(1), Array.from({ length: 100 }, (_, i) => message(i)), false)
    show()
    const log = screen.getByRole('log')
    const distance = (): number => Number.parseFloat(log.querySelector<HTMLElement>('.message-list__spacer')!.style.height) - log.scrollTop - viewportHeight
    act(() => { actions().messageReceived(message(100)) })
    expect(distance()).toBeLessThan(1)
    // The composer grows a line while the list's own scroll is still on its way as an event.
    viewportHeight = 480
    act(() => { fireEvent.scroll(log) })
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull()
    act(() => { actions().messageReceived(message(101)) })
    expect(distance()).toBeLessThan(1)
  })

  it('stops following once the reader scrolls up, and offers the way back', () => {
    actions().messagesLoaded(hex(1), Array.from({ length: 100 }, (_, i) => message(i)), false)
    show()
    const log = screen.getByRole('log')
    act(() => {
      log.scrollTop -= 300
      fireEvent.scroll(log)
    })
    const held = log.scrollTop
    act(() => { actions().messageReceived(message(100)) })
    expect(log.scrollTop).toBe(held)
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeTruthy()
  })

  it('offers "Jump to new messages" only while the divider is wholly out of view and unread messages remain', () => {
    actions().channelsListed([channel(1, { unread: 50 })])
    actions().channelSelected(hex(1))
    actions().unreadMarkerSet({ channelId: hex(1), messageId: message(50).messageId })
    actions().messagesLoaded(hex(1), Array.from({ length: 100 }, (_, i) => message(i)), false)
    show()
    const log = screen.getByRole('log')
    const divider = log.querySelector<HTMLElement>('[data-key="unread"]')!
    const dividerTop = Number(/translateY\((.+)px\)/.exec(divider.style.transform)![1])
    const pill = () => screen.queryByRole('button', { name: 'Jump to new messages' })
    act(() => {
      log.scrollTop = dividerTop + 5
      fireEvent.scroll(log)
    })
    expect(pill(), 'the divider still shows at the top').toBeNull()
    act(() => {
      log.scrollTop = dividerTop + 400
      fireEvent.scroll(log)
    })
    expect(pill()).toBeTruthy()
    act(() => { actions().channelUpdated(channel(1, { unread: 0 })) })
    expect(pill(), 'everything is read').toBeNull()
  })

  it('sets message text, author names and the composer’s words to find their own direction', () => {
    actions().messagesLoaded(hex(1), [message(1, { text: 'שלום', authorName: 'דנה' })], false)
    show()
    expect(screen.getByText('שלום').getAttribute('dir')).toBe('auto')
    expect(screen.getByText('דנה').getAttribute('dir')).toBe('auto')
  })
})
