import { screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Conversation } from '../../renderer/src/components/Conversation.tsx'
import { actions } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, ME } from './helpers/fake-core.ts'
import { fakeViewport, renderWithClient } from './helpers/render.tsx'

let restoreViewport: () => void
beforeEach(() => {
  restoreViewport = fakeViewport(600)
  actions().identityReady(ME)
})
afterEach(() => { restoreViewport() })

const creator = { publicKey: 'c'.repeat(64), fingerprint: 'CCCC DDDD EEEE FFFF GGGG HHHH IIII JJJJ' }

describe('Conversation in an invite-only channel we are not listed in', () => {
  it('says so and whom to ask, instead of looking for peers forever', () => {
    renderWithClient(<Conversation channel={channel(1, { mode: 'invite', access: 'not-member', creator })} />, new FakeCore())
    expect(screen.queryByText('Looking for peers…')).toBeNull()
    expect(screen.getByTestId('peer-status').textContent).toBe('Not a member')
    const notice = screen.getByRole('status', { name: 'You are not a member of this channel' })
    expect(notice.textContent).toContain(creator.fingerprint)
    expect(notice.textContent).toContain(ME.publicKey)
  })

  it('names the creator when the core knows the name', () => {
    renderWithClient(<Conversation channel={channel(1, { mode: 'invite', access: 'not-member', creator: { ...creator, name: 'Olga' } })} />, new FakeCore())
    expect(screen.getByRole('status', { name: 'You are not a member of this channel' }).textContent).toMatch(/Ask Olga \(fingerprint CCCC/)
  })

  it('disables the composer with the reason', () => {
    renderWithClient(<Conversation channel={channel(1, { mode: 'invite', access: 'not-member', creator })} />, new FakeCore())
    const box = screen.getByRole('textbox', { name: 'Message' })
    expect(box).toHaveProperty('disabled', true)
    const hint = document.getElementById(box.getAttribute('aria-describedby') ?? '')
    expect(hint?.textContent).toMatch(/not a member/)
  })

  it('keeps the usual state for members', () => {
    renderWithClient(<Conversation channel={channel(1, { mode: 'invite', access: 'member', creator })} />, new FakeCore())
    expect(screen.getByTestId('peer-status').textContent).toBe('Looking for peers…')
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveProperty('disabled', false)
  })
})
