import dns from 'node:dns/promises'
import { EventEmitter } from 'node:events'
import { isIPv4 } from 'node:net'
import { localAddresses } from './local-addresses.ts'
import DHT, { type DhtAddress, type KrpcInternals } from 'bittorrent-dht'
import type { Logger } from '../log.ts'
import { isPort, isUnicastIPv4 } from '../wire/address.ts'
import { KrpcSocket, type DatagramSocket } from './krpc-socket.ts'
import { errorMessage } from '../error-message.ts'
import { parseBootstrapNode } from './bootstrap-node.ts'
import { jittered, MAX_TIMER_MS, systemClock, type Clock } from '../timers.ts'
import { TokenBucket } from '../limits/token-bucket.ts'
import { DhtLookup, type LookupRpc } from './dht-lookup.ts'
import { DhtNodeHealth } from './node-health.ts'

export const DEFAULT_BOOTSTRAP = ['router.bittorrent.com:6881', 'dht.transmissionbt.com:6881', 'router.utorrent.com:6881', 'dht.libtorrent.org:25401']

const DEFAULT_MAX_PEERS_PER_LOOKUP = 100
const DEFAULT_ANNOUNCE_INTERVAL_MS = 15 * 60_000
// While a watched infohash has turned up nobody, look again sooner, so that a member who comes
// online a moment after us is found within seconds rather than at the next interval (one who
// joins at the same moment is found by the lookup's second look, see DhtLookup).
const EARLY_LOOKUP_DELAYS_MS = [1_000, 3_000, 10_000, 30_000, 60_000]
const JITTER = 0.1
const MAX_SAVED_NODES = 500
/** Routing-table nodes a lookup may start from before the bootstrap walk is over. */
const LOOKUP_START_NODES = 8
/**
 * Lookups walking at once (8 queries waited for each); a node in many channels starts the others as
 * these settle, rather than sending hundreds of queries in one burst.
 */
const MAX_WALKING = 4
const INFOHASH_BYTES = 20
// BEP 5 answers with the 8 closest nodes. bittorrent-dht would send its whole routing table (and
// every peer it holds), making a 100-byte query from a forged address worth kilobytes to its target.
const NODES_PER_REPLY = 8
const VALUES_PER_REPLY = 100

export interface DhtPeer { host: string; port: number; infohash: string /* hex */ }

export interface DhtDiscoveryOptions {
  /** Bound by the caller, who keeps owning it: the DHT only borrows it and leaves other datagrams alone. */
  socket: DatagramSocket
  /** `host:port`; [] for none (private and test networks). */
  bootstrap: string[]
  /** A routing table saved by nodes(), to start from. */
  nodes?: DhtAddress[]
  log: Logger
  maxPeersPerLookup?: number
  announceIntervalMs?: number
  /** Times lookups and their schedule (bittorrent-dht keeps its own timers). */
  clock?: Clock
  /** Where a DHT node's answer says it saw us (BEP 42's `ip`): a sample of how our NAT maps the socket. */
  onObserved?: (observed: { host: string; port: number }, by: { host: string; port: number }) => void
}

export interface DhtStatus { nodes: number; watching: number; bootstrapped: boolean; lastError: string | null }

interface Watch {
  readonly infohash: Buffer
  readonly hex: string
  /** Cancels the next lookup's timer. */
  timer: (() => void) | null
  /** The latest lookup (walking, announcing, or still taking late answers); null before the first. */
  lookup: DhtLookup | null
  /** Addresses reported since the latest lookup began (or skipped as our own). */
  seen: Set<string>
  lookups: number
  /** Someone other than us turned up since watch(). */
  found: boolean
}

/**
 * Mainline DHT (BEP 5) discovery on a UDP socket the node owns: announces each watched infohash
 * (implied_port, so nodes record the port our NAT really mapped) and reports the peers lookups find.
 */
