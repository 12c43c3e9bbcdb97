import { describe, expect, it } from 'vitest'
import type { ChannelNetwork, Hex, NetworkStatus } from '../../core/api/contract.ts'
import { LISTED_ADDRESSES, reachabilityHints } from '../../renderer/src/lib/reachability-hints.ts'
import { channelNetwork, hex, knownAddress, networkStatus } from './helpers/fake-core.ts'

const contactKey = hex(1001)
const strangerKey = hex(1002)
const failing = (n: number, failures = 2) => knownAddress(`198.51.100.${n}:4000`, { status: 'backoff', failures })
const connected = (key: Hex) => knownAddress(`192.0.2.${key.slice(-1)}:4000`, { publicKey: key, status: 'connected' })
const unmapped = { state: 'unavailable', reason: 'no router answered' } as const

interface Row {
  situation: string
  status: Partial<NetworkStatus>
  addresses?: ChannelNetwork['addresses']
  contacts?: Hex[]
  ids: string[]
}

const table: Row[] = [
  { situation: 'open NAT, reachable, nothing failing', status: { nat: 'open', reachable: true }, ids: [] },
  { situation: 'random NAT, nobody dialled in, no port forwarded', status: { nat: 'random', portMapping: unmapped }, ids: ['strict-router'] },
  { situation: 'random NAT but the router forwards the port', status: { nat: 'random', portMapping: { state: 'mapped', via: 'natpmp', gateway: '192.168.1.1', internalPort: 4000, externalHost: '198.51.100.4', externalPort: 4000 } }, ids: [] },
  { situation: 'random NAT but someone dialled in', status: { nat: 'random', reachable: true }, ids: [] },
  { situation: 'random NAT behind a proxy (the proxy explains it)', status: { nat: 'random', proxy: 'socks5://127.0.0.1:9050' }, ids: ['proxy-reach'] },
  { situation: 'consistent NAT, an address keeps failing', status: { nat: 'consistent' }, addresses: [failing(1)], ids: ['through-member'] },
  { situation: 'unknown NAT and unreachable, an address keeps failing', status: {}, addresses: [failing(1)], ids: ['through-member'] },
  { situation: 'open NAT, an address keeps failing (their side, not ours)', status: { nat: 'open', reachable: true }, addresses: [failing(1)], ids: [] },
  { situation: 'behind a NAT, an address in backoff never tried', status: { nat: 'consistent' }, addresses: [failing(1, 0)], ids: [] },
  { situation: 'behind a NAT, a relayed route failing (not a direct dial)', status: { nat: 'consistent' }, addresses: [knownAddress('192.0.2.9:4000', { status: 'backoff', failures: 3, via: hex(9) })], ids: [] },
  { situation: 'behind a NAT, the failing address’s owner connected another way', status: { nat: 'consistent' }, addresses: [knownAddress('198.51.100.1:4000', { publicKey: strangerKey, status: 'backoff', failures: 3 }), connected(strangerKey)], ids: [] },
  { situation: 'random NAT, unmapped, and an address failing', status: { nat: 'random', portMapping: unmapped }, addresses: [failing(1)], ids: ['strict-router', 'through-member'] },
  { situation: 'a proxy set', status: { proxy: 'http://proxy.example:3128' }, addresses: [failing(1)], ids: ['proxy-reach'] },
  { situation: 'a proxy setting of none', status: { proxy: null, nat: 'open', reachable: true }, ids: [] },
  { situation: 'hidden address, no contact online', status: { relayOnly: true }, addresses: [connected(strangerKey)], contacts: [contactKey], ids: ['hidden-no-relay'] },
  { situation: 'hidden address, no contacts at all', status: { relayOnly: true }, ids: ['hidden-no-relay'] },
  { situation: 'hidden address, a contact online', status: { relayOnly: true, nat: 'random', portMapping: unmapped }, addresses: [connected(contactKey), failing(1)], contacts: [contactKey], ids: [] }
]

