import type { TrackerStatus } from '../api/contract.ts'
import { randomInt } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type Client from 'bittorrent-tracker/client'
import type { AnnounceOpts } from 'bittorrent-tracker/client'
import { isIpLiteral, isPort } from '../wire/address.ts'
import { jittered } from '../timers.ts'
// As many trackers as a `.chat` file may list.
import { MAX_TRACKERS } from '../channel/descriptor.ts'
import { trackerUrlProblem } from '../channel/tracker-url.ts'
import type { ProxyConfig } from '../transport/proxy-url.ts'
import type { Dispatcher } from 'undici'

export const DEFAULT_PEER_ID_PREFIX = '-qB4650-'
export const DEFAULT_USER_AGENT = 'qBittorrent/4.6.5'

// What a fresh qBittorrent download reports: nothing transferred yet, one piece left.
const ANNOUNCE_OPTS: AnnounceOpts = { uploaded: 0, downloaded: 0, left: 16384, numwant: 50 }
// bittorrent-tracker's own default, used until a tracker names its interval.
const DEFAULT_INTERVAL_MS = 30 * 60_000
// Node runs a timer of NaN, 0 or more than 2^31-1 ms after 1 ms: without these bounds a tracker
// answering `interval` 0, a string or 2^32-1 would have us announce in a tight loop.
const MIN_INTERVAL_MS = 1_000
const MAX_INTERVAL_MS = 60 * 60_000
const RETRY_BASE_MS = 5_000
const RETRY_CAP_MS = 5 * 60_000
const RETRY_JITTER = 0.2
// The client waits up to 1 s for the `stopped` requests; this only guards against it never calling back.
const STOP_TIMEOUT_MS = 3_000
// numwant is 50; a tracker sending thousands is not going to flood the dialer.
const MAX_PEERS_PER_RESPONSE = 200
const SUPPORTED_PROTOCOLS = new Set(['http:', 'https:', 'udp:'])
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

export interface TrackerAnnouncerOptions {
  /** The 20-byte infohash to announce. */
  infohash: Uint8Array
  trackers: string[]
  /** The TCP port peers should dial. */
  port: number
  /** 8 printable ASCII characters, Azureus style. */
  peerIdPrefix?: string
  userAgent?: string
  /**
   * Announce through this proxy: http(s) trackers through a tunnel it opens (it resolves their
   * names); udp:// trackers not at all, as a proxy carries no UDP and a direct packet would show
   * where we are.
   */
  proxy?: ProxyConfig | null
}

export interface TrackerPeer {
  host: string
  port: number
  /** The announce URL that returned it. */
  tracker: string
}

export interface TrackerAnnounced {
  tracker: string
  /** Valid addresses in this response. */
  peers: number
  /** Milliseconds until the next regular announce: the tracker's interval, bounded. */
  interval: number
}

/** What `status()` reports per tracker is what the API shows users, so it is the API's type. */
export type { TrackerStatus }

interface TrackerAnnouncerEvents {
  peer: [TrackerPeer]
  warning: [Error, string]
  announced: [TrackerAnnounced]
}

interface TrackerState {
  readonly url: string
  client: Client | null
  /** A `started` announce got an answer; later announces are plain updates. */
  started: boolean
  failures: number
  retryTimer: NodeJS.Timeout | null
  retryAt: number | null
  intervalMs: number
  nextRegularAt: number | null
  lastAnnounceAt: number | null
  peersReturned: number
  /** Addresses counted in the response being delivered; null between responses. */
  responsePeers: number | null
  lastError: string | null
}

/**
 * bittorrent-tracker's Client, imported at the first start() rather than with this module: the
 * package brings a WebRTC addon, node-fetch and ws, which we never use (~16 MiB and ~100 ms of CPU
 * in a daemon), and a node without trackers should not pay for them.
 */
let clientModule: Promise<typeof Client> | undefined
async function loadClient (): Promise<typeof Client> {
  clientModule ??= import('bittorrent-tracker/client').then(m => m.default)
  return await clientModule
}

/** The proxy's dispatcher, imported only by a node that uses a proxy (it brings undici). */
async function loadProxyDispatcher (): Promise<(proxy: ProxyConfig) => Dispatcher> {
  return (await import('../transport/proxy-agent.ts')).proxyDispatcher
}

