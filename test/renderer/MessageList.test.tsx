import { screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MessageList } from '../../renderer/src/components/MessageList.tsx'
import { actions } from '../../renderer/src/store/store.ts'
import { FakeCore, hex, message } from './helpers/fake-core.ts'
import { fakeViewport, renderWithClient } from './helpers/render.tsx'

let restoreViewport: () => void
beforeEach(() => { restoreViewport = fakeViewport(600) })
afterEach(() => { restoreViewport() })

const show = () => renderWithClient(<MessageList channelId={hex(1)} channelName="general" />, new FakeCore())
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
})
