// The node's settings (settings.get / settings.set) and how it stands on the network
// (network.status): the stored choices, read and written in one place, and the parts told that
// follow them (announcers, relaying, the proxy and port mapping).
import type { NetworkStatus, ParamsOf, Settings } from '../api/contract.ts'
import { DEFAULT_PEER_ID_PREFIX, DEFAULT_USER_AGENT } from '../discovery/tracker.ts'
import type { ConnectionPool } from '../peers/connection-pool.ts'
import { RELAY_LIMITS } from '../relay/relay-limits.ts'
import type { Store } from '../store/store.ts'
import type { ChannelRoom } from './channel-room.ts'
import type { DiscoveryHub } from './discovery-hub.ts'
import type { UdpPort } from './udp-port.ts'
import { formatHostPort } from '../wire/address.ts'
import type { OutsidePaths } from './outside-paths.ts'
import type { Relaying } from './relaying.ts'
import type { TrackerWay } from './room-announcing.ts'

/** What `settings.get` shows of the relay limits (the answer time is the relay's business). */
const { answerMs: _answerMs, ...RELAY_LIMITS_SHOWN } = RELAY_LIMITS

export interface NodeSettingsContext {
  store: Store
  /** The data folder, as the user sees it (absolute). */
  dataDir: string
  outside: OutsidePaths
  listenPort: () => number
  /** Moves the listen port (PORT_IN_USE when it cannot be had). */
  moveTo: (port: number) => Promise<void>
  rooms: () => Iterable<ChannelRoom>
  relaying: () => Relaying | null
  discovery: () => DiscoveryHub | null
  pool: () => ConnectionPool | null
  /** Our address as each connected peer says it sees it. */
  observed: () => Iterable<string>
  /** Someone dialled us and completed a handshake. */
  reachable: () => boolean
  /** The proxy was set, changed or cleared. */
  proxyChanged: () => void
  /** The node's UDP socket, once online. */
  udp: () => UdpPort | null
  /** 'Hide my IP address' was turned on or off. */
  relayOnlyChanged: () => void
}

export class NodeSettings {
  readonly #ctx: NodeSettingsContext

  constructor (ctx: NodeSettingsContext) {
    this.#ctx = ctx
  }

  /** How we pose to trackers and reach them. */
  trackerWay (): TrackerWay {
    const { store, outside } = this.#ctx
    return {
      userAgent: store.getSetting('trackerUserAgent') ?? DEFAULT_USER_AGENT,
      peerIdPrefix: store.getSetting('trackerPeerIdPrefix') ?? DEFAULT_PEER_ID_PREFIX,
      proxy: outside.proxy.current
    }
  }

  get relayForOthers (): boolean { return this.#ctx.store.getSetting('relayForOthers') !== 'false' }
  get readReceipts (): boolean { return this.#ctx.store.getSetting('readReceipts') !== 'false' }

  get (): Settings {
    const { store, outside } = this.#ctx
    const listenPort = this.#ctx.listenPort()
    const way = this.trackerWay()
    const chosen = Number(store.getSetting('listenPort') ?? '0')
    return {
      listenPort: listenPort || chosen,
      trackerUserAgent: way.userAgent,
      trackerPeerIdPrefix: way.peerIdPrefix,
      readReceipts: this.readReceipts,
      proxy: outside.proxy.url,
      portMapping: outside.portMapping,
      relayForOthers: this.relayForOthers,
      relayOnly: outside.relayOnly,
      relayLimits: RELAY_LIMITS_SHOWN,
      dataDir: this.#ctx.dataDir,
      ...(listenPort !== 0 && chosen !== 0 && chosen !== listenPort ? { unavailablePort: chosen } : {})
    }
  }

  async set ({ listenPort, trackerUserAgent, trackerPeerIdPrefix, readReceipts, proxy, portMapping, relayForOthers, relayOnly }: ParamsOf<'settings.set'>): Promise<Settings> {
    const { store, outside } = this.#ctx
    // The port first: a port that cannot be had refuses the whole change.
    if (listenPort !== undefined && listenPort !== this.#ctx.listenPort()) await this.#ctx.moveTo(listenPort)
    if (readReceipts !== undefined) store.setSetting('readReceipts', String(readReceipts))
    if (relayForOthers !== undefined) {
      store.setSetting('relayForOthers', String(relayForOthers))
      if (!relayForOthers) this.#ctx.relaying()?.service.stopAll()
    }
    if (trackerUserAgent !== undefined) store.setSetting('trackerUserAgent', trackerUserAgent)
    if (trackerPeerIdPrefix !== undefined) store.setSetting('trackerPeerIdPrefix', trackerPeerIdPrefix)
    const proxyChanged = proxy !== undefined && await outside.setProxy(proxy)
    if (proxyChanged) this.#ctx.proxyChanged()
    const relayOnlyChanged = relayOnly !== undefined && await outside.setRelayOnly(relayOnly)
    if (relayOnlyChanged) this.#ctx.relayOnlyChanged()
    if (portMapping !== undefined) outside.setPortMapping(portMapping)
    if (listenPort !== undefined || trackerUserAgent !== undefined || trackerPeerIdPrefix !== undefined || proxyChanged || relayOnlyChanged) {
      // A tracker told `stopped` straight would learn where we are just as a proxy is set to hide it.
      // Hiding our address from members, `stopped` is what takes it off the trackers' lists: they know it already.
      for (const room of this.#ctx.rooms()) room.refreshAnnouncers(true, { quietly: proxyChanged })
    }
    return this.get()
  }

  networkStatus (): NetworkStatus {
    const seen = new Map<string, number>()
    for (const address of this.#ctx.observed()) seen.set(address, (seen.get(address) ?? 0) + 1)
    const pool = this.#ctx.pool()
    const udp = this.#ctx.udp()
    return {
      listenPort: this.#ctx.listenPort(),
      observedAddresses: [...seen].sort((a, b) => b[1] - a[1]).map(([address]) => address),
      reachable: this.#ctx.reachable(),
      connections: pool?.connections.length ?? 0,
      duplicates: pool?.duplicates ?? 0,
      proxy: this.#ctx.outside.proxy.shown,
      relayOnly: this.#ctx.outside.relayOnly,
      portMapping: this.#ctx.outside.status(),
      relay: this.#ctx.relaying()?.status() ?? { enabled: this.relayForOthers, circuits: 0, bytesRelayed: 0 },
      nat: udp?.nat ?? 'unknown',
      publicAddresses: (udp?.publicAddresses ?? []).map(a => formatHostPort(a.host, a.port)),
      udp: udp?.status() ?? { enabled: false, port: 0, reason: 'not online yet' },
      ...(this.#ctx.discovery()?.status() ?? { dht: { enabled: false, nodes: 0, bootstrapped: false, lastError: null }, lan: { enabled: false, lastError: null } }),
      channels: [...this.#ctx.rooms()].map(r => r.network())
    }
  }
}
