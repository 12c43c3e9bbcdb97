import { act, cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { App } from '../../renderer/src/app/App.tsx'
import { refreshAll } from '../../renderer/src/app/commands.ts'
import { NetworkPanel } from '../../renderer/src/components/NetworkPanel.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, channelNetwork, contact, FakeCore, hex, knownAddress, networkStatus, peer, privateChat, tracker } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

const NOW = Date.UTC(2024, 4, 15, 10, 0)
const grace = peer(1, { name: 'Grace', sources: ['tracker', 'pex'] })

function richStatus () {
  return networkStatus({
    listenPort: 40123,
    observedAddresses: ['203.0.113.7:40123'],
    reachable: false,
    dht: { enabled: true, nodes: 186, bootstrapped: false, lastError: 'bootstrap timed out' },
    lan: { enabled: true, lastError: null },
    channels: [
      channelNetwork(1, {
        name: 'general',
        trackers: [
          tracker('udp://tracker.opentrackr.org:1337/announce', { lastAnnounceAt: NOW - 95_000, nextAnnounceAt: NOW + 28 * 60_000 + 30_000, peersReturned: 4 }),
          tracker('udp://tracker.torrent.eu.org:451/announce', { nextAnnounceAt: NOW + 240_000, lastError: 'connect timed out' })
        ],
        addresses: [
          knownAddress('100.64.3.9:7000', { publicKey: 'f3c9'.padEnd(64, '1'), sources: ['dht', 'tracker'], status: 'backoff', failures: 3 }),
          knownAddress('203.0.113.7:40123', { status: 'self' }),
          knownAddress(grace.address, { publicKey: grace.publicKey, sources: ['pex', 'tracker', 'stored'], status: 'connected' })
        ]
      }),
      channelNetwork(2, {
        name: 'random',
        trackers: [tracker('wss://tracker.example', { lastError: 'HTTP 503' })],
        addresses: [knownAddress('198.51.100.9:4000', { status: 'backoff', failures: 5 })]
      })
    ]
  })
}

let core: FakeCore
beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setInterval', 'clearInterval'] })
  core = new FakeCore()
  core.network = richStatus()
  actions().channelsListed([channel(1, { name: 'general' }), channel(2, { name: 'random' })])
  actions().channelSelected(hex(1))
  actions().peersListed(hex(1), [grace])
})
afterEach(() => { vi.useRealTimers() })

async function openPanel (): Promise<HTMLElement> {
  actions().dialogOpened({ kind: 'network' })
  renderWithClient(<NetworkPanel />, core)
  await screen.findAllByTestId('tracker-row')
  return screen.getByTestId('network-panel')
}

