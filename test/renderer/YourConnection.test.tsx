import { fireEvent, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { NatType, NetworkStatus } from '../../core/api/contract.ts'
import { NetworkPanel } from '../../renderer/src/components/NetworkPanel.tsx'
import { actions, useAppStore } from '../../renderer/src/store/store.ts'
import { channel, channelNetwork, contact, FakeCore, hex, knownAddress, NAT_SITUATIONS, networkStatus, peer, tracker } from './helpers/fake-core.ts'
import { renderWithClient } from './helpers/render.tsx'

const answering = tracker('udp://tracker.example:1337', { lastAnnounceAt: 1, peersReturned: 2 })

let core: FakeCore
beforeEach(() => {
  core = new FakeCore()
  actions().channelsListed([channel(1, { name: 'general' })])
  actions().channelSelected(hex(1))
})

function statusWith (fields: Partial<NetworkStatus>): NetworkStatus {
  return networkStatus({
    listenPort: 4000,
    dht: { enabled: true, nodes: 120, bootstrapped: true, lastError: null },
    lan: { enabled: true, lastError: null },
    channels: [channelNetwork(1, { name: 'general', trackers: [answering], addresses: [knownAddress('192.0.2.1:4000', { status: 'connected' })] })],
    ...fields
  })
}

async function openPanel (status: NetworkStatus): Promise<HTMLElement> {
  core.network = status
  actions().dialogOpened({ kind: 'network' })
  renderWithClient(<NetworkPanel />, core)
  return await screen.findByRole('region', { name: 'Your connection' })
}

const card = (section: HTMLElement, name: string): HTMLElement => within(section).getByRole('region', { name })
const valueOf = (region: HTMLElement): string | null | undefined => region.querySelector('.net-card__value')?.textContent

describe('Your connection, in the network panel', () => {
  const meaning: Record<NatType, [string, string]> = {
    open: ['Open', 'Others can connect to you directly.'],
    consistent: ['Behind a router, hole punching works', 'Your router allows direct connections once both sides reach out: BitChat opens them by hole punching.'],
    random: ['Behind a strict router', 'Your router gives every connection a new port: direct connections rarely work, so BitChat goes through other members.'],
    unknown: ['Not checked', 'BitChat finds out over UDP. UDP is off while a proxy is in use.']
  }
  for (const nat of ['open', 'consistent', 'random', 'unknown'] as const) {
    it(`says what a ${nat} NAT means in plain words, with the technical name one click away`, async () => {
      const router = card(await openPanel(statusWith(NAT_SITUATIONS[nat])), 'Your router')
      expect(valueOf(router)).toBe(meaning[nat][0])
      expect(within(router).getByText(meaning[nat][1])).toBeTruthy()
      expect(within(router).getByText(/^NAT type: /).closest('details')?.open).toBe(false)
    })
  }

  it('says it is still finding out while the NAT is not known and UDP runs', async () => {
    const router = card(await openPanel(statusWith({ nat: 'unknown', udp: { enabled: true, port: 4000 } })), 'Your router')
    expect(valueOf(router)).toBe('Not known yet')
    expect(within(router).getByText('Still finding out…')).toBeTruthy()
  })

  it('says why the NAT is not checked while the IP address is hidden', async () => {
    const router = card(await openPanel(statusWith({ nat: 'unknown', relayOnly: true, udp: { enabled: false, port: 0 } })), 'Your router')
    expect(within(router).getByText('BitChat finds out over UDP. UDP is off while your IP address is hidden.')).toBeTruthy()
  })

  it('shows the public addresses, each with a button that copies it', async () => {
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    try {
      const address = card(await openPanel(statusWith(NAT_SITUATIONS.random)), 'Your address')
      expect(within(address).getByText('On the internet you are')).toBeTruthy()
      expect([...address.querySelectorAll('.net-card__addresses .mono')].map(a => a.textContent)).toEqual(['198.51.100.77:61021', '198.51.100.77:53388', '198.51.100.77:40112'])
      fireEvent.click(within(address).getByRole('button', { name: 'Copy 198.51.100.77:53388' }))
      await vi.waitFor(() => { expect(useAppStore.getState().notices.map(n => n.text)).toContain('Address copied') })
      expect(writeText).toHaveBeenCalledWith('198.51.100.77:53388')
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('lists what peers report seeing apart from the public addresses, without repeating one', async () => {
    const address = card(await openPanel(statusWith({ publicAddresses: ['203.0.113.7:4000'], observedAddresses: ['203.0.113.7:4000', '203.0.113.7:51234'] })), 'Your address')
    expect(within(address).getByText('Peers see you as')).toBeTruthy()
    expect([...address.querySelectorAll('.net-card__addresses .mono')].map(a => a.textContent)).toEqual(['203.0.113.7:4000', '203.0.113.7:51234'])
  })

  it('says UDP is on and on which port, or off and why', async () => {
    expect(card(await openPanel(statusWith(NAT_SITUATIONS.consistent)), 'UDP').textContent).toBe('UDPOnPort 4000: direct connections, hole punching and the DHT share it.')
    screen.getByRole('dialog').remove()
    expect(card(await openPanel(statusWith({ udp: { enabled: false, port: 0, reason: 'the port is taken' } })), 'UDP').textContent)
      .toBe('UDPOffUDP is off: the port is taken. Connections use TCP and relays.')
  })

  it('leaves the UDP card out when the node does not say', async () => {
    expect(within(await openPanel(statusWith({}))).queryByRole('region', { name: 'UDP' })).toBeNull()
  })

  it('shows a mapping made by NAT-PMP for TCP and UDP, with the external address to copy', async () => {
    const mapped = card(await openPanel(statusWith({ portMapping: { state: 'mapped', via: 'natpmp', gateway: '10.0.0.1', internalPort: 4000, externalHost: '198.51.100.4', externalPort: 14000, protocols: ['tcp', 'udp'] } })), 'Port forwarding')
    expect(valueOf(mapped)).toBe('Forwarded by NAT-PMP')
    expect(within(mapped).getByText('Your router forwards the TCP and UDP ports to you, so peers can connect in at')).toBeTruthy()
    expect(within(mapped).getByRole('button', { name: 'Copy 198.51.100.4:14000' })).toBeTruthy()
    expect(within(mapped).getByText('NAT-PMP at the gateway 10.0.0.1: external 198.51.100.4:14000 → internal port 4000 (TCP + UDP)')).toBeTruthy()
  })

  it('shows a mapping made by PCP under that name', async () => {
    const mapped = card(await openPanel(statusWith({ portMapping: { state: 'mapped', via: 'pcp', gateway: '10.0.0.1', internalPort: 4000, externalHost: '198.51.100.4', externalPort: 4000, protocols: ['tcp'] } })), 'Port forwarding')
    expect(valueOf(mapped)).toBe('Forwarded by PCP')
    expect(within(mapped).getByText('PCP (Port Control Protocol) at the gateway 10.0.0.1: external 198.51.100.4:4000 → internal port 4000 (TCP)')).toBeTruthy()
  })

  it('says how much it relays for others, in readable units', async () => {
    const relay = card(await openPanel(statusWith({ relay: { enabled: true, circuits: 1, bytesRelayed: 5 * 1024 ** 3 } })), 'Relaying for others')
    expect(within(relay).getByText('1 connection through you now; 5.0 GB passed on since start, encrypted end to end.')).toBeTruthy()
  })

  it('shows the proxy, and that nobody connects in through it', async () => {
    const section = await openPanel(statusWith(NAT_SITUATIONS.unknown))
    expect(within(card(section, 'Proxy')).getByText('socks5://127.0.0.1:9050')).toBeTruthy()
    expect(card(section, 'Reachable from outside').textContent).toBe('Reachable from outsideNoBehind a proxy nobody connects to you: you connect out, and members relay for you.')
  })

  it('says the IP address is hidden, and what that means for being reached', async () => {
    const section = await openPanel(statusWith({ relayOnly: true, udp: { enabled: false, port: 0 }, dht: { enabled: false, nodes: 0, bootstrapped: false, lastError: null } }))
    expect(valueOf(card(section, 'Hiding your IP address'))).toBe('On')
    expect(valueOf(card(section, 'Reachable from outside'))).toBe('Through your contacts')
    expect(within(card(section, 'Your address')).getByText('Hidden from everyone but your contacts.')).toBeTruthy()
    expect(within(screen.getByRole('region', { name: 'DHT' })).getByText('Off while your IP address is hidden: it would show your address.')).toBeTruthy()
  })

  it('shows no hidden-address card while the address is not hidden', async () => {
    expect(within(await openPanel(statusWith(NAT_SITUATIONS.open))).queryByRole('region', { name: 'Hiding your IP address' })).toBeNull()
  })
})

describe('reachability hints, in the network panel', () => {
  it('suggests port forwarding behind a strict router nobody reaches, with the facts behind a disclosure', async () => {
    await openPanel(statusWith({ ...NAT_SITUATIONS.random, channels: [channelNetwork(1, { name: 'general', trackers: [answering], addresses: [knownAddress('198.51.100.9:4000', { status: 'backoff', failures: 3 })] })] }))
    const hints = screen.getByRole('region', { name: 'Why nothing connects' })
    const strict = within(hints).getAllByTestId('network-hint').find(h => h.textContent?.startsWith('Nobody can connect to you directly'))
    expect(strict).toBeDefined()
    const more = within(strict!).getByText('Details').closest('details')!
    expect(more.open).toBe(false)
    expect(within(more).getByText('NAT type: random (symmetric)')).toBeTruthy()
    expect(within(hints).getByText(/BitChat will try through another member\.$/)).toBeTruthy()
  })

  it('does not count a blocked contact as one who could relay for a hidden address', async () => {
    actions().contactsListed([contact(2, { blocked: true })])
    await openPanel(statusWith({ relayOnly: true, channels: [channelNetwork(1, { name: 'general', trackers: [answering], addresses: [knownAddress(peer(2).address, { publicKey: peer(2).publicKey, status: 'connected' })] })] }))
    expect(screen.getByText(/No contact online to relay for you/)).toBeTruthy()
  })

  it('says no contact is online to relay while the address is hidden, and stops once one is', async () => {
    actions().contactsListed([contact(2)])
    await openPanel(statusWith({ relayOnly: true, udp: { enabled: false, port: 0 } }))
    expect(screen.getByText('No contact online to relay for you: while your IP address is hidden, you reach others only through your contacts.')).toBeTruthy()
    screen.getByRole('dialog').remove()
    await openPanel(statusWith({ relayOnly: true, channels: [channelNetwork(1, { name: 'general', trackers: [answering], addresses: [knownAddress(peer(2).address, { publicKey: peer(2).publicKey, status: 'connected' })] })] }))
    expect(screen.queryByText(/No contact online to relay for you/)).toBeNull()
  })
})
