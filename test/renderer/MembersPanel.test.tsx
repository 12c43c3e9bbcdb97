import { act, screen } from '@testing-library/react'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { MembersPanel } from '../../renderer/src/components/MembersPanel.tsx'
import { PEERS_POLL_MS } from '../../renderer/src/app/use-peers-polling.ts'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { FakeCore, hex, peer } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

const initial = useAppStore.getState()
let core: FakeCore

beforeEach(() => {
  useAppStore.setState(initial, true)
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  core = new FakeCore()
})
afterEach(() => { vi.useRealTimers() })

it('re-reads the peers while shown, so round-trip times stay current, and stops when hidden', async () => {
  const channelId = hex(1)
  actions().peersListed(channelId, [peer(1, { rttMs: null })])
  core.peers.set(channelId, [peer(1, { rttMs: 42 })])
  const { unmount } = renderWithClient(<MembersPanel channelId={channelId} />, core)
  expect(screen.queryByText(/42 ms/)).toBeNull()
  await act(async () => { await vi.advanceTimersByTimeAsync(PEERS_POLL_MS) })
  expect(core.callsOf('peers.list')).toEqual([{ channelId }])
  expect(await screen.findByText(/42 ms/)).toBeTruthy()
  unmount()
  await vi.advanceTimersByTimeAsync(PEERS_POLL_MS * 3)
  expect(core.callsOf('peers.list')).toHaveLength(1)
})
