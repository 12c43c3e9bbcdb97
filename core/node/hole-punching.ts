// Moving a relayed connection onto a direct UDP path (PROTOCOL §3.8): the two ends, already talking
// end to end through a relay, swap their UDP candidates and NAT types over a punch stream, start
// together, and send the probes holepuncher.ts plans. Once a probe gets through, one side opens a
// UDP stream to where it came from and runs an ordinary handshake over it; the pool keeps the better
// connection (UDP outranks a relay), so the relayed one closes and the channels carry on over UDP.
import { randomBytes } from 'node:crypto'
import type { Connection } from '../connection/connection.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { Priority, type Stream } from '../connection/mux-stream.ts'
import { bytesEqual } from '../codec/bytes.ts'
import type { Logger } from '../log.ts'
import { dialsAfterPunch, probeSchedule, PUNCH_TIMEOUT_MS, punchPlan, retryDelay, BIRTHDAY_SOCKETS, type ProbeStep, type PunchPlan } from '../nat/holepuncher.ts'
import { decodePunchMessage, encodePunchMessage, MAX_CANDIDATES, MAX_PUNCH_MESSAGE_BYTES, PUNCH_PROTOCOL, PunchType, type PunchMessage } from '../nat/punch-messages.ts'
import type { ConnectionPool } from '../peers/connection-pool.ts'
import { systemClock, type Clock } from '../timers.ts'
import { TokenBucket } from '../limits/token-bucket.ts'
import type { Endpoint } from '../transport/raw-stream.ts'
import { UdpEndpoint } from '../transport/udp-endpoint.ts'
import { formatHostPort, isLoopbackIPv4, isPrivateIPv4, isUnicastIPv4 } from '../wire/address.ts'
import type { UdpPort } from './udp-port.ts'

/** A relayed connection is punched this long after it is made: time for its channels to link first. */
const FIRST_DELAY_MS = 2_000
/** How long each step of the rendezvous waits for the other side. */
const ANSWER_WAIT_MS = 10_000
/** Punches under way at once, whoever asked: each sends a few hundred datagrams at most. */
const MAX_PUNCHES = 4
/** How long an address a punch reached may open a UDP stream to us, though we take none unasked. */
const ARRANGED_MS = 30_000
const MAX_REMEMBERED = 256
/** The round trip assumed when the connection has not measured one yet: a relayed path across a country. */
const FALLBACK_RTT_MS = 100
/** A member may ask us to punch at most this often: each punch sends datagrams where it says. */
const ANSWER_INTERVAL_MS = 30_000
/**
 * Birthday punches (hundreds of sockets, or 1,750 probes to the ports of a host the other side names)
 * at most 10 in a row, then one every 6 minutes, whoever asks.
 */
const BIRTHDAY_RATE = { ratePerSecond: 1 / 360, burst: 10 }

interface PeerPunch { failures: number; cancel: (() => void) | null; running: boolean }

export interface HolePunchingOptions {
  pool: ConnectionPool
  udp: UdpPort
  ownKeyHex: string
  /** False: the node takes no connections in (`--no-listen`), punched ones included; members reach it through relays. */
  allowed: () => boolean
  log: Logger
  clock?: Clock
}

export class HolePunching {
  readonly #opts: HolePunchingOptions
  readonly #clock: Clock
  readonly #peers = new Map<string, PeerPunch>()
  /** Addresses a punch reached, until when they may open a stream to us. */
  readonly #arranged = new Map<string, number>()
  /** The UDP connections punching made. */
  readonly #punched = new WeakSet<Connection>()
  /** A birthday punch with our own 256 sockets is under way: one at a time. */
  #birthdaySockets = false
  /** When each member last had a punch of theirs answered. */
  readonly #answered = new Map<string, number>()
  readonly #birthdays: TokenBucket
  #running = 0
  #closed = false

