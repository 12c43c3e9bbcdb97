// The node's one UDP socket (udx-native): it carries every UDP stream, answers dialers' OPENs, sends
// and answers hole-punching probes, and hands every other datagram on (the DHT's, on the same port),
// so the mapping a NAT gives the DHT is the one peers reach. Streams are set up by the control
// datagrams of udp-control.ts.
import { randomBytes, randomInt } from 'node:crypto'
import { EventEmitter } from 'node:events'
import UDX, { type UdxSocket, type UdxStream } from 'udx-native'
import { toHex } from '../codec/hex.ts'
import { sourceOf } from '../limits/source.ts'
import { SourceRateLimiter } from '../limits/source-rate-limiter.ts'
import type { Logger } from '../log.ts'
import type { Endpoint, RawStream, Route, Transport } from './raw-stream.ts'
import { ACCEPT, decodeUdpControl, encodeUdpControl, isUdpControl, NONCE_BYTES, OPEN, PROBE, REFUSE, RefuseCode } from './udp-control.ts'
import { UdxRawStream } from './udx-stream.ts'

export interface UdpEndpointOptions {
  /** A stream a dialer opened to us: the listener runs the handshake (and its admission) on it. */
  onStream: (stream: RawStream) => void
  /** Whether an OPEN from there may have a stream (the node takes connections in, or a punch agreed to it); yes unless given. */
  admits?: (from: { host: string; port: number }) => boolean
  log: Logger
  now?: () => number
}


/**
 * The socket as a dgram-like one for someone else's datagrams (bittorrent-dht through KrpcSocket):
 * `message` for each datagram that is not ours, and `send` from the same port.
 */
export class SharedDatagrams extends EventEmitter<{ message: [Buffer, { address: string; port: number }] }> {
  readonly #endpoint: UdpEndpoint
  constructor (endpoint: UdpEndpoint) {
    super()
    this.#endpoint = endpoint
  }

  send (buf: Uint8Array, offset: number, length: number, port: number, host: string, cb: (err: Error | null) => void): void {
    this.#endpoint.send(buf.subarray(offset, offset + length), port, host)
    process.nextTick(cb, null)
  }

  address (): { address: string; port: number } {
    return { address: '0.0.0.0', port: this.#endpoint.port }
  }
}

/** A dial resends its OPEN after this, doubling, until an answer or the dial's timeout. */
const OPEN_RETRY_MS = 250
/** How long an answered OPEN is remembered, so a resent one gets the same answer, not a second stream. */
const ANSWERED_MS = 10_000
const MAX_ANSWERED = 1024
/** OPENs handled: a few per second from one source, a few hundred in all, whatever the sources claim to be. */
const OPEN_RATE = { perSource: { ratePerSecond: 5, burst: 10 }, total: { ratePerSecond: 200, burst: 400 }, maxSources: 4096 }

interface PendingDial {
  readonly route: Route
  readonly streamId: number
  readonly resolve: (stream: RawStream) => void
  readonly reject: (err: Error) => void
}

export class UdpEndpoint {
  readonly #udx: UDX
  readonly #socket: UdxSocket
  readonly #opts: UdpEndpointOptions
  readonly #now: () => number
  readonly #dials = new Map<string, PendingDial>()
  readonly #answered = new Map<string, { reply: Uint8Array; at: number }>()
  readonly #usedIds = new Set<number>()
  readonly #opens: SourceRateLimiter
  /** Punches under way, by token: the probes that count, and whom to tell. */
  readonly #punches = new Map<string, (from: Endpoint) => void>()
  readonly datagrams: SharedDatagrams
  #closed = false
  /** Retired (the listen port moved): no new streams, closed once the last one ends. */
  #retired = false

  private constructor (udx: UDX, opts: UdpEndpointOptions) {
    this.#udx = udx
    this.#socket = udx.createSocket()
    this.#opts = opts
    this.#now = opts.now ?? Date.now
    this.#opens = new SourceRateLimiter({ ...OPEN_RATE, now: this.#now })
    this.datagrams = new SharedDatagrams(this)
    this.#socket.on('message', (datagram, from) => { this.#onMessage(datagram, from) })
  }