export class DhtDiscovery extends EventEmitter<{ peer: [DhtPeer]; warning: [Error]; ready: [] }> {
  readonly #socket: DatagramSocket
  readonly #routers: DhtAddress[]
  readonly #saved: DhtAddress[]
  readonly #log: Logger
  readonly #maxPeers: number
  readonly #intervalMs: number
  readonly #watches = new Map<string, Watch>()
  /** Watches whose lookup is walking, and those waiting for one of them to settle (first come, first served). */
  readonly #walking = new Set<Watch>()
  readonly #waiting = new Set<Watch>()
  #dht: DHT | null = null
  #rpc: LookupRpc | null = null
  readonly #clock: Clock
  readonly #health: DhtNodeHealth
  #ownHosts = new Set<string>()
  #localPort = 0
  #started = false
  #bootstrapped = false
  /** The routing table holds enough nodes to look up from (or the bootstrap is over). */
  #lookupsOpen = false
  #destroyed = false
  #lastError: string | null = null
  readonly #strayWarnings = new TokenBucket({ ratePerSecond: 1, burst: 10 })
  #endStart: () => void = () => {}
  readonly #onObserved: DhtDiscoveryOptions['onObserved']

  constructor (opts: DhtDiscoveryOptions) {
    super()
    this.#socket = opts.socket
    this.#onObserved = opts.onObserved
    this.#routers = opts.bootstrap.map(parseBootstrapNode)
    this.#saved = usableNodes(opts.nodes ?? [])
    this.#log = opts.log
    this.#maxPeers = opts.maxPeersPerLookup ?? DEFAULT_MAX_PEERS_PER_LOOKUP
    this.#intervalMs = opts.announceIntervalMs ?? DEFAULT_ANNOUNCE_INTERVAL_MS
    this.#clock = opts.clock ?? systemClock
    this.#health = new DhtNodeHealth(this.#clock)
    if (!Number.isSafeInteger(this.#maxPeers) || this.#maxPeers < 1) throw new RangeError(`maxPeersPerLookup must be a positive integer, got ${this.#maxPeers}`)
    if (!Number.isInteger(this.#intervalMs) || this.#intervalMs < 1 || this.#intervalMs > MAX_TIMER_MS) {
      throw new RangeError(`announceIntervalMs must be an integer from 1 to ${MAX_TIMER_MS}, got ${this.#intervalMs}`)
    }
  }

  /** Joins the DHT through the saved nodes and the bootstrap routers; resolves once that walk is over. */
  async start (): Promise<void> {
    if (this.#destroyed) throw new Error('a destroyed DhtDiscovery cannot be started')
    if (this.#started) throw new Error('DhtDiscovery already started')
    this.#started = true
    this.#localPort = this.#socket.address().port // throws unless the socket is bound, as the caller promised
    const routers = await this.#resolve(this.#routers)
    if (this.#destroyed) return
    const socket = new KrpcSocket(this.#socket, (err) => { this.#warn(err) }, this.#onObserved)
    // The saved nodes are queried once, by this bootstrap; later thin lookups fall back on the routers.
    const dht = new DHT({ socket, bootstrap: usableNodes([...this.#saved, ...routers]) })
    const rpc = dht._rpc
    if (!hasExpectedInternals(rpc)) {
      dht.destroy()
      throw new Error('bittorrent-dht internals are not as expected: check core/discovery/dht.ts against the installed version')
    }
    const respond = rpc.response.bind(rpc)
    rpc.response = (node, query, response, nodes, cb) => {
      if (Array.isArray(response.values)) response.values = response.values.slice(0, VALUES_PER_REPLY)
      respond(node, query, response, Array.isArray(nodes) ? nodes.slice(0, NODES_PER_REPLY) : nodes, cb)
    }
    this.#dht = dht
    this.#rpc = lookupRpc(rpc)
    // A member announcing to us is found at once (our own lookups never ask us).
    dht.on('announce', (peer, infohash) => {
      const w = this.#watches.get(infohash.toString('hex'))
      if (w !== undefined) this.#onPeer(w, peer)
    })
    // bittorrent-dht warns of every stray answer it gets, which a flood turns into thousands a second.
    dht.on('warning', (err) => { if (this.#strayWarnings.tryTake()) this.#warn(err) })
    dht.on('error', (err) => { this.#warn(err) })
    // The socket was bound before the DHT saw it; this starts bittorrent-dht's routing-table upkeep.
    socket.emit('listening')
    // Lookups need a few nodes to start from, not the end of the bootstrap walk, which waits out
    // every dead node it met (saved nodes from the last run often are).
    const enoughNodes = (): void => {
      if (dht.nodes.count() < LOOKUP_START_NODES) return
      dht.off('node', enoughNodes)
      this.#openLookups()
    }
    dht.on('node', enoughNodes)
    await new Promise<void>((resolve) => { this.#endStart = resolve; dht.once('ready', resolve) })
    dht.off('node', enoughNodes)
    if (this.#destroyed) return
    rpc.bootstrap = routers
    this.#bootstrapped = true
    const nodes = dht.nodes.count()
    if (nodes === 0 && (this.#routers.length > 0 || this.#saved.length > 0)) this.#fail('no DHT node answered the bootstrap')
    this.#log.info('DHT bootstrapped', { nodes, routers: routers.length, saved: this.#saved.length })
    this.emit('ready')
    this.#openLookups()
  }

  /** Announces and looks up `infohash` now (or once the routing table has nodes) and then periodically, until unwatch(). */
  watch (infohash: Uint8Array): void {
    if (this.#destroyed) throw new Error('DhtDiscovery is destroyed')
    if (infohash.length !== INFOHASH_BYTES) throw new RangeError(`infohash must be ${INFOHASH_BYTES} bytes, got ${infohash.length}`)
    const hex = Buffer.from(infohash).toString('hex')
    if (this.#watches.has(hex)) return
    const w: Watch = { infohash: Buffer.from(infohash), hex, timer: null, lookup: null, seen: new Set(), lookups: 0, found: false }
    this.#watches.set(hex, w)
    this.#lookup(w)
  }

  unwatch (infohash: Uint8Array): void {
    const hex = Buffer.from(infohash).toString('hex')
    const w = this.#watches.get(hex)
    if (w === undefined) return
    this.#watches.delete(hex)
    stop(w)
    this.#walking.delete(w)
    this.#waiting.delete(w)
    this.#startWaiting()
  }

  /** The routing table's nodes, most recently heard from first (the saved ones before start()). */
  nodes (): DhtAddress[] {
    if (this.#dht === null) return this.#saved.map(({ host, port }) => ({ host, port }))
    const contacts = this.#dht.nodes.toArray().sort((a, b) => (b.seen ?? 0) - (a.seen ?? 0))
    return usableNodes(contacts)
  }

  status (): DhtStatus {
    return { nodes: this.#dht?.nodes.count() ?? 0, watching: this.#watches.size, bootstrapped: this.#bootstrapped, lastError: this.#lastError }
  }

  /** Stops every lookup, timer and the DHT; the socket stays open for its owner. */
  async destroy (): Promise<void> {
    if (this.#destroyed) return
    this.#destroyed = true
    for (const w of this.#watches.values()) stop(w)
    this.#watches.clear()
    this.#walking.clear()
    this.#waiting.clear()
    this.#endStart()
    const dht = this.#dht
    if (dht !== null) await new Promise<void>((resolve) => { dht.destroy(resolve) })
  }

  /**
   * Looks up and announces `w` (DhtLookup), and schedules the next lookup as soon as this one has
   * settled: nodes that do not answer are never waited out.
   */
  #lookup (w: Watch): void {
    const dht = this.#dht
    const rpc = this.#rpc
    if (dht === null || rpc === null || !this.#lookupsOpen || this.#watches.get(w.hex) !== w || w.lookup?.settled === false) return
    w.timer = null
    if (this.#walking.size >= MAX_WALKING) {
      this.#waiting.add(w)
      return
    }
    this.#walking.add(w)
    w.lookup?.stop()
    w.seen = new Set()
    this.#ownHosts = localAddresses()
    if (dht.nodes.count() === 0) void this.#rejoin(dht)
    const lookup = new DhtLookup({ rpc, infohash: w.infohash, port: this.#localPort, health: this.#health, clock: this.#clock, lookAgain: () => !w.found })
    w.lookup = lookup
    let answered = 0
    lookup.on('peer', (peer) => { this.#onPeer(w, peer) })
    lookup.once('settled', (count) => {
      answered = count
      w.lookups++
      if (count === 0) this.#fail('lookup failed: no DHT node answered')
      this.#schedule(w)
      this.#walking.delete(w)
      this.#startWaiting()
    })
    lookup.once('announced', (taken) => {
      if (taken > 0) this.#lastError = null
      else if (answered > 0) this.#fail('announce failed: no DHT node took it')
    })
    lookup.start()
  }

  #startWaiting (): void {
    for (const w of this.#waiting) {
      if (this.#walking.size >= MAX_WALKING) return
      this.#waiting.delete(w)
      this.#lookup(w)
    }
  }

  /** Starts the first lookup of every watch that has none yet. */
  #openLookups (): void {
    if (this.#destroyed) return
    this.#lookupsOpen = true
    for (const w of this.#watches.values()) if (w.lookup === null) this.#lookup(w)
  }

  #schedule (w: Watch): void {
    const early = w.found ? undefined : EARLY_LOOKUP_DELAYS_MS[w.lookups - 1]
    const delay = Math.min(early ?? this.#intervalMs, this.#intervalMs)
    w.timer = this.#clock.after(jittered(delay, JITTER), () => { this.#lookup(w) })
  }

  #onPeer (w: Watch, peer: DhtAddress): void {
    if (this.#watches.get(w.hex) !== w || w.seen.size >= this.#maxPeers) return
    const { host, port } = peer
    if (!isUnicastIPv4(host) || !isPort(port)) return
    const address = `${host}:${port}`
    if (w.seen.has(address)) return
    w.seen.add(address)
    // Our own announce comes back from the DHT; when we can tell it is us, it is no peer.
    if (port === this.#localPort && this.#ownHosts.has(host)) return
    w.found = true
    this.emit('peer', { host, port, infohash: w.hex })
  }

  /** With an empty routing table (offline at start, say) the routers are resolved again, for the next lookup to start from. */
  async #rejoin (dht: DHT): Promise<void> {
    const routers = await this.#resolve(this.#routers)
    if (routers.length > 0 && !this.#destroyed) dht._rpc.bootstrap = routers
  }

  /** Router host names resolved to IPv4 (the DHT is IPv4 only); one that does not resolve is skipped. */
  async #resolve (routers: DhtAddress[]): Promise<DhtAddress[]> {
    const resolved = await Promise.all(routers.map(async ({ host, port }) => {
      if (isIPv4(host)) return { host, port }
      try {
        return { host: (await dns.lookup(host, { family: 4 })).address, port }
      } catch (err) {
        this.#warn(new Error(`DHT bootstrap node ${host} did not resolve: ${errorMessage(err)}`))
        return null
      }
    }))
    return resolved.filter((r) => r !== null)
  }

  #fail (message: string): void {
    this.#lastError = message
    this.#warn(new Error(message))
  }

  #warn (err: Error): void {
    if (this.#destroyed) return
    this.#log.debug('DHT warning', { error: err.message })
    this.emit('warning', err)
  }
}

/** A peer can only be an IPv4 unicast address: not 0.0.0.0/8 (which reaches this host), multicast or reserved. */
/** Distinct IPv4 unicast nodes with a valid port, at most MAX_SAVED_NODES, as plain {host, port}. */
function usableNodes (nodes: readonly DhtAddress[]): DhtAddress[] {
  const out = new Map<string, DhtAddress>()
  for (const { host, port } of nodes) {
    if (out.size === MAX_SAVED_NODES) break
    if (isUnicastIPv4(host) && isPort(port)) out.set(`${host}:${port}`, { host, port })
  }
  return [...out.values()]
}

function stop (w: Watch): void {
  w.timer?.()
  w.timer = null
  w.lookup?.stop()
}

function hasExpectedInternals (rpc: KrpcInternals): boolean {
  return Array.isArray(rpc.bootstrap) && typeof rpc.response === 'function' && Buffer.isBuffer(rpc.id) &&
    typeof rpc.nodes?.closest === 'function' && typeof rpc.nodes.remove === 'function' &&
    typeof rpc.socket?.query === 'function' && typeof rpc.socket.cancel === 'function'
}

/** Lookups run on bittorrent-dht's k-rpc directly: its routing table, routers and socket. */
function lookupRpc (rpc: KrpcInternals): LookupRpc {
  return {
    id: rpc.id,
    closest: (target, n) => rpc.nodes.closest(target, n),
    routers: () => rpc.bootstrap,
    query: (node, message, cb) => {
      const tid = rpc.socket.query(node, message, cb)
      return () => { if (tid !== undefined) rpc.socket.cancel(tid, timedOut()) }
    },
    forget: (id) => { rpc.nodes.remove(id) }
  }
}

function timedOut (): Error {
  return Object.assign(new Error('Query timed out'), { code: 'ETIMEDOUT' })
}
