import { describe, expect, it } from 'vitest'
import { networkHints } from '../../renderer/src/lib/network-hints.ts'
import { channelNetwork, hex, knownAddress, networkStatus, tracker } from './helpers/fake-core.ts'

const ids = (...args: Parameters<typeof networkHints>): string[] => networkHints(...args).map(h => h.id)
const ok = tracker('udp://a.example:1337', { lastAnnounceAt: 1, peersReturned: 2 })
const dhtOn = { enabled: true, nodes: 120, bootstrapped: true, lastError: null }

describe('networkHints', () => {
  it('says nothing when there is no channel to connect', () => {
    expect(networkHints(networkStatus())).toEqual([])
  })

  it('says no discovery works when no tracker answered and DHT and LAN are off', () => {
    const status = networkStatus({ channels: [channelNetwork(1, { trackers: [tracker('udp://a.example:1337')] })] })
    const [hint] = networkHints(status)
    expect(hint).toMatchObject({ id: 'no-discovery', tone: 'error' })
    expect(hint?.text).toMatch(/no tracker has answered, the DHT is off and LAN discovery is off/)
  })

  it('does not blame discovery while the DHT works', () => {
    const status = networkStatus({ dht: dhtOn, channels: [channelNetwork(1, { trackers: [tracker('udp://a.example:1337')] })] })
    expect(ids(status)).not.toContain('no-discovery')
  })

  it('lists every tracker error when all trackers fail', () => {
    const status = networkStatus({
      channels: [channelNetwork(1, {
        trackers: [
          tracker('udp://a.example:1337', { lastError: 'timed out' }),
          tracker('wss://b.example', { lastError: 'HTTP 503' })
        ]
      })]
    })
    const hint = networkHints(status).find(h => h.id === 'trackers-failing')
    expect(hint?.text).toBe('All 2 trackers are failing.')
    expect(hint?.details).toEqual(['udp://a.example:1337 — timed out', 'wss://b.example — HTTP 503'])
  })

  it('only warns when some trackers fail and others answer', () => {
    const status = networkStatus({ channels: [channelNetwork(1, { trackers: [ok, tracker('wss://b.example', { lastError: 'HTTP 503' })] })] })
    expect(networkHints(status).find(h => h.id === 'trackers-some-failing')).toMatchObject({ tone: 'warning', text: '1 of 2 trackers is failing; the others still answer.' })
  })

  it('says peers were found but are unreachable when every address is in backoff', () => {
    const status = networkStatus({
      channels: [channelNetwork(1, {
        name: 'general',
        trackers: [ok],
        addresses: [
          knownAddress('198.51.100.1:4000', { status: 'backoff', failures: 3 }),
          knownAddress('198.51.100.2:4000', { status: 'backoff', failures: 1 }),
          knownAddress('203.0.113.7:4000', { status: 'self' })
        ]
      })]
    })
    const hint = networkHints(status).find(h => h.id === `unreachable-${hex(1)}`)
    expect(hint?.text).toMatch(/^Peers found but unreachable in #general: 2 addresses were found, none answers\./)
    expect(hint?.text).toMatch(/neither side can dial the other/)
  })

  it('does not call peers unreachable while one address is still being tried', () => {
    const status = networkStatus({
      channels: [channelNetwork(1, {
        trackers: [ok],
        addresses: [knownAddress('198.51.100.1:4000', { status: 'backoff' }), knownAddress('198.51.100.2:4000', { status: 'connecting' })]
      })]
    })
    expect(ids(status)).toEqual(['searching'])
  })

  it('says nobody else is announcing when trackers answer but no address is known', () => {
    const status = networkStatus({ channels: [channelNetwork(1, { name: 'quiet', trackers: [ok], addresses: [knownAddress('203.0.113.7:4000', { status: 'self' })] })] })
    expect(networkHints(status)).toEqual([expect.objectContaining({ id: `alone-${hex(1)}`, tone: 'info', text: expect.stringMatching(/^Nobody else is announcing #quiet yet/) as unknown })])
  })

  it('names a private conversation by the person', () => {
    const status = networkStatus({ channels: [channelNetwork(1, { name: 'Private chat', trackers: [ok], addresses: [] })] })
    const [hint] = networkHints(status, status.channels, { personOf: id => id === hex(1) ? 'Ann' : undefined })
    expect(hint?.text).toBe('Ann is not online: the trackers answer, but nobody else announces your conversation yet. It connects when Ann has BitChat running.')
  })

  it('passes on DHT and LAN errors', () => {
    const status = networkStatus({
      dht: { enabled: true, nodes: 0, bootstrapped: false, lastError: 'bootstrap nodes unreachable' },
      lan: { enabled: true, lastError: 'EADDRINUSE 239.192.152.143:6771' },
      channels: [channelNetwork(1, { trackers: [ok], addresses: [knownAddress('198.51.100.1:4000', { status: 'connected' })] })]
    })
    expect(networkHints(status).map(h => h.text)).toEqual([
      'The DHT reports an error: bootstrap nodes unreachable',
      'LAN discovery reports an error: EADDRINUSE 239.192.152.143:6771'
    ])
  })

  it('says the node is cut off from the internet’s peer finders when every tracker fails and the DHT knows no node', () => {
    const status = networkStatus({
      dht: { enabled: true, nodes: 0, bootstrapped: false, lastError: 'no bootstrap node answered' },
      lan: { enabled: true, lastError: null },
      channels: [channelNetwork(1, { trackers: [tracker('udp://a.example:1337', { lastError: 'timed out' })] })]
    })
    const hints = networkHints(status)
    expect(hints.map(h => h.id)).toEqual(['no-peer-finders'])
    expect(hints[0]?.text).toBe('Not connected to the internet’s peer finders: no tracker answers and the DHT knows no node. Only peers on your local network can be found.')
    expect(hints[0]?.details).toEqual(['udp://a.example:1337 — timed out', 'DHT: 0 nodes, no bootstrap node answered'])
  })

  it('does not call the peer finders lost while a tracker has not been asked yet or the DHT is still starting', () => {
    const lan = { enabled: true, lastError: null }
    const starting = networkStatus({ lan, dht: { enabled: true, nodes: 0, bootstrapped: false, lastError: null }, channels: [channelNetwork(1, { trackers: [tracker('udp://a.example:1337', { lastError: 'timed out' })] })] })
    expect(ids(starting)).not.toContain('no-peer-finders')
    const unasked = networkStatus({ lan, dht: { enabled: true, nodes: 0, bootstrapped: false, lastError: 'no answer' }, channels: [channelNetwork(1, { trackers: [tracker('udp://a.example:1337')] })] })
    expect(ids(unasked)).not.toContain('no-peer-finders')
  })

  it('puts errors first, then warnings, then information', () => {
    const status = networkStatus({
      proxy: 'socks5://127.0.0.1:9050',
      channels: [channelNetwork(1, { trackers: [tracker('udp://a.example:1337', { lastError: 'timed out' })] })]
    })
    expect(networkHints(status).map(h => h.tone)).toEqual(['error', 'error', 'info'])
  })

  it('has nothing to say once a peer is connected and nothing fails', () => {
    const status = networkStatus({ dht: dhtOn, channels: [channelNetwork(1, { trackers: [ok], addresses: [knownAddress('198.51.100.1:4000', { status: 'connected' })] })] })
    expect(networkHints(status)).toEqual([])
  })

  it('looks only at the channels it is given', () => {
    const broken = channelNetwork(2, { trackers: [ok], addresses: [knownAddress('198.51.100.1:4000', { status: 'backoff' })] })
    const fine = channelNetwork(1, { trackers: [ok], addresses: [knownAddress('198.51.100.2:4000', { status: 'connected' })] })
    const status = networkStatus({ dht: dhtOn, channels: [fine, broken] })
    expect(ids(status, [fine])).toEqual([])
    expect(ids(status)).toEqual([`unreachable-${hex(2)}`])
  })
})