  /** Binds `port` (0: any) on `host` (all interfaces when absent); `udx` shares another endpoint's (a punch's extra sockets). */
  static bind (port: number, host: string | undefined, opts: UdpEndpointOptions, udx = new UDX()): UdpEndpoint {
    const endpoint = new UdpEndpoint(udx, opts)
    endpoint.#socket.bind(port, host === undefined || host === '::' ? undefined : host)
    return endpoint
  }

  get port (): number { return this.#socket.address()?.port ?? 0 }
  get udx (): UDX { return this.#udx }

  /** Dials UDP routes: OPEN until answered, then the stream. */
  readonly transport: Transport = {
    kind: 'udp',
    dial: async (route, { timeoutMs, signal }) => await this.#dial(route, timeoutMs, signal)
  }

  /** Sends a datagram of someone else's (the DHT's) from this socket. */
  send (datagram: Uint8Array, port: number, host: string): void {
    if (!this.#closed && !this.#retired) this.#socket.trySend(datagram, port, host)
  }

  /** UDP streams carried now. */
  get streams (): number { return this.#socket.streams.size }

  /**
   * Listens for the probes of one punch (its token), telling `onProbe` where each came from; a probe
   * that is not itself an answer is answered, so both sides learn the path. Until the returned
   * function is called. Probes with any other token are dropped unanswered: nobody can use us to
   * send datagrams where they like.
   */
  expectProbes (token: Uint8Array, onProbe: (from: Endpoint) => void): () => void {
    const key = toHex(token)
    this.#punches.set(key, onProbe)
    return () => { if (this.#punches.get(key) === onProbe) this.#punches.delete(key) }
  }

  /**
   * Sends a probe of the punch `token` to `to`. With `ttl`, the datagram dies after that many hops:
   * far enough to open the mapping in our own NAT, not so far that it reaches the other side's
   * before its own probe leaves (a Linux NAT would then map that side to another port).
   */
  probe (token: Uint8Array, to: Endpoint, ttl?: number): void {
    if (this.#closed || this.#retired) return
    this.#socket.trySend(encodeUdpControl({ type: PROBE, nonce: token, reply: false }), to.port, to.host, ttl)
  }

  /**
   * The listen port moved: no new streams (OPENs are refused as CLOSED, nothing is dialled) and no
   * more datagrams handed on; the streams carried now go on, and the socket closes after the last.
   */
  async retire (): Promise<void> {
    if (this.#closed) return
    this.#retired = true
    for (const dial of this.#dials.values()) dial.reject(new Error('the UDP port moved'))
    this.#punches.clear()
    await Promise.all([...this.#socket.streams].map(async s => { if (!s.destroyed) await new Promise<void>(resolve => { s.once('close', () => { resolve() }) }) }))
    await this.close()
  }

  /** Stops answering and closes the socket once its streams are gone (they end with their connections). */
  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const dial of this.#dials.values()) dial.reject(new Error('the UDP endpoint closed'))
    this.#dials.clear()
    for (const stream of [...this.#socket.streams]) stream.destroy()
    await this.#socket.close()
  }

  async #dial (route: Route, timeoutMs: number, signal?: AbortSignal): Promise<RawStream> {
    if (this.#closed || this.#retired) throw new Error('the UDP endpoint is closed')
    const nonce = randomBytes(NONCE_BYTES)
    const key = toHex(nonce)
    const streamId = this.#newStreamId()
    const open = encodeUdpControl({ type: OPEN, streamId, nonce })
    return await new Promise<RawStream>((resolve, reject) => {
      let retry: NodeJS.Timeout | null = null
      const settle = (): void => {
        clearTimeout(deadline)
        if (retry !== null) clearTimeout(retry)
        this.#dials.delete(key)
      }
      const deadline = setTimeout(() => {
        settle()
        this.#usedIds.delete(streamId)
        reject(new Error(`no answer over UDP after ${timeoutMs} ms`))
      }, timeoutMs)
      deadline.unref()
      const send = (wait: number): void => {
        this.#socket.trySend(open, route.port, route.host)
        retry = setTimeout(() => { send(wait * 2) }, wait)
        retry.unref()
      }
      this.#dials.set(key, {
        route,
        streamId,
        resolve: (stream) => { settle(); resolve(stream) },
        reject: (err) => { settle(); this.#usedIds.delete(streamId); reject(err) }
      })
      send(OPEN_RETRY_MS)
      signal?.addEventListener('abort', () => { this.#dials.get(key)?.reject(new Error('the dial was called off')) }, { once: true })
    })
  }

  #onMessage (datagram: Buffer, from: { host: string; port: number }): void {
    if (!isUdpControl(datagram)) {
      if (this.#retired) return
      // The socket's buffer is reused for the next datagram: whoever keeps it needs a copy.
      if (this.datagrams.listenerCount('message') > 0) this.datagrams.emit('message', Buffer.from(datagram), { address: from.host, port: from.port })
      return
    }
    const message = decodeUdpControl(datagram)
    if (message === null || this.#closed) return
    switch (message.type) {
      case OPEN:
        if (this.#retired) this.#socket.trySend(encodeUdpControl({ type: REFUSE, code: RefuseCode.CLOSED, nonce: message.nonce }), from.port, from.host)
        else this.#onOpen(message.streamId, message.nonce, from)
        break
      case PROBE: {
        const onProbe = this.#punches.get(toHex(message.nonce))
        if (onProbe === undefined) return
        if (!message.reply) this.#socket.trySend(encodeUdpControl({ type: PROBE, nonce: message.nonce, reply: true }), from.port, from.host)
        onProbe({ host: from.host, port: from.port })
        break
      }
      case ACCEPT: {
        const dial = this.#dials.get(toHex(message.nonce))
        // Only from where the OPEN went, for the stream it named: nobody else can answer for the peer.
        if (dial === undefined || dial.streamId !== message.dialerStreamId || dial.route.host !== from.host || dial.route.port !== from.port) return
        dial.resolve(new UdxRawStream(this.#connect(dial.streamId, message.streamId, from)))
        break
      }
      case REFUSE: {
        const dial = this.#dials.get(toHex(message.nonce))
        if (dial === undefined || dial.route.host !== from.host || dial.route.port !== from.port) return
        dial.reject(new Error(message.code === RefuseCode.BUSY ? 'the peer is too busy to take a UDP stream now' : `the peer refused a UDP stream (code ${message.code})`))
        break
      }
    }
  }

  #onOpen (dialerStreamId: number, nonce: Uint8Array, from: { host: string; port: number }): void {
    const key = `${from.host}:${from.port}/${toHex(nonce)}`
    this.#forgetAnswered()
    const answered = this.#answered.get(key)
    if (answered !== undefined) {
      this.#socket.trySend(answered.reply, from.port, from.host)
      return
    }
    if (!this.#opens.allow(sourceOf(from.host))) {
      this.#socket.trySend(encodeUdpControl({ type: REFUSE, code: RefuseCode.BUSY, nonce }), from.port, from.host)
      return
    }
    if (this.#opts.admits?.(from) === false) {
      this.#socket.trySend(encodeUdpControl({ type: REFUSE, code: RefuseCode.CLOSED, nonce }), from.port, from.host)
      return
    }
    const streamId = this.#newStreamId()
    const stream = this.#connect(streamId, dialerStreamId, from)
    const reply = encodeUdpControl({ type: ACCEPT, streamId, dialerStreamId, nonce })
    if (this.#answered.size >= MAX_ANSWERED) this.#answered.delete(this.#answered.keys().next().value!)
    this.#answered.set(key, { reply, at: this.#now() })
    this.#socket.trySend(reply, from.port, from.host)
    this.#opts.onStream(new UdxRawStream(stream))
  }

  #connect (localId: number, remoteId: number, to: { host: string; port: number }): UdxStream {
    const stream = this.#udx.createStream(localId)
    stream.once('close', () => { this.#usedIds.delete(localId) })
    stream.connect(this.#socket, remoteId, to.port, to.host)
    return stream
  }

  #newStreamId (): number {
    for (;;) {
      const id = randomInt(1, 0xffffffff)
      if (this.#usedIds.has(id)) continue
      this.#usedIds.add(id)
      return id
    }
  }

  #forgetAnswered (): void {
    const cutoff = this.#now() - ANSWERED_MS
    for (const [key, entry] of this.#answered) {
      if (entry.at > cutoff) break
      this.#answered.delete(key)
    }
  }
}
