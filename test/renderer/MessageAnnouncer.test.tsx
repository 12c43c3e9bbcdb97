import { act, render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { MessageAnnouncer } from '../../renderer/src/components/MessageAnnouncer.tsx'
import { actions } from '../../renderer/src/store/store.ts'
import { hex, message } from './helpers/fake-core.ts'

describe('MessageAnnouncer', () => {
  it('announces new messages from others, not history or the user’s own', () => {
    actions().messagesLoaded(hex(1), [message(1, { text: 'old news' })], false)
    render(<MessageAnnouncer channelId={hex(1)} />)
    const region = screen.getByRole('status')
    expect(region.textContent).toBe('')
    act(() => { actions().messageReceived(message(2, { own: true, text: 'mine' })) })
    expect(region.textContent).toBe('')
    act(() => { actions().messageReceived(message(3, { authorName: 'Ravi', text: 'fresh' })) })
    expect(region.textContent).toBe('Ravi: fresh')
  })
})
