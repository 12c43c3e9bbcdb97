// Why a peer cannot be reached directly, from the node's situation (NAT, port forwarding, proxy,
// hidden address) and the addresses that did not answer: a short sentence each, with the technical
// facts behind it for a disclosure.
import type { ChannelNetwork, Hex, KnownAddress, NetworkStatus } from '../../../core/api/contract.ts'
import { PORT_MAPPING_NAMES } from './connection-words.ts'
import type { NetworkHint } from './network-hints.ts'
import { plural } from './plural.ts'
import { proxyInUse } from './proxy-form.ts'

/** Beyond a handful, a list of failing addresses says no more than its count. */
export const LISTED_ADDRESSES = 5

function portMappingWords (mapping: NetworkStatus['portMapping']): string {
  if (mapping === undefined) return 'port forwarding: not reported'
  if (mapping.state === 'mapped') return `port forwarding: ${mapping.externalHost}:${mapping.externalPort} by ${PORT_MAPPING_NAMES[mapping.via].short}`
  if (mapping.state === 'searching') return 'port forwarding: asking the router'
  const reason = mapping.reason === undefined ? '' : ` (${mapping.reason})`
  return `port forwarding: ${mapping.state}${reason}`
}

function connectedKeys (status: NetworkStatus): Set<Hex> {
  const keys = new Set<Hex>()
  for (const channel of status.channels) {
    for (const a of channel.addresses) if (a.status === 'connected' && a.publicKey !== null) keys.add(a.publicKey)
  }
  return keys
}

function hiddenAddressHint (status: NetworkStatus, contacts: ReadonlySet<Hex>): NetworkHint | null {
  if (status.relayOnly !== true) return null
  const online = [...connectedKeys(status)].filter(k => contacts.has(k)).length
  if (online > 0) return null
  return {
    id: 'hidden-no-relay',
    tone: 'warning',
    text: 'No contact online to relay for you: while your IP address is hidden, you reach others only through your contacts.',
    details: ['Hide my IP address: on (relayOnly)', contacts.size === 0 ? 'contacts: none' : `contacts: ${contacts.size}, none connected`]
  }
}

function proxyHint (status: NetworkStatus): NetworkHint | null {
  if (!proxyInUse(status.proxy)) return null
  return {
    id: 'proxy-reach',
    tone: 'info',
    text: 'With a proxy, only members who accept incoming connections or relay for others can be reached.',
    details: [`proxy: ${status.proxy ?? ''}`, 'UDP, the DHT, LAN discovery and hole punching are off: they would go around the proxy']
  }
}

/** Nobody dials in and the router maps each destination apart: without a forwarded port, only relays help. */
function strictRouterHint (status: NetworkStatus): NetworkHint | null {
  if (status.nat !== 'random' || status.reachable || status.relayOnly === true || proxyInUse(status.proxy)) return null
  if (status.portMapping?.state === 'mapped') return null
  const text = status.portMapping?.state === 'off'
    ? 'Nobody can connect to you directly, and your router gives every connection a new port. Turning on port forwarding in Settings → Network, with UPnP, PCP or NAT-PMP allowed on your router, would let members reach you.'
    : 'Nobody can connect to you directly, and your router gives every connection a new port. Allowing UPnP, PCP or NAT-PMP on your router (or forwarding the port by hand) would let members reach you.'
  return {
    id: 'strict-router',
    tone: 'warning',
    text,
    details: ['NAT type: random (symmetric)', 'reachable from outside: no', portMappingWords(status.portMapping)]
  }
}

const behindNat = (status: NetworkStatus): boolean =>
  status.nat === 'consistent' || status.nat === 'random' || (status.nat !== 'open' && !status.reachable)

const unanswered = (a: KnownAddress): boolean => a.status === 'backoff' && a.failures > 0 && a.via === undefined

/** Direct dials that keep failing while we sit behind a NAT: likely the peer does too, and a member will carry it. */
function throughMemberHint (status: NetworkStatus, channels: readonly ChannelNetwork[]): NetworkHint | null {
  if (!behindNat(status) || status.relayOnly === true || proxyInUse(status.proxy)) return null
  // An old address of someone connected some other way (a new port, a relay) is no one left unreached.
  const connected = connectedKeys(status)
  const failing = new Map<string, KnownAddress>()
  for (const channel of channels) {
    for (const a of channel.addresses) if (unanswered(a) && (a.publicKey === null || !connected.has(a.publicKey))) failing.set(a.address, a)
  }
  if (failing.size === 0) return null
  const listed = [...failing.values()].sort((a, b) => b.failures - a.failures)
  const details = listed.slice(0, LISTED_ADDRESSES).map(a => `${a.address}: ${plural(a.failures, 'failed attempt', 'failed attempts')}`)
  if (listed.length > LISTED_ADDRESSES) details.push(`and ${listed.length - LISTED_ADDRESSES} more`)
  return {
    id: 'through-member',
    tone: 'info',
    text: `${failing.size === 1 ? 'An address does' : `${failing.size} addresses do`} not answer directly: you are behind a router, and those peers probably are too. BitChat will try through another member.`,
    details
  }
}

/**
 * Hints about reaching peers, for the channels shown; `contacts` are the keys of the address book
 * (the relays a hidden address goes through). Most severe first.
 */
export function reachabilityHints (status: NetworkStatus, channels: readonly ChannelNetwork[], contacts: ReadonlySet<Hex>): NetworkHint[] {
  return [hiddenAddressHint(status, contacts), strictRouterHint(status), throughMemberHint(status, channels), proxyHint(status)]
    .filter(h => h !== null)
}
