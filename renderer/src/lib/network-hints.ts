// "Why does nothing connect?" answered from a network status: the few situations that explain
// an empty members list, in plain words, most severe first.
import type { ChannelNetwork, Hex, KnownAddress, NetworkStatus, TrackerStatus } from '../../../core/api/contract.ts'
import { plural } from './plural.ts'
import { proxyInUse } from './proxy-form.ts'
import { reachabilityHints } from './reachability-hints.ts'

export interface NetworkHint {
  /** Stable across refreshes, for React keys and tests. */
  id: string
  tone: 'error' | 'warning' | 'info'
  /** One short sentence in plain words. */
  text: string
  /** The technical facts behind it, shown on request. */
  details?: string[]
}

const others = (addresses: readonly KnownAddress[]): KnownAddress[] => addresses.filter(a => a.status !== 'self')

function dhtState (dht: NetworkStatus['dht'], proxied: boolean): string | null {
  if (!dht.enabled) return proxied ? 'the DHT is off while the proxy is in use' : 'the DHT is off'
  if (!dht.bootstrapped) return 'the DHT has not bootstrapped'
  return null
}

function lanState (lan: NetworkStatus['lan']): string | null {
  if (!lan.enabled) return 'LAN discovery is off'
  if (lan.lastError !== null) return 'LAN discovery is failing'
  return null
}

const trackerErrors = (trackers: readonly TrackerStatus[]): string[] =>
  [...new Set(trackers.filter(t => t.lastError !== null).map(t => `${t.url} — ${t.lastError ?? ''}`))]

function discoveryHints (status: NetworkStatus, channels: readonly ChannelNetwork[]): NetworkHint[] {
  const trackers = channels.flatMap(c => c.trackers)
  const hints: NetworkHint[] = []
  const dht = dhtState(status.dht, proxyInUse(status.proxy))
  const lan = lanState(status.lan)
  if (!trackers.some(t => t.lastAnnounceAt !== null) && dht !== null && lan !== null) {
    const noTracker = trackers.length === 0 ? 'there are no trackers' : 'no tracker has answered'
    hints.push({
      id: 'no-discovery',
      tone: 'error',
      text: `No discovery is working: ${noTracker}, ${dht} and ${lan}. Nobody can find you, and you cannot find anyone.`
    })
  }
  // LAN discovery still works here (else the hint above said it all), but it finds only neighbours.
  // A tracker not asked yet, or a DHT still without an error, may yet answer: no alarm at start-up.
  const trackersSilent = trackers.every(t => t.lastAnnounceAt === null && t.lastError !== null)
  const dhtSilent = !status.dht.enabled || (status.dht.nodes === 0 && status.dht.lastError !== null)
  if (hints.length === 0 && trackersSilent && dhtSilent) {
    hints.push({
      id: 'no-peer-finders',
      tone: 'error',
      text: 'Not connected to the internet’s peer finders: no tracker answers and the DHT knows no node. Only peers on your local network can be found.',
      details: [
        ...(trackers.length === 0 ? ['trackers: none'] : trackerErrors(trackers)),
        status.dht.enabled ? `DHT: 0 nodes, ${status.dht.lastError ?? ''}` : 'DHT: off'
      ]
    })
  }
  // Its details already name every tracker's error and the DHT's.
  if (hints.some(h => h.id === 'no-peer-finders')) return hints
  const failing = trackers.filter(t => t.lastError !== null)
  if (failing.length > 0 && failing.length === trackers.length) {
    hints.push({
      id: 'trackers-failing',
      tone: 'error',
      text: trackers.length === 1 ? 'The only tracker is failing.' : `All ${trackers.length} trackers are failing.`,
      details: trackerErrors(failing)
    })
  } else if (failing.length > 0) {
    hints.push({
      id: 'trackers-some-failing',
      tone: 'warning',
      text: `${failing.length} of ${trackers.length} trackers ${failing.length === 1 ? 'is' : 'are'} failing; the others still answer.`
    })
  }
  if (status.dht.enabled && status.dht.lastError !== null) {
    hints.push({ id: 'dht-error', tone: 'warning', text: `The DHT reports an error: ${status.dht.lastError}` })
  }
  if (status.lan.enabled && status.lan.lastError !== null) {
    hints.push({ id: 'lan-error', tone: 'warning', text: `LAN discovery reports an error: ${status.lan.lastError}` })
  }
  return hints
}

/**
 * The person of a private conversation, by channel (as the window names them); undefined for a group
 * channel. The network's own view names a private conversation "Private chat", which nobody calls it.
 */
export type PersonOf = (channelId: Hex) => string | undefined

const NO_PEOPLE: PersonOf = () => undefined

function channelHints (status: NetworkStatus, channel: ChannelNetwork, personOf: PersonOf): NetworkHint[] {
  const addresses = others(channel.addresses)
  const person = personOf(channel.channelId)
  if (addresses.length > 0 && addresses.every(a => a.status === 'backoff')) {
    const count = `${plural(addresses.length, 'address was', 'addresses were')} found`
    const why = status.reachable
      ? 'Those peers may be offline, or behind a NAT or firewall.'
      : 'Those peers may be offline, or behind a NAT or firewall; if you are too, neither side can dial the other.'
    const where = person === undefined ? `#${channel.name}` : `your conversation with ${person}`
    return [{ id: `unreachable-${channel.channelId}`, tone: 'warning', text: `Peers found but unreachable in ${where}: ${count}, none answers. ${why}` }]
  }
  if (addresses.length === 0 && channel.trackers.some(t => t.lastAnnounceAt !== null)) {
    if (person !== undefined) {
      return [{
        id: `alone-${channel.channelId}`,
        tone: 'info',
        text: `${person} is not online: the trackers answer, but nobody else announces your conversation yet. It connects when ${person} has BitChat running.`
      }]
    }
    return [{
      id: `alone-${channel.channelId}`,
      tone: 'info',
      text: `Nobody else is announcing #${channel.name} yet: the trackers answer, but no other member is online. Invite someone, or check that they have BitChat running.`
    }]
  }
  return []
}

/** What the window knows beyond the network status: who a private conversation is with, and whose keys are contacts. */
export interface HintContext {
  personOf?: PersonOf
  contacts?: ReadonlySet<Hex>
}

const NO_CONTACTS: ReadonlySet<Hex> = new Set()
const SEVERITY: Record<NetworkHint['tone'], number> = { error: 0, warning: 1, info: 2 }

export function networkHints (status: NetworkStatus, channels: readonly ChannelNetwork[] = status.channels, { personOf = NO_PEOPLE, contacts = NO_CONTACTS }: HintContext = {}): NetworkHint[] {
  if (channels.length === 0) return []
  const hints = [
    ...discoveryHints(status, channels),
    ...reachabilityHints(status, channels, contacts),
    ...channels.flatMap(c => channelHints(status, c, personOf))
  ]
  hints.sort((a, b) => SEVERITY[a.tone] - SEVERITY[b.tone])
  if (hints.length === 0 && !channels.some(c => c.addresses.some(a => a.status === 'connected'))) {
    hints.push({ id: 'searching', tone: 'info', text: 'Discovery is running and nothing looks wrong: peers appear here as they are found and dialled.' })
  }
  return hints
}