/** Retry delay after the n-th failure in a row: 5 s doubling to 5 min, ±20% so trackers are not hit in lockstep. */
export function announceRetryDelay (failures: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_BASE_MS * 2 ** Math.min(Math.max(failures - 1, 0), 16), RETRY_CAP_MS)
  return jittered(base, RETRY_JITTER, random)
}

/**
 * Announces one infohash to a set of BitTorrent trackers, looking like qBittorrent, and reports the
 * peer addresses they return. One bittorrent-tracker Client per tracker URL (all with this
 * announcer's peer id), because the Client's `peer` and `warning` events do not say which tracker
 * they came from, and retrying one failed tracker must not re-announce to the healthy ones.
 */
export class TrackerAnnouncer extends EventEmitter<TrackerAnnouncerEvents> {
  /** 20 ASCII characters: the prefix and 12 random alphanumerics, new for every announcer. */
  readonly peerId: string
  readonly #infohash: Uint8Array
  readonly #userAgent: string
  readonly #trackers: TrackerState[]
  readonly #proxy: ProxyConfig | null
  /** Set with the client class when there is a proxy; closed by stop(), or its pooled tunnels would stay open. */
  #dispatcher: Dispatcher | null = null
  #port: number
  /** Loaded by the first start(); set once every tracker can have its own Client. */
  #clientClass: typeof Client | null = null
  #running = false
  #stopped = false