describe('reachabilityHints', () => {
  for (const row of table) {
    it(`${row.situation}: ${row.ids.length === 0 ? 'nothing to say' : row.ids.join(', ')}`, () => {
      const status = networkStatus({ ...row.status, channels: [channelNetwork(1, { addresses: row.addresses ?? [] })] })
      expect(reachabilityHints(status, status.channels, new Set(row.contacts ?? [])).map(h => h.id)).toEqual(row.ids)
    })
  }

  it('suggests port forwarding on the router for a random NAT, and in Settings too when it is turned off there', () => {
    const [router] = reachabilityHints(networkStatus({ nat: 'random', portMapping: unmapped }), [], new Set())
    expect(router?.text).toBe('Nobody can connect to you directly, and your router gives every connection a new port. Allowing UPnP, PCP or NAT-PMP on your router (or forwarding the port by hand) would let members reach you.')
    expect(router?.details).toEqual(['NAT type: random (symmetric)', 'reachable from outside: no', 'port forwarding: unavailable (no router answered)'])
    const [off] = reachabilityHints(networkStatus({ nat: 'random', portMapping: { state: 'off', reason: 'turned off in Settings' } }), [], new Set())
    expect(off?.text).toMatch(/Turning on port forwarding in Settings → Network/)
  })

  it('says BitChat will try through another member, listing the failing addresses most failed first', () => {
    const status = networkStatus({ nat: 'consistent', channels: [channelNetwork(1, { addresses: [failing(1, 1), failing(2, 4), knownAddress('192.0.2.5:4000', { status: 'connected' })] })] })
    const [hint] = reachabilityHints(status, status.channels, new Set())
    expect(hint?.text).toBe('2 addresses do not answer directly: you are behind a router, and those peers probably are too. BitChat will try through another member.')
    expect(hint?.details).toEqual(['198.51.100.2:4000: 4 failed attempts', '198.51.100.1:4000: 1 failed attempt'])
  })

  it('counts an address once when two channels know it, and lists only the first few', () => {
    const many = Array.from({ length: LISTED_ADDRESSES + 2 }, (_, i) => failing(i + 1))
    const status = networkStatus({ nat: 'random', reachable: true, channels: [channelNetwork(1, { addresses: many }), channelNetwork(2, { addresses: [failing(1)] })] })
    const [hint] = reachabilityHints(status, status.channels, new Set())
    expect(hint?.text).toMatch(/^7 addresses do not answer directly/)
    expect(hint?.details).toHaveLength(LISTED_ADDRESSES + 1)
    expect(hint?.details?.at(-1)).toBe('and 2 more')
  })

  it('looks for an online contact in every channel, not only the ones shown', () => {
    const shown = channelNetwork(1, { addresses: [] })
    const other = channelNetwork(2, { addresses: [connected(contactKey)] })
    const status = networkStatus({ relayOnly: true, channels: [shown, other] })
    expect(reachabilityHints(status, [shown], new Set([contactKey]))).toEqual([])
  })

  it('says what a proxy leaves reachable', () => {
    const [hint] = reachabilityHints(networkStatus({ proxy: 'socks5://127.0.0.1:9050' }), [], new Set())
    expect(hint).toMatchObject({ tone: 'info', text: 'With a proxy, only members who accept incoming connections or relay for others can be reached.' })
    expect(hint?.details?.[0]).toBe('proxy: socks5://127.0.0.1:9050')
  })

  it('says no contact is online to relay while the address is hidden', () => {
    const [hint] = reachabilityHints(networkStatus({ relayOnly: true }), [], new Set([contactKey]))
    expect(hint).toMatchObject({ tone: 'warning', text: 'No contact online to relay for you: while your IP address is hidden, you reach others only through your contacts.' })
    expect(hint?.details).toEqual(['Hide my IP address: on (relayOnly)', 'contacts: 1, none connected'])
  })
})
