import { DhtDiscovery, DEFAULT_BOOTSTRAP } from '../discovery/dht.ts'
import type { DatagramSocket } from '../discovery/krpc-socket.ts'
import { LanDiscovery } from '../discovery/lan.ts'
import { toHex } from '../codec/hex.ts'
import type { Store } from '../store/store.ts'
import type { Logger } from '../log.ts'
import type { NodeOptions } from './options.ts'

export type FinderSource = 'dht' | 'lan'
type PeerCallback = (peer: { host: string; port: number }, source: FinderSource) => void
type Observer = (observed: { host: string; port: number }, by: { host: string; port: number }) => void

const SAVE_DHT_NODES_MS = 5 * 60_000

/**
 * The node-wide discovery mechanisms that are not per channel: one DHT node and one LAN announcer
 * serve every joined channel. Rooms subscribe by infohash; peers are routed back to them. The DHT
 * runs on the node's UDP socket (UdpPort), lent to it. While a proxy is set the hub sleeps: no UDP
 * leaves the node (it would show where we are), and rooms keep their subscriptions, which the DHT and
 * LAN take up again when it wakes.
 */
export class DiscoveryHub {
  #lan: LanDiscovery | null = null
  #dht: DhtDiscovery | null = null
  /** The socket the DHT runs on now, lent by the node. */
  #socket: DatagramSocket | null = null
  readonly #udp: () => DatagramSocket | null
  readonly #onObserved: Observer
  readonly #node: NodeOptions
  readonly #subscribers = new Map<string, Set<PeerCallback>>()
  readonly #store: Store
  readonly #log: Logger
  #saveTimer: NodeJS.Timeout | null = null
  #tcpPort: number
  #asleep = true
  /** Port moves, sleeps and wakes happen one at a time, and close() waits for the one under way. */
  #moving: Promise<void> = Promise.resolve()
  #closed = false

  private constructor (parts: HubParts) {
    this.#udp = parts.udp
    this.#onObserved = parts.onObserved
    this.#node = parts.node
    this.#tcpPort = parts.tcpPort
    this.#store = parts.store
    this.#log = parts.log
  }

  /**
   * Starts what the options ask for, unless `asleep`. The DHT runs on the node's UDP socket, bound on
   * the TCP listener's port number, so the port that DHT nodes record (implied_port) is the one peers
   * dial; bootstrapping goes on in the background so a node without internet starts at once.
   */
  static async start (opts: HubParts & { asleep?: boolean }): Promise<DiscoveryHub> {
    const hub = new DiscoveryHub(opts)
    if (opts.asleep !== true) await hub.#wake()
    return hub
  }

  /** Finds peers for `infohash` until the returned function is called. */
  watch (infohash: Uint8Array, callback: PeerCallback): () => void {
    const key = toHex(infohash)
    let set = this.#subscribers.get(key)
    if (set === undefined) {
      set = new Set()
      this.#subscribers.set(key, set)
      this.#dht?.watch(infohash)
      this.#lan?.watch(infohash)
    }
    set.add(callback)
    return () => {
      const current = this.#subscribers.get(key)
      if (current === undefined || !current.delete(callback) || current.size > 0) return
      this.#subscribers.delete(key)
      this.#dht?.unwatch(infohash)
      this.#lan?.unwatch(infohash)
    }
  }

  /**
   * Follows a new TCP listen port. The DHT announces with implied_port, so nodes record the UDP port
   * our announces leave from: it moves to the node's socket on the new port number, keeping what it watches.
   */
  async updatePort (tcpPort: number): Promise<void> {
    this.#tcpPort = tcpPort
    this.#lan?.update({ port: tcpPort })
    await this.#inTurn(async () => { await this.#moveDht() })
  }

  /** Sleeps (no DHT, no LAN, no UDP socket) or wakes; subscriptions carry over. */
  async setAsleep (asleep: boolean): Promise<void> {
    await this.#inTurn(async () => { await (asleep ? this.#sleep() : this.#wake()) })
  }

  status (): { dht: { enabled: boolean; nodes: number; bootstrapped: boolean; lastError: string | null }; lan: { enabled: boolean; lastError: string | null } } {
    const dht = this.#dht?.status()
    const lan = this.#lan?.status()
    return {
      dht: { enabled: dht !== undefined, nodes: dht?.nodes ?? 0, bootstrapped: dht?.bootstrapped ?? false, lastError: dht?.lastError ?? null },
      lan: { enabled: lan?.enabled ?? false, lastError: lan?.lastError ?? null }
    }
  }

