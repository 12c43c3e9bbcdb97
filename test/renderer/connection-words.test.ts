import { describe, expect, it } from 'vitest'
import type { NetworkStatus } from '../../core/api/contract.ts'
import { natWords, udpOff, udpOffWords } from '../../renderer/src/lib/connection-words.ts'
import { networkStatus } from './helpers/fake-core.ts'

const udpOn = { enabled: true, port: 4000 }
const udpDown = { enabled: false, port: 0 }
const dhtOn = { enabled: true, nodes: 8, bootstrapped: true, lastError: null }

const table: Array<{ status: Partial<NetworkStatus>; value: string; meaning: string; tone: string }> = [
  { status: { nat: 'open', udp: udpOn }, value: 'Open', meaning: 'Others can connect to you directly.', tone: 'good' },
  { status: { nat: 'consistent', udp: udpOn }, value: 'Behind a router, hole punching works', meaning: 'Your router allows direct connections once both sides reach out: BitChat opens them by hole punching.', tone: 'good' },
  { status: { nat: 'random', udp: udpOn }, value: 'Behind a strict router', meaning: 'Your router gives every connection a new port: direct connections rarely work, so BitChat goes through other members.', tone: 'warning' },
  { status: { nat: 'unknown', udp: udpOn, dht: dhtOn }, value: 'Not known yet', meaning: 'Still finding out…', tone: 'neutral' },
  { status: { dht: dhtOn }, value: 'Not known yet', meaning: 'Still finding out…', tone: 'neutral' },
  { status: { nat: 'unknown', udp: udpOn, dht: { enabled: false, nodes: 0, bootstrapped: false, lastError: null } }, value: 'Not known', meaning: 'BitChat learns it mostly from the DHT, which is off.', tone: 'neutral' },
  { status: { nat: 'unknown', udp: udpDown, proxy: 'socks5://127.0.0.1:9050' }, value: 'Not checked', meaning: 'BitChat finds out over UDP. UDP is off while a proxy is in use.', tone: 'neutral' },
  { status: { nat: 'unknown', udp: udpDown, relayOnly: true }, value: 'Not checked', meaning: 'BitChat finds out over UDP. UDP is off while your IP address is hidden.', tone: 'neutral' },
  { status: { nat: 'unknown', udp: { ...udpDown, reason: 'the UDP port is in use' } }, value: 'Not checked', meaning: 'BitChat finds out over UDP. UDP is off: the UDP port is in use.', tone: 'neutral' }
]

describe('natWords', () => {
  for (const row of table) {
    it(`${JSON.stringify(row.status)} reads “${row.value}”`, () => {
      expect(natWords(networkStatus(row.status))).toMatchObject({ value: row.value, meaning: row.meaning, tone: row.tone })
    })
  }

  it('keeps the technical name for the disclosure', () => {
    expect(natWords(networkStatus({ nat: 'random' })).technical).toMatch(/symmetric/)
    expect(natWords(networkStatus({ nat: 'consistent' })).technical).toMatch(/endpoint-independent mapping/)
  })
})

describe('udpOff', () => {
  it('is null while UDP runs or the node does not say', () => {
    expect(udpOff(networkStatus({ udp: udpOn }))).toBeNull()
    expect(udpOff(networkStatus())).toBeNull()
  })

  it('names the proxy before the hidden address, and the node’s own reason otherwise', () => {
    expect(udpOff(networkStatus({ udp: udpDown, proxy: 'http://p.example:3128', relayOnly: true }))).toEqual({ because: 'proxy' })
    expect(udpOff(networkStatus({ udp: udpDown, relayOnly: true }))).toEqual({ because: 'hidden' })
    expect(udpOffWords(udpOff(networkStatus({ udp: udpDown }))!)).toBe('UDP is off')
    expect(udpOffWords(udpOff(networkStatus({ udp: { ...udpDown, reason: 'bind EADDRINUSE' } }))!)).toBe('UDP is off: bind EADDRINUSE')
  })
})
