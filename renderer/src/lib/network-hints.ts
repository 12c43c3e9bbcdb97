// "Why does nothing connect?" answered from a network status: the few situations that explain
// an empty members list, in plain words, most severe first.
import type { ChannelNetwork, Hex, KnownAddress, NetworkStatus } from '../../../core/api/contract.ts'
import { plural } from './plural.ts'
import { proxyInUse } from './proxy-form.ts'

export interface NetworkHint {
  /** Stable across refreshes, for React keys and tests. */
  id: string
  tone: 'error' | 'warning' | 'info'
  text: string
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
  const failing = trackers.filter(t => t.lastError !== null)
  if (failing.length > 0 && failing.length === trackers.length) {
    hints.push({
      id: 'trackers-failing',
      tone: 'error',
      text: trackers.length === 1 ? 'The only tracker is failing:' : `All ${trackers.length} trackers are failing:`,
      details: [...new Set(failing.map(t => `${t.url} — ${t.lastError ?? ''}`))]
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

export function networkHints (status: NetworkStatus, channels: readonly ChannelNetwork[] = status.channels, personOf: PersonOf = NO_PEOPLE): NetworkHint[] {
  if (channels.length === 0) return []
  const hints = [...discoveryHints(status, channels), ...channels.flatMap(c => channelHints(status, c, personOf))]
  if (hints.length === 0 && !channels.some(c => c.addresses.some(a => a.status === 'connected'))) {
    hints.push({ id: 'searching', tone: 'info', text: 'Discovery is running and nothing looks wrong: peers appear here as they are found and dialled.' })
  }
  return hints
}
