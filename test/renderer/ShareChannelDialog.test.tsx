import { fireEvent, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ShareChannelDialog } from '../../renderer/src/components/ShareChannelDialog.tsx'
import { actions } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().channelsListed([channel(1, { name: 'general' })])
  renderWithClient(<ShareChannelDialog channelId={hex(1)} />, core)
})
afterEach(() => { vi.unstubAllGlobals() })

describe('ShareChannelDialog', () => {
  it('shows the invite link from channels.share', async () => {
    expect(await screen.findByDisplayValue('bitchat:?v=1&n=shared')).toBeTruthy()
    expect(screen.getByRole('dialog', { name: 'Invite people to #general' })).toBeTruthy()
    expect(core.callsOf('channels.share')).toEqual([{ channelId: hex(1) }])
  })

  it('copies the link to the clipboard', async () => {
    const writeText = vi.fn(async (_text: string) => {})
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } })
    fireEvent.click(await screen.findByRole('button', { name: 'Copy link' }))
    await expect.poll(() => writeText.mock.calls).toEqual([['bitchat:?v=1&n=shared']])
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeTruthy()
  })

  it('saves the .chat file under its file name with its bytes', async () => {
    const blobs: Blob[] = []
    vi.stubGlobal('URL', Object.assign(Object.create(URL) as typeof URL, {
      createObjectURL: (blob: Blob) => { blobs.push(blob); return 'blob:fake' },
      revokeObjectURL: () => {}
    }))
    const clicked: HTMLAnchorElement[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { clicked.push(this) })
    fireEvent.click(await screen.findByRole('button', { name: 'Save .chat file' }))
    expect(click).toHaveBeenCalledOnce()
    expect(clicked[0]?.download).toBe('shared.chat')
    expect([...new Uint8Array(await blobs[0]!.arrayBuffer())]).toEqual([1, 2, 3])
  })
})
