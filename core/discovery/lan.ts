import { randomBytes } from 'node:crypto'
import dgram from 'node:dgram'
import { EventEmitter } from 'node:events'
import { isIPv4 } from 'node:net'
import type { Logger } from '../log.ts'
import { formatHostPort, isIpLiteral, isPort } from '../wire/address.ts'
import { bindMulticastSocket, isMulticast, isPeerAddress, multicastInterfaces, type Family } from './multicast.ts'
import { errorMessage } from '../error-message.ts'
import { jittered, MAX_TIMER_MS } from '../timers.ts'
import { SourceRateLimiter } from '../limits/source-rate-limiter.ts'
import { sourceOf } from '../limits/source.ts'
import { encodeLsdAnnounce, LSD_IPV4_GROUP, LSD_IPV6_GROUP, LSD_PORT, parseLsdAnnounce } from './lan-message.ts'

// BEP 14 asks for at most one announce per infohash a minute; the answer-back below makes a long interval cheap.
const DEFAULT_INTERVAL_MS = 5 * 60_000
// Multicast is unacknowledged: each announce is sent twice, this far apart.
const FOLLOW_UP_DELAY_MS = 2_000
// An announce for a watched infohash is answered unless we announced it this recently, which also
// keeps answers from answering each other.
const ANSWER_QUIET_MS = 2_000
// Interfaces come and go (a laptop joins Wi-Fi): memberships are brought up to date this often.
const INTERFACE_CHECK_MS = 30_000
// A peer announcing again within this window (its follow-up, its answers) is not reported again, and
// at most this many peers are reported per infohash per window, however many addresses a LAN host forges.
const PEER_WINDOW_MS = 30_000
const MAX_PEERS_PER_WINDOW = 100
// A host runs one BitChat (a few, at most): more ports than this from one address in a window are a
// flood of addresses that would only hold our dial slots, so they are not reported.
const MAX_PORTS_PER_HOST = 4
// Datagrams handled per source and in all: a node announces each infohash twice and then every few
// minutes, so these only bite on floods, whose excess is dropped before it is parsed.
const DATAGRAM_RATE = { perSource: { ratePerSecond: 10, burst: 20 }, total: { ratePerSecond: 200, burst: 400 }, maxSources: 1_024 }
const JITTER = 0.1
const INFOHASH_BYTES = 20

export interface LanPeer { host: string; port: number; infohash: string /* hex */ }

export interface LanDiscoveryOptions {
  /** Our TCP listen port, which the announces carry. */
  port: number
  log: Logger
  /** Between regular announces of each watched infohash; 5 minutes by default. */
  intervalMs?: number
  /** 6771 by default. */
  multicastPort?: number
  /** An IPv4 group replaces 239.192.152.143, an IPv6 one ff15::efc0:988f. */
  multicastAddress?: string
  /** Use only the interface holding this address (and only its address family) instead of every interface. */
  interfaceAddress?: string
}

export interface LanStatus { enabled: boolean; watching: number; lastError: string | null }


interface Watch {
  readonly hex: string
  timer: NodeJS.Timeout | null
  /** The second copy of the last announce is still to be sent. */
  followUp: boolean
  lastSentAt: number
  /** Peers reported within the window, oldest first, by `host:port`. */
  recent: Map<string, { host: string; at: number }>
  /** How many of `recent` each host has. */
  recentPerHost: Map<string, number>
}

interface Endpoint {
  readonly family: Family
  readonly socket: dgram.Socket
  readonly group: string
  /** Interfaces whose group membership we hold: an IPv4 address, or `::%name` for IPv6. */
  readonly joined: Set<string>
  /** Each send first picks its interface with setMulticastInterface, so sends must not overlap. */
  sending: Promise<void>
}

/**
 * BitTorrent Local Service Discovery (BEP 14): announces each watched infohash by UDP multicast
 * on every local interface and reports the peers that announce the same, with no tracker and no
 * internet. The caller watches only the rotating daily infohash, which LAN observers see as
 * trackers do; nothing else about a channel is sent.
 */