describe('NetworkPanel', () => {
  it('asks for the status once on open and shows it in a dialog', async () => {
    await openPanel()
    expect(core.callsOf('network.status')).toHaveLength(1)
    expect(screen.getByRole('dialog', { name: 'Network status' })).toBeTruthy()
  })

  it('explains in plain words that nobody has dialled in yet', async () => {
    await openPanel()
    const reachable = screen.getByTestId('reachable-status')
    expect(within(reachable).getByText('No')).toBeTruthy()
    expect(reachable.textContent).toMatch(/you may be behind a NAT or firewall; outgoing connections still work/)
  })

  it('says peers can reach you once someone has', async () => {
    core.network = { ...richStatus(), reachable: true }
    await openPanel()
    expect(screen.getByTestId('reachable-status').textContent).toMatch(/YesPeers can reach you directly\./)
  })

  it('counts connections per peer, not per channel', async () => {
    core.network = { ...richStatus(), connections: 5 }
    await openPanel()
    const card = screen.getByTestId('connections-status')
    expect(within(card).getByText('5')).toBeTruthy()
    expect(card.textContent).toMatch(/^Peers connected5One encrypted connection each, shared by every channel you have in common\.$/)
  })

  it('says so when no peer is connected', async () => {
    core.network = { ...richStatus(), connections: 0 }
    await openPanel()
    expect(screen.getByTestId('connections-status').textContent).toMatch(/No connection to a peer right now\./)
  })

  it('says how much it relays for others, or that it does not', async () => {
    core.network = { ...richStatus(), relay: { enabled: true, circuits: 2, bytesRelayed: 3_670_016 } }
    await openPanel()
    expect(screen.getByTestId('relay-service-status').textContent).toBe('Relaying for othersOn2 connections through you now; 3.5 MB passed on since start, encrypted end to end.')
    cleanup()
    core.network = { ...richStatus(), relay: { enabled: true, circuits: 0, bytesRelayed: 0 } }
    await openPanel()
    expect(screen.getByTestId('relay-service-status').textContent).toBe('Relaying for othersOnNobody is connected through you right now; 0 B passed on since start, encrypted end to end.')
    cleanup()
    core.network = { ...richStatus(), relay: { enabled: false, circuits: 0, bytesRelayed: 0 } }
    await openPanel()
    expect(screen.getByTestId('relay-service-status').textContent).toBe('Relaying for othersOffYou do not relay for others (Settings → Relaying).')
  })

  it('leaves the connection count out when the node does not give one', async () => {
    await openPanel()
    expect(screen.queryByTestId('connections-status')).toBeNull()
  })

  it('shows the listen port, observed address, DHT and LAN state', async () => {
    await openPanel()
    expect(screen.getByText('Port 40123')).toBeTruthy()
    expect(screen.getByText('203.0.113.7:40123', { selector: '.net-card__addresses .mono' })).toBeTruthy()
    const dht = screen.getByRole('region', { name: 'DHT' })
    expect(within(dht).getByText('On')).toBeTruthy()
    expect(within(dht).getByText('186 nodes · bootstrapping…')).toBeTruthy()
    expect(within(dht).getByText('bootstrap timed out')).toBeTruthy()
    expect(within(screen.getByRole('region', { name: 'LAN discovery' })).getByText('On')).toBeTruthy()
  })

  it('shows the proxy in use, and the DHT and LAN off because of it', async () => {
    core.network = { ...richStatus(), proxy: 'socks5://me@127.0.0.1:9050', dht: { enabled: false, nodes: 0, bootstrapped: false, lastError: null }, lan: { enabled: false, lastError: null } }
    await openPanel()
    const proxy = screen.getByRole('region', { name: 'Proxy' })
    expect(within(proxy).getByText('socks5://me@127.0.0.1:9050')).toBeTruthy()
    expect(within(screen.getByRole('region', { name: 'DHT' })).getByText('Off while a proxy is in use: it would show your address.')).toBeTruthy()
    expect(within(screen.getByRole('region', { name: 'LAN discovery' })).getByText('Off while a proxy is in use.')).toBeTruthy()
  })

  it('shows the forwarded address when the router forwards the port, and why not when it does not', async () => {
    core.network = { ...richStatus(), portMapping: { state: 'mapped', via: 'upnp', gateway: '192.168.1.1', internalPort: 40123, externalHost: '198.51.100.4', externalPort: 40123 } }
    await openPanel()
    const card = screen.getByRole('region', { name: 'Port forwarding' })
    expect(within(card).getByText('Forwarded by UPnP')).toBeTruthy()
    expect(within(card).getByText('198.51.100.4:40123')).toBeTruthy()
    expect(within(card).getByText('Your router forwards the TCP port to you, so peers can connect in at')).toBeTruthy()
    expect(within(card).getByText(/UPnP-IGD at the gateway 192\.168\.1\.1: external 198\.51\.100\.4:40123 → internal port 40123 \(TCP\)/).closest('details')).toBeTruthy()
  })

  it('says port forwarding is not available, with the reason one click away', async () => {
    core.network = { ...richStatus(), portMapping: { state: 'unavailable', reason: 'no router on this network offers UPnP port mapping' } }
    await openPanel()
    const card = screen.getByRole('region', { name: 'Port forwarding' })
    expect(within(card).getByText('Not available')).toBeTruthy()
    expect(within(card).getByText('no router on this network offers UPnP port mapping').closest('details')).toBeTruthy()
  })

  it('shows no proxy card without a proxy', async () => {
    await openPanel()
    expect(screen.queryByTestId('proxy-status')).toBeNull()
  })

  it('lists the current channel’s trackers with relative times and the failing one highlighted', async () => {
    await openPanel()
    const [working, failing] = screen.getAllByTestId('tracker-row')
    expect(within(working!).getByText('1 minute ago')).toBeTruthy()
    expect(within(working!).getByText('in 28 minutes')).toBeTruthy()
    expect(within(working!).getByText('4')).toBeTruthy()
    expect(within(working!).getByText('Working')).toBeTruthy()
    expect(within(failing!).getByText('Never')).toBeTruthy()
    expect(within(failing!).getByText('connect timed out')).toBeTruthy()
    expect(failing!.className).toContain('net-table__row--error')
    expect(working!.className).not.toContain('net-table__row--error')
  })

  it('lists a tracker once while the node announces two days\' hashes to it (the two hours around midnight UTC)', async () => {
    const url = 'udp://tracker.opentrackr.org:1337/announce'
    core.network = networkStatus({
      channels: [channelNetwork(1, {
        name: 'general',
        trackers: [
          tracker(url, { lastAnnounceAt: NOW - 95_000, nextAnnounceAt: NOW + 60_000, peersReturned: 4 }),
          tracker(url, { lastAnnounceAt: NOW - 30_000, nextAnnounceAt: NOW + 120_000, peersReturned: 2 })
        ]
      })]
    })
    await openPanel()
    const [row, ...more] = screen.getAllByTestId('tracker-row')
    expect(more).toHaveLength(0)
    expect(within(row!).getByText('30 seconds ago')).toBeTruthy()
    expect(within(row!).getByText('in 1 minute')).toBeTruthy()
    expect(within(row!).getByText('4')).toBeTruthy()
    expect(screen.getByText(/^1 of 1 trackers answering/)).toBeTruthy()
  })

  it('shows the three addresses peers see most, and the rest on request', async () => {
    const seen = Array.from({ length: 20 }, (_, i) => `127.0.0.1:${52_000 + i}`)
    core.network = { ...richStatus(), observedAddresses: seen }
    await openPanel()
    const card = screen.getByRole('region', { name: 'Your address' })
    const shown = [...card.querySelectorAll('.net-card__addresses li')].filter(li => li.closest('details') === null).map(li => li.textContent)
    expect(shown).toEqual(seen.slice(0, 3))
    const more = within(card).getByText('17 more').closest('details')!
    expect(more.open).toBe(false)
    expect([...more.querySelectorAll('li')].map(li => li.textContent)).toEqual(seen.slice(3))
  })

  it('lists known addresses, connected first, with peer names, source badges, status and failures', async () => {
    await openPanel()
    const rows = screen.getAllByTestId('address-row') as HTMLTableRowElement[]
    expect(rows.map(r => r.cells[0]?.textContent)).toEqual([grace.address, '100.64.3.9:7000', '203.0.113.7:40123'])
    const [connected, backoff, self] = rows as [HTMLTableRowElement, HTMLTableRowElement, HTMLTableRowElement]
    expect(within(connected).getByText('Grace')).toBeTruthy()
    expect([...connected.querySelectorAll('.source')].map(b => b.textContent)).toEqual(['Tracker', 'PEX', 'Stored'])
    expect(within(connected).getByText('Connected')).toBeTruthy()
    expect(within(backoff).getByText('f3c91111…')).toBeTruthy()
    expect([...backoff.querySelectorAll('.source')].map(b => b.textContent)).toEqual(['Tracker', 'DHT'])
    expect(within(backoff).getByText('Retrying later')).toBeTruthy()
    expect(backoff.cells[4]?.textContent).toBe('3')
    expect(within(self).getByText('You')).toBeTruthy()
  })

  it('shows a member connected through a relay as relayed via that member, by name', async () => {
    actions().peersListed(hex(77), [peer(5, { name: 'Rita' })])
    const relayed = knownAddress('127.0.0.1:5000', { status: 'connected', publicKey: peer(6).publicKey, sources: [], via: peer(5).publicKey })
    core.network = { ...richStatus(), channels: [channelNetwork(1, { trackers: [tracker('udp://t.example:1337')], addresses: [relayed] })] }
    await openPanel()
    const [row] = screen.getAllByTestId('address-row') as HTMLTableRowElement[]
    expect(row?.cells[0]?.textContent).toBe('relayed via Rita')
    expect(row?.cells[0]?.getAttribute('title')).toBe('Relayed: 127.0.0.1:5000 is the relaying member\'s address')
    expect(screen.queryByText(/Peers found but unreachable/)).toBeNull()
  })

  it('names why nothing connects in the channels shown', async () => {
    core.network = { ...richStatus(), channels: richStatus().channels.slice(1) }
    actions().channelSelected(hex(2))
    await openPanel()
    const hints = screen.getByRole('region', { name: 'Why nothing connects' })
    const texts = within(hints).getAllByTestId('network-hint').map(h => h.textContent)
    expect(texts[0]).toBe('The only tracker is failing.Detailswss://tracker.example — HTTP 503')
    expect(texts).toContainEqual(expect.stringMatching(/^Peers found but unreachable in #random/))
  })

  it('names a private conversation by the person, never “Private chat”, in its section, the switch and the hints', async () => {
    const chat = privateChat(1)
    actions().contactsListed([contact(1, { name: 'Ann' })])
    actions().channelsListed([channel(1, { name: 'general' }), chat])
    actions().channelSelected(chat.channelId)
    core.network = networkStatus({
      channels: [
        richStatus().channels[0]!,
        channelNetwork(501, { name: 'Private chat', trackers: [tracker('wss://tracker.example', { lastAnnounceAt: NOW - 1000 })], addresses: [knownAddress('198.51.100.9:4000', { status: 'backoff' })] })
      ]
    })
    await openPanel()
    expect(screen.getByRole('heading', { name: 'Private conversation with Ann' })).toBeTruthy()
    expect(screen.getByRole('radio', { name: 'Ann' })).toBeTruthy()
    expect(screen.getAllByTestId('network-hint').map(h => h.textContent)).toContainEqual(expect.stringMatching(/^Peers found but unreachable in your conversation with Ann/))
    expect(screen.queryByText(/Private chat/)).toBeNull()
  })

  it('switches from the current channel to all channels', async () => {
    await openPanel()
    expect(screen.queryByRole('heading', { name: 'random' })).toBeNull()
    fireEvent.click(screen.getByRole('radio', { name: 'All channels' }))
    expect(screen.getByRole('heading', { name: 'general' })).toBeTruthy()
    expect(screen.getByRole('heading', { name: 'random' })).toBeTruthy()
    expect(screen.getAllByTestId('tracker-row')).toHaveLength(3)
  })

  it('polls every 3 seconds while open and stops once closed', async () => {
    const { unmount } = renderWithClient(<NetworkPanel />, core)
    await screen.findAllByTestId('tracker-row')
    core.network = { ...richStatus(), listenPort: 5555 }
    await act(async () => { await vi.advanceTimersByTimeAsync(3000) })
    expect(core.callsOf('network.status')).toHaveLength(2)
    expect(await screen.findByText('Port 5555')).toBeTruthy()
    unmount()
    await vi.advanceTimersByTimeAsync(9000)
    expect(core.callsOf('network.status')).toHaveLength(2)
  })

  it('shows a failed refresh next to the last status', async () => {
    await openPanel()
    core.failNext('network.status', 'INTERNAL', 'database is locked')
    await act(async () => { await vi.advanceTimersByTimeAsync(3000) })
    expect(screen.getByRole('alert').textContent).toBe('Could not get the network status: database is locked')
    expect(screen.getAllByTestId('tracker-row')).toHaveLength(2)
  })
})

describe('reaching the network panel', () => {
  async function start (): Promise<void> {
    core.addChannel(channel(1, { name: 'general' }))
    renderWithClient(<App />, core)
    await refreshAll(core)
  }

  it('opens from the “Network status” button', async () => {
    await start()
    fireEvent.click(await screen.findByRole('button', { name: 'Network status' }))
    expect(await screen.findByTestId('network-panel')).toBeTruthy()
  })

  it('opens and closes with Ctrl+Shift+E', async () => {
    await start()
    await screen.findByRole('button', { name: 'Network status' })
    fireEvent.keyDown(window, { key: 'E', code: 'KeyE', ctrlKey: true, shiftKey: true })
    expect(await screen.findByTestId('network-panel')).toBeTruthy()
    fireEvent.keyDown(window, { key: 'E', code: 'KeyE', ctrlKey: true, shiftKey: true })
    expect(useAppStore.getState().dialog).toBeNull()
  })

  it('is offered from the conversation header while no peer is connected', async () => {
    await start()
    fireEvent.click(await screen.findByRole('button', { name: 'Troubleshoot' }))
    expect(useAppStore.getState().dialog).toEqual({ kind: 'network' })
  })
})
