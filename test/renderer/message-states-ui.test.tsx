import { act, fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ChannelSummary } from '../../core/api/contract.ts'
import { openChannel } from '../../renderer/src/app/commands.ts'
import { Conversation } from '../../renderer/src/components/Conversation.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, ME, message, peer } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'
import { boundCore } from './helpers/bound-core.ts'

const bound = boundCore(600)
let core: FakeCore
beforeEach(() => { core = bound.core })

const mine = (n: number, fields = {}) => message(n, { author: ME.publicKey, authorName: ME.name, own: true, text: `mine ${n}`, state: 'sent', deliveredTo: 0, readBy: 0, ...fields })
const stateOf = (text: string) => {
  const item = screen.getByText(text).closest('[data-testid="message"]') as HTMLElement
  return within(item).getByTestId('message-state')
}

async function show (summary: ChannelSummary, messages = [message(1), mine(2), mine(3)]) {
  core.addChannel(summary, messages, [peer(1), peer(2)])
  actions().channelsListed([summary])
  await act(async () => { await openChannel(core, summary.channelId) })
  const shown = useAppStore.getState().channels.get(summary.channelId) ?? summary
  renderWithClient(<Conversation channel={shown} />, core)
}

describe('message states on your own messages', () => {
  it('marks only your own messages, with the state the core listed', async () => {
    await show(channel(1), [message(1), mine(2, { state: 'delivered', deliveredTo: 1 }), mine(3)])
    expect(screen.getAllByTestId('message-state')).toHaveLength(2)
    expect(stateOf('mine 2').textContent).toBe('Delivered to 1 of 2 members')
    expect(stateOf('mine 2').dataset.state).toBe('delivered')
    expect(stateOf('mine 3').textContent).toBe('Sent')
    expect(within(screen.getByText('message 1').closest('[data-testid="message"]') as HTMLElement).queryByTestId('message-state')).toBeNull()
  })

  it('counts from the receipts loaded with the channel', async () => {
    core.receipts.set(hex(1), [{ publicKey: peer(1).publicKey, delivered: 3, read: 2 }, { publicKey: peer(2).publicKey, delivered: 2, read: 0 }])
    await show(channel(1))
    expect(stateOf('mine 2').textContent).toBe('Read by 1 of 2 members')
    expect(stateOf('mine 3').textContent).toBe('Delivered to 1 of 2 members')
  })

  it('moves the marks on as receipts arrive, without touching the message list', async () => {
    await show(channel(1))
    const list = useAppStore.getState().messages
    act(() => { core.emit('receipt', { channelId: hex(1), publicKey: peer(1).publicKey, delivered: 2, read: 0 }) })
    expect(stateOf('mine 2').textContent).toBe('Delivered to 1 of 2 members')
    expect(stateOf('mine 3').textContent).toBe('Sent')
    act(() => { core.emit('receipt', { channelId: hex(1), publicKey: peer(2).publicKey, delivered: 3, read: 3 }) })
    expect(stateOf('mine 2').textContent).toBe('Read by 1 of 2 members')
    expect(stateOf('mine 3').dataset.state).toBe('read')
    expect(useAppStore.getState().messages).toBe(list)
  })

  it('ignores receipts of another channel', async () => {
    await show(channel(1))
    act(() => { core.emit('receipt', { channelId: hex(9), publicKey: peer(1).publicKey, delivered: 3, read: 3 }) })
    expect(stateOf('mine 3').textContent).toBe('Sent')
  })

  it('never says more members hold it than it counts: someone gone still holds it', async () => {
    core.receipts.set(hex(1), [1, 2, 3].map(n => ({ publicKey: peer(n).publicKey, delivered: 3, read: 0 })))
    await show(channel(1))
    expect(stateOf('mine 3').textContent).toBe('Delivered to 3 of 3 members')
  })

  it('says only "Delivered" and "Read" in a private conversation', async () => {
    const summary = channel(1, { kind: 'private', peer: { publicKey: peer(1).publicKey, fingerprint: 'FP1' } })
    core.receipts.set(hex(1), [{ publicKey: peer(1).publicKey, delivered: 3, read: 2 }])
    await show(summary)
    expect(stateOf('mine 2').textContent).toBe('Read')
    expect(stateOf('mine 3').textContent).toBe('Delivered')
  })

  it('shows a message as sending until the core stored it, then as sent', async () => {
    await show(channel(1), [])
    const release = core.holdNext('messages.send')
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'on its way' } })
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Message' }), { key: 'Enter' })
    await expect.poll(() => screen.queryByText('on its way')).not.toBeNull()
    expect(stateOf('on its way').textContent).toBe('Sending')
    await act(async () => { release() })
    await expect.poll(() => stateOf('on its way').textContent).toBe('Sent')
    expect(screen.getAllByText('on its way')).toHaveLength(1)
  })

  it('takes a refused message away and gives its words back to the composer, as before', async () => {
    await show(channel(1), [])
    const release = core.holdNext('messages.send')
    core.failNext('messages.send', 'DISK_FULL', 'The disk is full')
    const box = screen.getByRole('textbox', { name: 'Message' })
    fireEvent.change(box, { target: { value: 'not this time' } })
    fireEvent.keyDown(box, { key: 'Enter' })
    await expect.poll(() => screen.queryByText('not this time')).not.toBeNull()
    await act(async () => { release() })
    await expect.poll(() => screen.queryByTestId('message-state')).toBeNull()
    expect(box).toHaveProperty('value', 'not this time')
    expect(useAppStore.getState().notices.map(n => n.text)).toEqual(['Message not sent: The disk is full'])
  })
})
