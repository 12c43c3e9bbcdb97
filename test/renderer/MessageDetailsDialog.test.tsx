import { act, fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ChannelSummary } from '../../core/api/contract.ts'
import { openChannel } from '../../renderer/src/app/commands.ts'
import { Conversation } from '../../renderer/src/components/Conversation.tsx'
import { DialogHost } from '../../renderer/src/components/DialogHost.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, contact, FakeCore, hex, ME, message, peer } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'
import { boundCore } from './helpers/bound-core.ts'

const bound = boundCore(600)
let core: FakeCore
beforeEach(() => { core = bound.core })

const mine = message(2, { author: ME.publicKey, authorName: ME.name, own: true, text: 'Who has this?', state: 'sent', deliveredTo: 0, readBy: 0 })

async function show (summary: ChannelSummary) {
  core.addChannel(summary, [message(1), mine], [peer(1), peer(2), peer(3)])
  actions().channelsListed([summary])
  await act(async () => { await openChannel(core, summary.channelId) })
  renderWithClient(<><Conversation channel={summary} /><DialogHost /></>, core)
}

const mark = () => within(screen.getByText('Who has this?').closest('[data-testid="message"]') as HTMLElement).getByTestId('message-state')
const section = (name: RegExp) => screen.getByRole('region', { name })
const names = (name: RegExp) => within(section(name)).queryAllByTestId('message-details-person').map(li => li.querySelector('.person-name')?.textContent)

describe('message details', () => {
  beforeEach(() => {
    core.receipts.set(hex(1), [
      { publicKey: peer(1).publicKey, delivered: 2, read: 2 },
      { publicKey: peer(2).publicKey, delivered: 2, read: 0 },
      { publicKey: peer(3).publicKey, delivered: 1, read: 1 }
    ])
  })

  it('opens from the mark with who read it, who holds it and who has not got it yet, by the names you know them by', async () => {
    actions().contactsListed([contact(2, { name: 'Sam' })])
    await show(channel(1))
    expect(mark().tagName).toBe('BUTTON')
    fireEvent.click(mark())
    const dialog = await screen.findByRole('dialog', { name: 'Message details' })
    expect(within(dialog).getByText('Who has this?')).toBeTruthy()
    expect(names(/^Read by — 1/)).toEqual(['Peer 1'])
    expect(names(/^Delivered to — 1/)[0]).toMatch(/^Sam/)
    await expect.poll(() => screen.queryByRole('region', { name: /^Not delivered yet — 1/ })).not.toBeNull()
    expect(names(/^Not delivered yet/)).toEqual(['Peer 3'])
  })

  it('follows receipts while it is open', async () => {
    await show(channel(1))
    fireEvent.click(mark())
    await screen.findByRole('dialog', { name: 'Message details' })
    act(() => { core.emit('receipt', { channelId: hex(1), publicKey: peer(3).publicKey, delivered: 2, read: 2 }) })
    expect(names(/^Read by — 2/)).toEqual(['Peer 1', 'Peer 3'])
  })

  it('opens with the keyboard and gives focus back to the mark on Escape', async () => {
    await show(channel(1))
    mark().focus()
    fireEvent.click(mark())
    const dialog = await screen.findByRole('dialog', { name: 'Message details' })
    fireEvent.keyDown(dialog, { key: 'Escape' })
    expect(useAppStore.getState().dialog).toBeNull()
    expect(document.activeElement).toBe(mark())
  })

  it('is not offered in a private conversation, where the mark says it all', async () => {
    await show(channel(1, { kind: 'private', peer: { publicKey: peer(1).publicKey, fingerprint: 'FP1' } }))
    expect(mark().tagName).toBe('SPAN')
    expect(mark().textContent).toBe('Read')
  })
})