export class LanDiscovery extends EventEmitter<{ peer: [LanPeer]; warning: [Error] }> {
  readonly #log: Logger
  readonly #intervalMs: number
  readonly #multicastPort: number
  readonly #groups: Record<Family, string>
  readonly #pinned: string | null
  readonly #cookie = randomBytes(8).toString('hex')
  readonly #watches = new Map<string, Watch>()
  readonly #endpoints: Endpoint[] = []
  readonly #datagrams = new SourceRateLimiter(DATAGRAM_RATE)
  #port: number
  #starting: Promise<void> | null = null
  #ready = false
  #destroyed = false
  #interfaceTimer: NodeJS.Timeout | null = null
  #lastError: string | null = null

  constructor (opts: LanDiscoveryOptions) {
    super()
    if (!isPort(opts.port)) throw new RangeError(`port must be 1..65535, got ${opts.port}`)
    this.#port = opts.port
    this.#log = opts.log
    this.#intervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS
    if (!Number.isInteger(this.#intervalMs) || this.#intervalMs < 1 || this.#intervalMs > MAX_TIMER_MS) {
      throw new RangeError(`intervalMs must be an integer from 1 to ${MAX_TIMER_MS}, got ${this.#intervalMs}`)
    }
    this.#multicastPort = opts.multicastPort ?? LSD_PORT
    if (!isPort(this.#multicastPort)) throw new RangeError(`multicastPort must be 1..65535, got ${this.#multicastPort}`)
    this.#groups = { 4: LSD_IPV4_GROUP, 6: LSD_IPV6_GROUP }
    const group = opts.multicastAddress
    if (group !== undefined) {
      if (!isMulticast(group)) throw new RangeError(`multicastAddress must be an IPv4 or IPv6 multicast address, got ${JSON.stringify(group)}`)
      this.#groups[isIPv4(group) ? 4 : 6] = group
    }
    this.#pinned = opts.interfaceAddress ?? null
    if (this.#pinned !== null && !isIpLiteral(this.#pinned)) throw new RangeError(`interfaceAddress must be an IP address, got ${JSON.stringify(this.#pinned)}`)
  }

  /** Listens for announces and sends those of the infohashes watched so far. Socket failures only show in status() and warnings. */
  async start (): Promise<void> {
    if (this.#destroyed) throw new Error('a destroyed LanDiscovery cannot be started')
    if (this.#starting !== null) throw new Error('LanDiscovery already started')
    this.#starting = this.#start()
    await this.#starting
  }

  /** Announces `infohash` now, again 2 s later, then every interval until unwatch(); answers others' announces of it. */
  watch (infohash: Uint8Array): void {
    if (this.#destroyed) throw new Error('LanDiscovery is destroyed')
    if (infohash.length !== INFOHASH_BYTES) throw new RangeError(`infohash must be ${INFOHASH_BYTES} bytes, got ${infohash.length}`)
    const hex = Buffer.from(infohash).toString('hex')
    if (this.#watches.has(hex)) return
    const w: Watch = { hex, timer: null, followUp: false, lastSentAt: -Infinity, recent: new Map(), recentPerHost: new Map() }
    this.#watches.set(hex, w)
    if (this.#ready) this.#kick(w)
  }

  unwatch (infohash: Uint8Array): void {
    const hex = Buffer.from(infohash).toString('hex')
    const w = this.#watches.get(hex)
    if (w === undefined) return
    this.#watches.delete(hex)
    if (w.timer !== null) clearTimeout(w.timer)
    w.timer = null
  }

  /** Announces the new port at once for every watched infohash. */
  update ({ port }: { port: number }): void {
    if (!isPort(port)) throw new RangeError(`port must be 1..65535, got ${port}`)
    if (port === this.#port) return
    this.#port = port
    if (this.#ready) for (const w of this.#watches.values()) this.#kick(w)
  }

  status (): LanStatus {
    const enabled = this.#ready && !this.#destroyed && this.#endpoints.some(ep => ep.joined.size > 0)
    return { enabled, watching: this.#watches.size, lastError: this.#lastError }
  }

  /** Stops every timer and closes the sockets. */
  async destroy (): Promise<void> {
    if (this.#destroyed) return
    this.#destroyed = true
    for (const w of this.#watches.values()) if (w.timer !== null) clearTimeout(w.timer)
    this.#watches.clear()
    if (this.#interfaceTimer !== null) clearInterval(this.#interfaceTimer)
    this.#interfaceTimer = null
    await this.#starting
    await Promise.all(this.#endpoints.map(ep => new Promise<void>(resolve => { ep.socket.close(resolve) })))
    this.#endpoints.length = 0
  }

  async #start (): Promise<void> {
    // IPv4 is the one BEP 14 clients all speak; IPv6 joins in where the host has it.
    const families: Family[] = this.#pinned === null ? [4, 6] : [isIPv4(this.#pinned) ? 4 : 6]
    for (const family of families) {
      let socket: dgram.Socket
      try {
        socket = await bindMulticastSocket(family, this.#multicastPort)
      } catch (err) {
        this.#familyUnavailable(family, `cannot listen for LAN announces over IPv${family}: ${errorMessage(err)}`)
        continue
      }
      if (this.#destroyed) {
        socket.close()
        continue
      }
      const ep: Endpoint = { family, socket, group: this.#groups[family], joined: new Set(), sending: Promise.resolve() }
      socket.on('message', (msg, rinfo) => { this.#onDatagram(msg, rinfo.address) })
      socket.on('error', (err) => { this.#fail(`LAN discovery socket: ${err.message}`) })
      this.#endpoints.push(ep)
      this.#syncInterfaces(ep)
    }
    if (this.#destroyed) return
    this.#ready = true
    this.#log.info('LAN discovery started', { port: this.#multicastPort, interfaces: this.#endpoints.flatMap(ep => [...ep.joined]) })
    this.#interfaceTimer = setInterval(() => { this.#checkInterfaces() }, INTERFACE_CHECK_MS)
    this.#interfaceTimer.unref()
    for (const w of this.#watches.values()) this.#kick(w)
  }

  /** Announces now and restarts the schedule: the follow-up, then the regular interval. */
  #kick (w: Watch): void {
    if (w.timer !== null) clearTimeout(w.timer)
    this.#announce(w)
    w.followUp = true
    this.#schedule(w)
  }

  #schedule (w: Watch): void {
    const delay = w.followUp ? FOLLOW_UP_DELAY_MS : jittered(this.#intervalMs, JITTER)
    w.followUp = false
    w.timer = setTimeout(() => {
      w.timer = null
      if (this.#watches.get(w.hex) !== w) return
      this.#announce(w)
      this.#schedule(w)
    }, delay)
    w.timer.unref()
  }

  #announce (w: Watch): void {
    w.lastSentAt = Date.now()
    for (const ep of this.#endpoints) {
      const datagram = encodeLsdAnnounce(formatHostPort(ep.group, this.#multicastPort), { port: this.#port, infohashes: [w.hex], cookie: this.#cookie })
      for (const iface of ep.joined) ep.sending = ep.sending.then(() => this.#sendVia(ep, iface, datagram))
    }
  }

  #sendVia (ep: Endpoint, iface: string, datagram: Buffer): Promise<void> {
    return new Promise(resolve => {
      if (this.#destroyed || !ep.joined.has(iface)) {
        resolve()
        return
      }
      try {
        ep.socket.setMulticastInterface(iface)
        ep.socket.send(datagram, this.#multicastPort, ep.group, (err) => {
          if (err === null) this.#lastError = null
          else this.#fail(`LAN announce via ${iface} failed: ${err.message}`)
          resolve()
        })
      } catch (err) {
        this.#fail(`LAN announce via ${iface} failed: ${errorMessage(err)}`)
        resolve()
      }
    })
  }

  #onDatagram (msg: Buffer, from: string): void {
    if (this.#destroyed || !this.#datagrams.allow(sourceOf(from))) return
    let announce
    try {
      announce = parseLsdAnnounce(msg)
    } catch (err) {
      this.#log.debug('ignored a malformed LAN announce', { from, bytes: msg.length, error: errorMessage(err) })
      return
    }
    if (announce.cookie === this.#cookie) return
    if (!isPeerAddress(from)) {
      this.#log.debug('ignored a LAN announce from an address no one can dial', { from })
      return
    }
    for (const hex of announce.infohashes) {
      const w = this.#watches.get(hex)
      if (w === undefined) continue
      // The newcomer learns about us now rather than at our next regular announce.
      if (Date.now() - w.lastSentAt >= ANSWER_QUIET_MS) this.#announce(w)
      this.#report(w, from, announce.port)
    }
  }

  #report (w: Watch, host: string, port: number): void {
    const now = Date.now()
    for (const [key, seen] of w.recent) {
      if (now - seen.at < PEER_WINDOW_MS) break
      w.recent.delete(key)
      const left = (w.recentPerHost.get(seen.host) ?? 1) - 1
      if (left > 0) w.recentPerHost.set(seen.host, left)
      else w.recentPerHost.delete(seen.host)
    }
    const key = formatHostPort(host, port)
    if (w.recent.has(key)) return
    const fromHost = w.recentPerHost.get(host) ?? 0
    if (w.recent.size >= MAX_PEERS_PER_WINDOW || fromHost >= MAX_PORTS_PER_HOST) {
      this.#log.debug('too many LAN peers at once; ignored one', { peer: key, infohash: w.hex })
      return
    }
    w.recent.set(key, { host, at: now })
    w.recentPerHost.set(host, fromHost + 1)
    this.emit('peer', { host, port, infohash: w.hex })
  }

  #checkInterfaces (): void {
    let joinedNew = false
    for (const ep of this.#endpoints) joinedNew = this.#syncInterfaces(ep) || joinedNew
    if (joinedNew) for (const w of this.#watches.values()) this.#announce(w)
  }

  /** Joins the group on interfaces that appeared and leaves those that are gone; true when it joined one. */
  #syncInterfaces (ep: Endpoint): boolean {
    const wanted = new Set(multicastInterfaces(ep.family, this.#pinned))
    for (const iface of ep.joined) {
      if (wanted.has(iface)) continue
      ep.joined.delete(iface)
      try {
        ep.socket.dropMembership(ep.group, iface)
      } catch {
        // The interface is gone, and its membership with it.
      }
    }
    let joinedNew = false
    let failure: string | null = null
    for (const iface of wanted) {
      if (ep.joined.has(iface)) continue
      try {
        ep.socket.addMembership(ep.group, iface)
      } catch (err) {
        // A membership the kernel kept while the interface was away is still ours.
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
          failure = `cannot join ${ep.group} on ${iface}: ${errorMessage(err)}`
          this.#log.debug('LAN discovery could not join a multicast group', { group: ep.group, iface, error: errorMessage(err) })
          continue
        }
      }
      ep.joined.add(iface)
      joinedNew = true
    }
    if (ep.joined.size === 0) this.#familyUnavailable(ep.family, failure ?? `no network interface for LAN discovery over IPv${ep.family}`)
    return joinedNew
  }

  /** IPv4 (or the pinned family) must work; IPv6 is a bonus whose absence is only logged. */
  #familyUnavailable (family: Family, message: string): void {
    const essential = this.#pinned !== null || family === 4
    if (essential) {
      if (message !== this.#lastError) this.#fail(message)
    } else {
      this.#log.debug('LAN discovery without IPv6', { reason: message })
    }
  }

  #fail (message: string): void {
    if (this.#destroyed) return
    this.#lastError = message
    this.#log.debug('LAN discovery warning', { error: message })
    this.emit('warning', new Error(message))
  }
}