  constructor (opts: HolePunchingOptions) {
    this.#opts = opts
    this.#clock = opts.clock ?? systemClock
    this.#birthdays = new TokenBucket(BIRTHDAY_RATE, () => this.#clock.now())
  }

  /** A connection was kept: a relayed one is punched later by the side whose key sorts first. */
  adopted (connection: Connection): void {
    // A UDP connection from where a punch of ours got through is the punch's (the side that did not dial).
    if (connection.transport === 'udp' && this.isArranged({ host: connection.remoteHost, port: connection.remotePort })) this.#punched.add(connection)
    if (connection.transport !== 'relay' || this.#opts.ownKeyHex > connection.remoteKeyHex || !this.#opts.allowed()) return
    this.#schedule(connection, FIRST_DELAY_MS)
  }

  /** A stream of another protocol than a channel's: a punch stream is taken here; false for anything else. */
  onStream (connection: Connection, stream: Stream): boolean {
    if (stream.protocol !== PUNCH_PROTOCOL) return false
    const endpoint = this.#opts.udp.endpoint
    const key = connection.remoteKeyHex
    const last = this.#answered.get(key)
    const tooSoon = last !== undefined && this.#clock.now() - last < ANSWER_INTERVAL_MS
    if (endpoint === null || !this.#opts.allowed() || connection.transport !== 'relay' || this.#running >= MAX_PUNCHES || this.#peer(key).running || tooSoon) {
      connection.reset(stream, CloseCode.OVERLOADED, endpoint === null ? 'UDP is off here' : 'not punching now')
      return true
    }
    this.#remember(this.#answered, key, this.#clock.now())
    connection.accept(stream, { priority: Priority.CHAT })
    void this.#run(connection, stream, false)
    return true
  }

  /** Whether a UDP stream from `remote` was agreed by a punch (taken even by a node that takes no incoming connections). */
  isArranged (remote: Endpoint): boolean {
    const until = this.#arranged.get(formatHostPort(remote.host, remote.port))
    return until !== undefined && until > this.#clock.now()
  }

  /** Whether this UDP connection was made by punching through both NATs. */
  isPunched (connection: Connection): boolean {
    return this.#punched.has(connection)
  }

  /** Ends every punch: those under way stop at their next step, their sockets closed. */
  close (): void {
    this.#closed = true
    for (const peer of this.#peers.values()) peer.cancel?.()
    this.#peers.clear()
  }

  #peer (keyHex: string): PeerPunch {
    let peer = this.#peers.get(keyHex)
    if (peer === undefined) {
      peer = { failures: 0, cancel: null, running: false }
      this.#peers.set(keyHex, peer)
      if (this.#peers.size > MAX_REMEMBERED) this.#peers.delete(this.#peers.keys().next().value!)
    }
    return peer
  }

  #schedule (connection: Connection, delayMs: number): void {
    const peer = this.#peer(connection.remoteKeyHex)
    peer.cancel?.()
    peer.cancel = this.#clock.after(delayMs, () => {
      peer.cancel = null
      if (this.#closed || connection.closed || this.#opts.pool.connectionTo(connection.remoteKeyHex) !== connection) return
      if (!this.#opts.allowed()) return
      if (this.#opts.udp.endpoint === null || this.#running >= MAX_PUNCHES || peer.running) {
        this.#schedule(connection, retryDelay(1))
        return
      }
      let stream: Stream
      try {
        stream = connection.open(PUNCH_PROTOCOL, new Uint8Array(0), { priority: Priority.CHAT })
      } catch {
        return
      }
      void this.#run(connection, stream, true).then((punched) => {
        if (punched) peer.failures = 0
        if (punched || connection.closed) return
        peer.failures++
        this.#schedule(connection, retryDelay(peer.failures))
      })
    })
  }

  /** One punch, from either side; true when a UDP connection to the peer is kept at the end. */
  async #run (connection: Connection, stream: Stream, opener: boolean): Promise<boolean> {
    const keyHex = connection.remoteKeyHex
    const peer = this.#peer(keyHex)
    peer.running = true
    this.#running++
    const cleanups: Array<() => void> = []
    try {
      const messages = messageQueue(stream)
      cleanups.push(messages.stop)
      const udp = this.#opts.udp
      const endpoint = udp.endpoint
      if (endpoint === null) return false
      // A proxy or 'hide my IP' set meanwhile, the port moved, the node closing: nothing more leaves.
      const stillOn = (): void => {
        if (this.#closed || udp.endpoint !== endpoint || !this.#opts.allowed()) throw new Error('UDP is off now')
      }
      const ours = { nat: udp.nat, addresses: this.#candidates() }
      let token: Uint8Array
      let theirs: Extract<PunchMessage, { type: typeof PunchType.CANDIDATES }>
      if (opener) {
        token = randomBytes(16)
        await messages.opened(ANSWER_WAIT_MS, this.#clock)
        stream.send(encodePunchMessage({ type: PunchType.CANDIDATES, token, ...ours }))
        theirs = await messages.next(PunchType.CANDIDATES, ANSWER_WAIT_MS, this.#clock)
        if (!bytesEqual(theirs.token, token)) throw new Error('the peer answered another punch')
      } else {
        theirs = await messages.next(PunchType.CANDIDATES, ANSWER_WAIT_MS, this.#clock)
        token = theirs.token
        stream.send(encodePunchMessage({ type: PunchType.CANDIDATES, token, ...ours }))
      }
      const plan = punchPlan(ours.nat, theirs.nat)
      const targets = theirs.addresses.filter(a => isUnicastIPv4(a.host) && !isLoopbackIPv4(a.host))
      if (plan.kind === 'none' || targets.length === 0) {
        this.#opts.log.debug('no hole punch', { peer: keyHex.slice(0, 16), reason: plan.kind === 'none' ? plan.reason : 'the peer offered no address' })
        return false
      }
      // Hundreds of probes go only to a host on the internet, never one on our own networks.
      if (plan.kind === 'birthday-ports' && isPrivateIPv4(targets[0]!.host)) return false
      if (plan.kind !== 'probe' && (plan.kind === 'birthday-sockets' && this.#birthdaySockets)) return false
      if (plan.kind !== 'probe' && !this.#birthdays.tryTake()) {
        this.#opts.log.info('no birthday punch now: too many lately', { peer: keyHex.slice(0, 16) })
        return false
      }
      stillOn()
      const found = this.#listen(plan, endpoint, token, cleanups)
      if (opener) {
        const delayMs = Math.min(Math.round((connection.rttMs ?? FALLBACK_RTT_MS) / 2), 5_000)
        stream.send(encodePunchMessage({ type: PunchType.GO, delayMs }))
        await sleep(this.#clock, delayMs)
      } else {
        await messages.next(PunchType.GO, ANSWER_WAIT_MS, this.#clock)
      }
      stillOn()
      this.#send(plan, endpoint, token, targets, found.sockets, cleanups)
      // The other side may give up (its own limits): no point probing on alone.
      const reached = await Promise.race([found.first(PUNCH_TIMEOUT_MS, this.#clock), messages.failed()])
      stillOn()
      if (reached === null) {
        this.#opts.log.info('hole punch found no path', { peer: keyHex.slice(0, 16), plan: plan.kind, ours: ours.nat, theirs: theirs.nat })
        return false
      }
      this.#remember(this.#arranged, formatHostPort(reached.from.host, reached.from.port), this.#clock.now() + ARRANGED_MS)
      if (!dialsAfterPunch(plan, opener)) return await this.#awaitDirect(keyHex, ARRANGED_MS)
      const channelId = this.#opts.pool.channelsWith(keyHex)[0]
      if (channelId === undefined) return false
      const raw = await reached.endpoint.transport.dial({ kind: 'udp', ...reached.from }, { timeoutMs: ANSWER_WAIT_MS })
      if (this.#closed || udp.endpoint !== endpoint) {
        raw.destroy()
        return false
      }
      const outcome = await this.#opts.pool.dialOver(raw, channelId, keyHex, { replacing: true })
      const direct = this.#opts.pool.connectionTo(keyHex)
      const kept = outcome.kind === 'connected' && direct?.transport === 'udp'
      if (kept) this.#punched.add(direct)
      this.#opts.log.info(kept ? 'hole punched: a direct UDP connection replaces the relayed one' : 'hole punched, but the UDP connection was not kept', { peer: keyHex.slice(0, 16), plan: plan.kind })
      return kept
    } catch (err) {
      this.#opts.log.debug('hole punch ended', { peer: keyHex.slice(0, 16), error: (err as Error).message })
      return false
    } finally {
      for (const cleanup of cleanups) cleanup()
      if (stream.status === 'open' || stream.status === 'opening') stream.close()
      peer.running = false
      this.#running--
    }
  }

  /** Where our socket may be reached (UdpPort.candidates), IPv4 only, each once, at most MAX_CANDIDATES. */
  #candidates (): Endpoint[] {
    const udp = this.#opts.udp
    const seen = new Set<string>()
    const out: Endpoint[] = []
    for (const e of udp.candidates) {
      const key = formatHostPort(e.host, e.port)
      if (seen.has(key) || !/^\d+\.\d+\.\d+\.\d+$/.test(e.host)) continue
      seen.add(key)
      out.push(e)
    }
    return out.slice(0, MAX_CANDIDATES)
  }

  /**
   * Waits for the first probe of this punch on our socket (and, for a birthday punch, on each extra
   * socket, all but the one reached closed then).
   */
  #listen (plan: PunchPlan, endpoint: UdpEndpoint, token: Uint8Array, cleanups: Array<() => void>): { sockets: UdpEndpoint[]; first: (ms: number, clock: Clock) => Promise<{ from: Endpoint; endpoint: UdpEndpoint } | null> } {
    let resolve: (value: { from: Endpoint; endpoint: UdpEndpoint }) => void = () => {}
    const reached = new Promise<{ from: Endpoint; endpoint: UdpEndpoint }>(r => { resolve = r })
    const sockets: UdpEndpoint[] = []
    if (plan.kind === 'birthday-sockets') {
      this.#birthdaySockets = true
      // Sockets that carry a stream (the one the other side reached) close after it; the others now.
      cleanups.push(() => {
        this.#birthdaySockets = false
        for (const s of sockets) void (s.streams > 0 ? this.#opts.udp.adopt(s) : s.close())
      })
      for (let i = 0; i < BIRTHDAY_SOCKETS; i++) {
        // Only the side this punch reached may open a stream on it.
        const extra = UdpEndpoint.bind(0, undefined, { onStream: (s) => { this.#opts.pool.acceptStream(s, true) }, admits: (from) => this.isArranged(from), log: this.#opts.log }, endpoint.udx)
        sockets.push(extra)
        cleanups.push(extra.expectProbes(token, (from) => { resolve({ from, endpoint: extra }) }))
      }
    }
    cleanups.push(endpoint.expectProbes(token, (from) => { resolve({ from, endpoint }) }))
    return {
      sockets,
      first: async (ms, clock) => await Promise.race([reached, sleep(clock, ms).then(() => null)])
    }
  }

  #send (plan: PunchPlan, endpoint: UdpEndpoint, token: Uint8Array, remote: Endpoint[], sockets: UdpEndpoint[], cleanups: Array<() => void>): void {
    // One timer per moment the plan sends at (a burst), not one per probe.
    const bursts = new Map<number, ProbeStep[]>()
    for (const step of probeSchedule(plan, remote)) bursts.set(step.atMs, [...bursts.get(step.atMs) ?? [], step])
    for (const [atMs, steps] of bursts) {
      const send = (): void => {
        for (const step of steps) (step.socket === undefined ? endpoint : sockets[step.socket])?.probe(token, step.to, step.ttl)
      }
      if (atMs === 0) send()
      else cleanups.push(this.#clock.after(atMs, send))
    }
  }

  /** The other side dials: true once the connection kept to the peer is a UDP one. */
  async #awaitDirect (keyHex: string, ms: number): Promise<boolean> {
    const deadline = this.#clock.now() + ms
    while (this.#clock.now() < deadline && !this.#closed) {
      const direct = this.#opts.pool.connectionTo(keyHex)
      if (direct?.transport === 'udp') {
        this.#punched.add(direct)
        return true
      }
      await sleep(this.#clock, 100)
    }
    return false
  }

  /** Most recent last; the oldest forgotten past MAX_REMEMBERED. */
  #remember (store: Map<string, number>, key: string, value: number): void {
    store.delete(key)
    store.set(key, value)
    if (store.size > MAX_REMEMBERED) store.delete(store.keys().next().value!)
  }
}

async function sleep (clock: Clock, ms: number): Promise<void> {
  await new Promise<void>(resolve => { clock.after(ms, resolve) })
}

/** The punch stream's messages in order, each waited for with a deadline; anything malformed ends the punch. */
function messageQueue (stream: Stream): {
  opened: (ms: number, clock: Clock) => Promise<void>
  next: <T extends PunchMessage['type']>(type: T, ms: number, clock: Clock) => Promise<Extract<PunchMessage, { type: T }>>
  /** Settles (null) once the stream ends or breaks: the other side gave up. */
  failed: () => Promise<null>
  stop: () => void
} {
  const queue: PunchMessage[] = []
  let wake: (() => void) | null = null
  let failure: Error | null = null
  const onMessage = (bytes: Uint8Array): void => {
    try {
      if (bytes.length > MAX_PUNCH_MESSAGE_BYTES || queue.length >= 4) throw new Error('too much on the punch stream')
      queue.push(decodePunchMessage(bytes))
    } catch (err) {
      failure = err as Error
      stream.reset(CloseCode.PROTOCOL_ERROR, failure.message)
      ended()
    }
    wake?.()
  }
  let ended: () => void = () => {}
  const whenEnded = new Promise<null>(resolve => { ended = () => { resolve(null) } })
  const onClose = (): void => {
    failure ??= new Error('the punch stream closed')
    wake?.()
    ended()
  }
  const onOpen = (): void => { wake?.() }
  stream.on('message', onMessage)
  stream.on('close', onClose)
  stream.on('open', onOpen)
  const waitFor = async <T>(check: () => T | undefined, ms: number, clock: Clock, what: string): Promise<T> => {
    const deadline = clock.now() + ms
    for (;;) {
      const value = check()
      if (value !== undefined) return value
      if (failure !== null) throw failure
      if (clock.now() >= deadline) throw new Error(`no ${what} in time`)
      await new Promise<void>(resolve => {
        const cancel = clock.after(Math.max(1, deadline - clock.now()), resolve)
        wake = () => { cancel(); resolve() }
      })
      wake = null
    }
  }
  return {
    opened: async (ms, clock) => { await waitFor(() => stream.status === 'open' ? true : undefined, ms, clock, 'answer to the punch stream') },
    next: async (type, ms, clock) => await waitFor(() => {
      const message = queue.shift()
      if (message === undefined) return undefined
      if (message.type !== type) throw new Error(`expected punch message ${type}, got ${message.type}`)
      return message as Extract<PunchMessage, { type: typeof type }>
    }, ms, clock, `punch message ${type}`),
    failed: async () => await whenEnded,
    stop: () => {
      ended()
      stream.off('message', onMessage)
      stream.off('close', onClose)
      stream.off('open', onOpen)
    }
  }
}
