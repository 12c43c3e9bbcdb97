import { act, fireEvent, screen } from '@testing-library/react'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { MembersPanel } from '../../renderer/src/components/MembersPanel.tsx'
import { PEERS_POLL_MS } from '../../renderer/src/app/use-peers-polling.ts'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, FakeCore, hex, member, peer } from './helpers/fake-core.ts'
import { within } from '@testing-library/react'
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

it('hides on Escape pressed inside it, and gives the keyboard back to its toggle', () => {
  actions().membersToggled(true)
  document.body.innerHTML = '<button aria-controls="members-panel">Members</button>'
  renderWithClient(<MembersPanel channelId={hex(1)} />, core)
  screen.getByRole('button', { name: 'Hide members' }).focus()
  fireEvent.keyDown(document.activeElement!, { key: 'Escape' })
  expect(useAppStore.getState().membersOpen).toBe(false)
  expect(document.activeElement?.getAttribute('aria-controls')).toBe('members-panel')
  document.body.innerHTML = ''
})

it('hides on Escape from anywhere while it lies over the conversation (a narrow window), but not under an open dialog', () => {
  vi.stubGlobal('matchMedia', (query: string) => ({ matches: query === '(max-width: 1080px)', media: query, addEventListener: () => {}, removeEventListener: () => {} }))
  try {
    actions().membersToggled(true)
    renderWithClient(<MembersPanel channelId={hex(1)} />, core)
    actions().dialogOpened({ kind: 'settings' })
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(useAppStore.getState().membersOpen).toBe(true)
    actions().dialogClosed()
    fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(useAppStore.getState().membersOpen).toBe(false)
  } finally {
    vi.unstubAllGlobals()
  }
})

it('stays open on Escape pressed elsewhere when it sits beside the conversation', () => {
  actions().membersToggled(true)
  renderWithClient(<MembersPanel channelId={hex(1)} />, core)
  fireEvent.keyDown(document.body, { key: 'Escape' })
  expect(useAppStore.getState().membersOpen).toBe(true)
})

it('closes when the window narrows until it would lie over the conversation', () => {
  const listeners: Array<(event: { matches: boolean }) => void> = []
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: false,
    media: query,
    addEventListener: (_type: string, listener: (event: { matches: boolean }) => void) => { listeners.push(listener) },
    removeEventListener: () => {}
  }))
  try {
    actions().membersToggled(true)
    renderWithClient(<MembersPanel channelId={hex(1)} />, core)
    expect(listeners.length).toBeGreaterThan(0)
    act(() => { for (const listener of listeners) listener({ matches: true }) })
    expect(useAppStore.getState().membersOpen).toBe(false)
  } finally {
    vi.unstubAllGlobals()
  }
})

it('does not promise peers in a channel whose members will not let us in', () => {
  actions().channelsListed([channel(1, { mode: 'invite', access: 'not-member' })])
  renderWithClient(<MembersPanel channelId={hex(1)} />, core)
  expect(screen.getByText('Nobody will connect: you are not on this channel’s member list.')).toBeTruthy()
  expect(screen.queryByText(/Peers show up here/)).toBeNull()
})

it('lists everyone known in the channel: online first, then offline with when each was last seen', async () => {
  const channelId = hex(1)
  const now = Date.now()
  core.members.set(channelId, [
    member(1, { name: 'Ann', online: true, lastSeen: now }),
    member(2, { name: 'Bo', lastSeen: now - 5 * 60_000 }),
    member(3, { name: 'Cy', lastSeen: null })
  ])
  actions().peersListed(channelId, [peer(1, { name: 'Ann' })])
  renderWithClient(<MembersPanel channelId={channelId} />, core)
  const online = await screen.findByRole('region', { name: 'Online — 1' })
  expect(within(online).getAllByTestId('member').map(m => m.querySelector('.member__name')?.textContent)).toEqual(['Ann'])
  expect(within(online).getByTestId('member-direction')).toBeTruthy()
  const offline = screen.getByRole('region', { name: 'Offline — 2' })
  expect(within(offline).getAllByTestId('member-seen').map(s => s.textContent)).toEqual(['last seen 5 minutes ago', 'never connected'])
  expect(core.callsOf('channels.members')).toEqual([{ channelId }])
})

it('moves “last seen” on as time passes, and re-reads the members with the peers', async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
  const channelId = hex(1)
  core.members.set(channelId, [member(2, { name: 'Bo', lastSeen: Date.now() - 5 * 60_000 })])
  renderWithClient(<MembersPanel channelId={channelId} />, core)
  expect((await screen.findByTestId('member-seen')).textContent).toBe('last seen 5 minutes ago')
  await act(async () => { await vi.advanceTimersByTimeAsync(60_000) })
  expect(screen.getByTestId('member-seen').textContent).toBe('last seen 6 minutes ago')
  expect(core.callsOf('channels.members').length).toBeGreaterThan(1)
})

it('offers Message on offline members too', async () => {
  const channelId = hex(1)
  core.members.set(channelId, [member(2, { name: 'Bo', lastSeen: 1 })])
  renderWithClient(<MembersPanel channelId={channelId} />, core)
  expect(await screen.findByRole('button', { name: 'Message Bo' })).toBeTruthy()
})