  async close (): Promise<void> {
    this.#closed = true
    await this.#moving
    await this.#sleep()
    this.#subscribers.clear()
  }

  async #inTurn (work: () => Promise<void>): Promise<void> {
    const turn = this.#moving.then(work)
    // A move that failed (no UDP port at all) leaves the node without a DHT, not the next move or close() failing.
    this.#moving = turn.catch(() => {})
    await turn
  }

  async #wake (): Promise<void> {
    if (this.#closed || !this.#asleep) return
    this.#asleep = false
    if (this.#node.dht !== false) {
      try {
        this.#useDht(this.#startDht())
        this.#saveTimer = setInterval(() => { this.#saveDhtNodes() }, SAVE_DHT_NODES_MS)
        this.#saveTimer.unref()
      } catch (err) {
        // No UDP socket at all: the node goes on without a DHT (status says it is off) rather than failing.
        this.#log.warn('DHT unavailable', { error: (err as Error).message })
      }
    }
    if (this.#node.lan !== false) {
      const lanOpts = typeof this.#node.lan === 'object' ? this.#node.lan : {}
      // Held before it starts, so a port move meanwhile reaches it.
      const lan = this.#lan = new LanDiscovery({ port: this.#tcpPort, log: this.#log.child({ part: 'lan' }), ...lanOpts })
      this.#route(lan, 'lan')
      try {
        await lan.start()
      } catch (err) {
        this.#log.warn('LAN discovery unavailable', { error: (err as Error).message })
      }
      for (const key of this.#subscribers.keys()) lan.watch(Buffer.from(key, 'hex'))
    }
  }

  async #sleep (): Promise<void> {
    if (this.#asleep) return
    this.#asleep = true
    if (this.#saveTimer !== null) clearInterval(this.#saveTimer)
    this.#saveTimer = null
    this.#saveDhtNodes()
    const [dht, lan] = [this.#dht, this.#lan]
    this.#dht = null
    this.#lan = null
    this.#socket = null
    await Promise.allSettled([dht?.destroy(), lan?.destroy()])
  }

  async #moveDht (): Promise<void> {
    const old = this.#dht
    if (this.#closed || old === null || this.#udp() === this.#socket) return
    this.#saveDhtNodes()
    // Watches that come and go meanwhile only touch #subscribers, which the new DHT starts from.
    this.#dht = null
    this.#socket = null
    await old.destroy()
    this.#useDht(this.#startDht())
  }

  #startDht (): { dht: DhtDiscovery; socket: DatagramSocket } {
    const socket = this.#udp()
    if (socket === null) throw new Error('the node has no UDP socket')
    const node = this.#node
    const dht = new DhtDiscovery({ socket, bootstrap: node.dht === false ? [] : node.dht?.bootstrap ?? DEFAULT_BOOTSTRAP, nodes: this.#store.loadDhtNodes(), log: this.#log.child({ part: 'dht' }), onObserved: this.#onObserved })
    dht.start().catch((err: unknown) => { this.#log.warn('DHT failed to start', { error: (err as Error).message }) })
    return { dht, socket }
  }

  #useDht (started: { dht: DhtDiscovery; socket: DatagramSocket }): void {
    this.#dht = started.dht
    this.#socket = started.socket
    this.#route(started.dht, 'dht')
    for (const key of this.#subscribers.keys()) started.dht.watch(Buffer.from(key, 'hex'))
  }

  #route (finder: DhtDiscovery | LanDiscovery, source: FinderSource): void {
    finder.on('peer', (peer) => {
      for (const callback of this.#subscribers.get(peer.infohash) ?? []) callback(peer, source)
    })
    finder.on('warning', (err) => { this.#log.debug(`${source} warning`, { error: err.message }) })
  }

  /** A restart starts from the routing table it had, instead of from the public routers alone. */
  #saveDhtNodes (): void {
    if (this.#dht === null) return
    const nodes = this.#dht.nodes()
    if (nodes.length > 0) this.#store.saveDhtNodes(nodes)
  }
}

interface HubParts {
  node: NodeOptions
  tcpPort: number
  store: Store
  log: Logger
  /** The node's UDP socket now, lent to the DHT; null while there is none. */
  udp: () => DatagramSocket | null
  /** A DHT node's answer said where it saw us. */
  onObserved: Observer
}
