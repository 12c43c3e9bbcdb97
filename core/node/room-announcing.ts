// How one channel is found: its infohashes of today (and of the neighbouring day near midnight)
// announced to its trackers and watched on the node's DHT and LAN, those of past days retired, checked
// again every few minutes and whenever the listen port, the tracker disguise or the channel's epoch
// changes (the infohashes of each key it still accepts, PROTOCOL §4.10).
import type { TrackerStatus } from '../api/contract.ts'
import type { PeerSource } from '../api/contract.ts'
import { infohashesToAnnounce } from '../channel/keys.ts'
import { toHex } from '../codec/hex.ts'
import { TrackerAnnouncer } from '../discovery/tracker.ts'
import type { Logger } from '../log.ts'
import { unrefTimer } from '../timers.ts'
import type { ProxyConfig } from '../transport/proxy-url.ts'
import type { DiscoveryHub } from './discovery-hub.ts'

const CHECK_MS = 5 * 60_000

/** How we pose to trackers, and the proxy announces go through (null: straight). */
export interface TrackerWay {
  userAgent: string
  peerIdPrefix: string
  proxy: ProxyConfig | null
}

export interface RoomAnnouncingOptions {
  /** The keys whose infohashes are announced: the current epoch's, and older ones still accepted. */
  secrets: () => Uint8Array[]
  trackers: string[]
  discovery: DiscoveryHub | null
  disguise: () => TrackerWay
  /** The port to announce; 0 while none is bound. */
  port: () => number
  /** An address found for the channel. */
  found: (host: string, port: number, source: PeerSource) => void
  log: Logger
}

export class RoomAnnouncing {
  readonly #opts: RoomAnnouncingOptions
  readonly #announcers = new Map<string, TrackerAnnouncer>()
  /** DHT and LAN watches of the infohashes announced, by hex infohash. */
  readonly #watching = new Map<string, () => void>()
  #timer: NodeJS.Timeout | null = null
  #stopped = false

  constructor (opts: RoomAnnouncingOptions) {
    this.#opts = opts
  }

  start (): void {
    this.refresh()
    const tick = (): void => {
      this.refresh()
      this.#timer = unrefTimer(tick, CHECK_MS)
    }
    this.#timer = unrefTimer(tick, CHECK_MS)
  }

  /** Announces what is due now; `restart` announces anew to every tracker (a new port, a new disguise). */
  refresh (restart = false, { quietly = false }: { quietly?: boolean } = {}): void {
    if (this.#stopped) return
    const wanted = new Map(this.#opts.secrets().flatMap(secret => infohashesToAnnounce(secret, Date.now())).map(x => [toHex(x.infohash), x.infohash]))
    this.#refreshWatches(wanted)
    const trackers = this.#opts.trackers
    if (trackers.length === 0) return
    for (const [key, announcer] of this.#announcers) {
      if (restart || !wanted.has(key)) {
        this.#announcers.delete(key)
        void announcer.stop({ quietly })
      }
    }
    const disguise = this.#opts.disguise()
    const port = this.#opts.port()
    // Not listening (a rebind that failed): nothing to announce until a port is bound again.
    if (port === 0) return
    for (const [key, infohash] of wanted) {
      if (this.#announcers.has(key)) continue
      const announcer = new TrackerAnnouncer({ infohash, trackers, port, userAgent: disguise.userAgent, peerIdPrefix: disguise.peerIdPrefix, proxy: disguise.proxy })
      announcer.on('peer', (peer) => { this.#opts.found(peer.host, peer.port, 'tracker') })
      announcer.on('warning', (err, tracker) => { this.#opts.log.debug('tracker warning', { tracker, error: err.message }) })
      this.#announcers.set(key, announcer)
      announcer.start()
    }
  }

  trackerStatus (): TrackerStatus[] {
    return [...this.#announcers.values()].flatMap(a => a.status())
  }

  async stop (): Promise<void> {
    this.#stopped = true
    if (this.#timer !== null) clearTimeout(this.#timer)
    const stopping = [...this.#announcers.values()].map(a => a.stop())
    this.#announcers.clear()
    for (const unwatch of this.#watching.values()) unwatch()
    this.#watching.clear()
    await Promise.allSettled(stopping)
  }

  #refreshWatches (wanted: Map<string, Uint8Array>): void {
    const hub = this.#opts.discovery
    if (hub === null) return
    for (const [key, unwatch] of this.#watching) {
      if (!wanted.has(key)) {
        unwatch()
        this.#watching.delete(key)
      }
    }
    for (const [key, infohash] of wanted) {
      if (this.#watching.has(key)) continue
      this.#watching.set(key, hub.watch(infohash, (peer, source) => { this.#opts.found(peer.host, peer.port, source) }))
    }
  }
}