  constructor (opts: TrackerAnnouncerOptions) {
    super()
    if (opts.infohash.length !== 20) throw new RangeError(`infohash must be 20 bytes, got ${opts.infohash.length}`)
    if (!isPort(opts.port)) throw new RangeError(`port must be 1..65535, got ${opts.port}`)
    const prefix = opts.peerIdPrefix ?? DEFAULT_PEER_ID_PREFIX
    if (!/^[\x21-\x7e]{8}$/.test(prefix)) throw new RangeError('peer id prefix must be 8 printable ASCII characters')
    const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT
    // Printable ASCII only: anything else could not be sent as a header, or could split one.
    if (!/^[\x20-\x7e]{1,256}$/.test(userAgent)) throw new RangeError('user agent must be 1..256 printable ASCII characters')
    const urls = [...new Set(opts.trackers.map(url => url.replace(/\/$/, '')))]
    if (urls.length > MAX_TRACKERS) throw new RangeError(`at most ${MAX_TRACKERS} trackers, got ${urls.length}`)
    this.peerId = prefix + randomAlphanumerics(12)
    this.#infohash = opts.infohash.slice()
    this.#userAgent = userAgent
    this.#port = opts.port
    this.#proxy = opts.proxy ?? null
    this.#trackers = urls.map(url => ({
      url,
      client: null,
      started: false,
      failures: 0,
      retryTimer: null,
      retryAt: null,
      intervalMs: DEFAULT_INTERVAL_MS,
      nextRegularAt: null,
      lastAnnounceAt: null,
      peersReturned: 0,
      responsePeers: null,
      lastError: null
    }))
  }

  start (): void {
    if (this.#stopped) throw new Error('a stopped TrackerAnnouncer cannot be restarted')
    if (this.#running) return
    this.#running = true
    const usable = this.#trackers.filter(t => {
      const problem = urlProblem(t.url) ?? (this.#proxy !== null && t.url.startsWith('udp:') ? PROXIED_UDP_TRACKER : null)
      if (problem === null) return true
      t.lastError = problem
      this.emit('warning', new Error(problem), t.url)
      return false
    })
    if (usable.length === 0) return
    const proxy = this.#proxy
    void Promise.all([loadClient(), proxy === null ? null : loadProxyDispatcher().then(make => make(proxy))]).then(([clientClass, dispatcher]) => {
      if (!this.#running) {
        void dispatcher?.close()
        return
      }
      this.#clientClass = clientClass
      this.#dispatcher = dispatcher
      for (const t of usable) {
        this.#connect(t)
        this.#announce(t)
      }
    }, (err: unknown) => {
      // A broken install: say so for each tracker rather than announce nowhere in silence.
      for (const t of usable) {
        t.lastError = asError(err).message
        this.emit('warning', asError(err), t.url)
      }
    })
  }

  /** Announces the new port at once (same peer id, so trackers see the same peer moving). */
  update ({ port }: { port: number }): void {
    if (!isPort(port)) throw new RangeError(`port must be 1..65535, got ${port}`)
    const changed = port !== this.#port
    this.#port = port
    if (!this.#running) return
    for (const t of this.#trackers) {
      if (t.client === null) continue
      this.#clearRetry(t)
      if (changed) {
        // The Client has no way to change its port: replace it, dropping whatever the old one has in flight.
        destroyQuietly(t.client)
        this.#connect(t)
      }
      this.#announce(t)
    }
  }

  /**
   * Sends `stopped` to every tracker, best effort (not when `quietly`: the way to them just changed),
   * and releases every socket and timer.
   */
  async stop ({ quietly = false }: { quietly?: boolean } = {}): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    this.#running = false
    const destroyed: Promise<void>[] = []
    for (const t of this.#trackers) {
      this.#clearRetry(t)
      t.nextRegularAt = null
      const client = t.client
      t.client = null
      if (client === null) continue
      // Best effort: a tracker we cannot even send `stopped` to must not keep the others from stopping.
      try {
        if (!quietly) client.stop()
      } catch (err) {
        this.emit('warning', asError(err), t.url)
      }
      destroyed.push(new Promise(resolve => { destroyQuietly(client, resolve) }))
    }
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>(resolve => {
      timer = setTimeout(resolve, STOP_TIMEOUT_MS)
      timer.unref()
    })
    await Promise.race([Promise.all(destroyed), timeout])
    await this.#dispatcher?.destroy().catch(() => {})
    clearTimeout(timer)
  }

  status (): TrackerStatus[] {
    return this.#trackers.map(t => ({
      url: t.url,
      lastAnnounceAt: t.lastAnnounceAt,
      nextAnnounceAt: this.#running ? (t.retryAt ?? t.nextRegularAt) : null,
      peersReturned: t.peersReturned,
      lastError: t.lastError
    }))
  }

  #connect (t: TrackerState): void {
    if (this.#clientClass === null) return
    const client = new this.#clientClass({
      infoHash: this.#infohash,
      peerId: Buffer.from(this.peerId, 'latin1'),
      announce: [t.url],
      port: this.#port,
      userAgent: this.#userAgent,
      // bittorrent-tracker hands `httpAgent` / `httpsAgent` to fetch as its dispatcher.
      ...(this.#dispatcher === null ? {} : { proxyOpts: { httpAgent: this.#dispatcher, httpsAgent: this.#dispatcher } }),
      getAnnounceOpts: () => ({ ...ANNOUNCE_OPTS })
    })
    harden(client, (ms) => {
      t.intervalMs = boundInterval(ms)
      t.nextRegularAt = Date.now() + t.intervalMs
      return t.intervalMs
    })
    t.client = client
    // Events from a client this tracker no longer uses (replaced or stopped) are stale.
    const current = (): boolean => this.#running && t.client === client
    client.on('update', () => { if (current()) this.#onAnnounced(t) })
    client.on('peer', (addr) => { if (current()) this.#onPeer(t, addr) })
    client.on('warning', (err) => { if (current()) this.#onFailure(t, err) })
    // Only scrapes emit 'error', and we never scrape; an 'error' without a listener would throw.
    client.on('error', (err) => { if (current()) this.#onFailure(t, err) })
  }

  #announce (t: TrackerState): void {
    // The client throws synchronously for some bad input (a socket error); that is one failed announce.
    try {
      // Until a tracker has answered a `started`, every attempt is a `started` (as libtorrent does).
      if (t.started) t.client?.update()
      else t.client?.start()
    } catch (err) {
      this.#onFailure(t, asError(err))
    }
  }

  #onAnnounced (t: TrackerState): void {
    t.started = true
    t.failures = 0
    t.lastError = null
    t.lastAnnounceAt = Date.now()
    this.#clearRetry(t)
    // The client emits a response's peers synchronously right after 'update': count them, then report.
    t.responsePeers = 0
    queueMicrotask(() => {
      if (t.responsePeers === null) return
      t.peersReturned = t.responsePeers
      t.responsePeers = null
      if (this.#running) this.emit('announced', { tracker: t.url, peers: t.peersReturned, interval: t.intervalMs })
    })
  }

  #onPeer (t: TrackerState, addr: string): void {
    if (t.responsePeers === null || t.responsePeers >= MAX_PEERS_PER_RESPONSE) return
    const peer = parsePeer(addr)
    if (peer === null) return
    t.responsePeers++
    this.emit('peer', { ...peer, tracker: t.url })
  }

  #onFailure (t: TrackerState, err: Error): void {
    t.lastError = err.message
    if (t.retryTimer === null) {
      t.failures++
      const delay = announceRetryDelay(t.failures)
      t.retryAt = Date.now() + delay
      t.retryTimer = setTimeout(() => {
        t.retryTimer = null
        t.retryAt = null
        if (this.#running) this.#announce(t)
      }, delay)
      t.retryTimer.unref()
    }
    this.emit('warning', err, t.url)
  }

  #clearRetry (t: TrackerState): void {
    if (t.retryTimer !== null) clearTimeout(t.retryTimer)
    t.retryTimer = null
    t.retryAt = null
  }
}

/**
 * Patches the Client's per-tracker objects (bittorrent-tracker 11.2.3) where the package would hurt us:
 * - every interval the client sets (its default, or whatever the tracker answered) goes through
 *   `onInterval`, which bounds it;
 * - the HTTP tracker's request is an async function whose rejections nobody catches: a tracker that
 *   closes the connection mid-body, or answers with odd types, would crash the process with an
 *   unhandled rejection. Those become warnings;
 * - the per-tracker `announce` also runs from the package's own interval timer, where a synchronous
 *   throw (a UDP socket refusing its arguments) would be an uncaught exception. It becomes a warning.
 */
function harden (client: Client, onInterval: (ms: number | undefined) => number): void {
  const trackers = client._trackers
  if (!Array.isArray(trackers) || trackers.length !== 1 || typeof trackers[0]?.setInterval !== 'function' || typeof trackers[0].announce !== 'function') {
    throw new Error('bittorrent-tracker internals are not as expected: check core/discovery/tracker.ts against the installed version')
  }
  const tracker = trackers[0]
  const setInterval = tracker.setInterval.bind(tracker)
  tracker.setInterval = (ms) => { setInterval(onInterval(ms)) }
  const announce = tracker.announce.bind(tracker)
  tracker.announce = (opts) => {
    try {
      announce(opts)
    } catch (err) {
      client.emit('warning', asError(err))
    }
  }
  const request = tracker._request
  if (/^https?:/.test(tracker.announceUrl) && typeof request === 'function') {
    tracker._request = (url, params, cb) => request.call(tracker, url, params, cb).catch((err: unknown) => {
      client.emit('warning', asError(err))
    })
  }
}

function boundInterval (ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return DEFAULT_INTERVAL_MS
  return Math.min(Math.max(ms, MIN_INTERVAL_MS), MAX_INTERVAL_MS)
}

const PROXIED_UDP_TRACKER = 'not used while a proxy is set: a proxy carries no UDP'

/** The shared rule first: a channel stored by an older version may hold any string as a tracker. */
function urlProblem (url: string): string | null {
  const problem = trackerUrlProblem(url)
  if (problem !== null) return problem
  if (!SUPPORTED_PROTOCOLS.has(new URL(url).protocol)) return `unsupported tracker protocol: ${url}`
  return null
}

function destroyQuietly (client: Client, done: () => void = () => {}): void {
  try {
    client.destroy(() => { done() })
  } catch {
    done()
  }
}

function asError (err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}

/** Accepts `ip:port` and `[ipv6]:port` with a literal address and a port 1..65535; anything else is dropped. */
function parsePeer (addr: string): { host: string; port: number } | null {
  const colon = addr.lastIndexOf(':')
  if (colon < 0) return null
  const portText = addr.slice(colon + 1)
  if (!/^[1-9]\d{0,4}$/.test(portText)) return null
  let host = addr.slice(0, colon)
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  const port = Number(portText)
  return isIpLiteral(host) && isPort(port) ? { host, port } : null
}

function randomAlphanumerics (n: number): string {
  let out = ''
  for (let i = 0; i < n; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]
  return out
}
