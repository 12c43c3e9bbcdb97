import { fireEvent, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { LeaveChannelDialog } from '../../renderer/src/components/LeaveChannelDialog.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, ME } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  core.addChannel(channel(1, { name: 'book-club' }))
  actions().identityReady(ME)
  actions().channelsListed([channel(1, { name: 'book-club' })])
  actions().dialogOpened({ kind: 'leave', channelId: hex(1) })
  renderWithClient(<LeaveChannelDialog channelId={hex(1)} />, core)
})

describe('LeaveChannelDialog', () => {
  it('says plainly what leaving deletes and what others keep', () => {
    const dialog = screen.getByRole('dialog', { name: 'Leave #book-club?' })
    const description = document.getElementById(dialog.getAttribute('aria-describedby') ?? '')?.textContent ?? ''
    expect(description).toMatch(/deletes the messages of #book-club from this device/)
    expect(description).toMatch(/Others in the channel keep theirs/)
    expect(description).toMatch(/join again/)
  })

  it('leaves only when asked to', async () => {
    expect(core.callsOf('channels.leave')).toEqual([])
    fireEvent.click(screen.getByRole('button', { name: 'Leave and delete history' }))
    await expect.poll(() => core.callsOf('channels.leave')).toEqual([{ channelId: hex(1) }])
    await expect.poll(() => useAppStore.getState().dialog).toBeNull()
  })
})
