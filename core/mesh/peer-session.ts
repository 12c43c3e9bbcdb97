import { EventEmitter } from 'node:events'
import type { RawStream } from '../transport/raw-stream.ts'
import { SecureConnection, type LocalIdentity } from '../session/secure-connection.ts'
import { decodeFrame, encodePing, encodePong, encodeClose, type WireMessage } from '../wire/messages.ts'
import { toHex } from '../codec/hex.ts'
import { formatHostPort } from '../wire/address.ts'
import { TokenBucket, type BucketRate } from '../limits/token-bucket.ts'
import type { Logger } from '../log.ts'

export interface SessionTimings {
  /** The whole handshake, from the TCP connection to the last message. */
  handshakeTimeoutMs: number
  /**
   * The first handshake message each side waits for: message 1 for the responder, message 2 for the
   * initiator. Honest peers send it at once, so a slot held by a silent socket is freed quickly.
   */
  firstMessageMs: number
  /** A dial's connect (the transport's, before any handshake byte), kept apart from and far shorter than the handshake. */
  connectTimeoutMs: number
  keepaliveMs: number
  deadAfterMs: number
}

/** Bytes queued for a peer beyond which it counts as dead: a few seconds of a fast link, far more than chat needs. */
export const MAX_UNSENT_BYTES = 16 * 1024 * 1024

export const DEFAULT_TIMINGS: SessionTimings = { handshakeTimeoutMs: 10_000, firstMessageMs: 3_000, connectTimeoutMs: 4_000, keepaliveMs: 15_000, deadAfterMs: 45_000 }

/**
 * What one peer may make us decrypt and handle. A peer going faster is not dropped: we stop reading
 * its socket until it is back within the rate, so TCP slows it down and an honest burst (a history
 * sync) only takes longer.
 */
export const FRAME_RATE: BucketRate = { ratePerSecond: 10_000, burst: 20_000 }
export const BYTE_RATE: BucketRate = { ratePerSecond: 64 * 1024 * 1024, burst: 128 * 1024 * 1024 }

export interface EstablishedInfo {
  remoteKeyHex: string
  pskIndex: number
}

interface PeerSessionEvents {
  established: [EstablishedInfo]
  message: [WireMessage]
  /** What was written has been handed to the kernel: a paced sender may write more. */
  drain: []
  close: [string]
}

/**
 * One connected stream (any transport) carrying one Noise session: drives the I/O-free
 * SecureConnection from the stream, keeps the link alive, measures round-trip time and turns every
 * failure into a single 'close' with a reason. It never throws at its owner: hostile bytes end
 * this session only.
 */
export class PeerSession extends EventEmitter<PeerSessionEvents> {
  readonly initiator: boolean
  readonly remoteHost: string
  readonly remotePort: number
  remoteKeyHex = ''
  /** Noise's h after the handshake: the same at both ends and different for every session. */
  handshakeHash: Uint8Array = new Uint8Array()
  establishedAt = 0
  rttMs: number | null = null
  closed = false
  /** The reason the peer gave in its CLOSE, when it ended the session. */
  peerCloseReason: string | null = null

  readonly #stream: RawStream
  /** A responder makes it on the first bytes: a socket that never sends any costs no keys. */
  #connection: SecureConnection | null = null
  readonly #makeConnection: () => SecureConnection
  readonly #timings: SessionTimings
  readonly #log: Logger
  readonly #openedAt = Date.now()
  #timer: NodeJS.Timeout
  #lastReceivedAt = this.#openedAt
  #heard = false
  #answered = false
  #pingNonce = 0
  #pingSentAt = 0
  /** Made when the session is established: a socket that never gets there costs no buckets. */
  #rate: { frames: TokenBucket; bytes: TokenBucket } | null = null
  /** Running while reading is paused because the peer is over its rate. */
  #resumeTimer: NodeJS.Timeout | null = null
  /** Reading paused by the owner, which cannot keep up with what the peer sends. */
  #ownerPaused = false

  /** `stream` is already connected: the handshake starts at once, and only its own deadlines run. */
  constructor (opts: { stream: RawStream; initiator: boolean; identity: LocalIdentity; psks: Uint8Array[]; expectedRemote?: Uint8Array; log: Logger; timings?: SessionTimings }) {
    super()
    this.initiator = opts.initiator
    this.#stream = opts.stream
    this.#timings = opts.timings ?? DEFAULT_TIMINGS
    this.remoteHost = opts.stream.remote.host
    this.remotePort = opts.stream.remote.port
    this.#log = opts.log
    this.#makeConnection = () => new SecureConnection({
      initiator: opts.initiator,
      identity: opts.identity,
      psks: opts.psks,
      expectedRemote: opts.expectedRemote,
      onSend: (chunks) => { this.#onSend(chunks) },
      onEstablished: (info) => { this.#onEstablished(info.remoteIdentity, info.pskIndex, info.handshakeHash) },
      onMessage: (plaintext) => { this.#onPlaintext(plaintext) }
    })
    this.#stream.on('data', (chunk) => { this.#onData(chunk) })
    this.#stream.on('drain', () => { this.emit('drain') })
    this.#stream.on('close', (err) => { this.close(err === null ? 'connection closed by peer' : `connection error: ${err.message}`) })
    this.#timer = this.#deadline(this.#timings.firstMessageMs, opts.initiator ? 'no answer to the handshake' : 'no handshake from the peer')
    if (opts.initiator) this.#guard(() => { this.#secure().start() })
  }

  get established (): boolean { return this.establishedAt > 0 }
  /** The peer has sent at least one byte. */
  get heard (): boolean { return this.#heard }
  /** Bytes written and not yet taken by the kernel. */
  get bufferedBytes (): number { return this.#stream.bufferedBytes }

  /**
   * Stops reading while the owner cannot keep up (TCP then slows the sender down). Keepalives are
   * not read meanwhile either, so a paused session is not declared dead; pauses last seconds at most.
   */
  pauseReading (): void {
    if (this.closed || this.#ownerPaused) return
    this.#ownerPaused = true
    this.#stream.pause()
  }

  resumeReading (): void {
    if (!this.#ownerPaused) return
    this.#ownerPaused = false
    this.#resumeIfFree()
  }

  /** Reading resumes only when neither the rate limit nor the owner holds it. */
  #resumeIfFree (): void {
    if (this.closed || this.#ownerPaused || this.#resumeTimer !== null) return
    this.#lastReceivedAt = Date.now()
    this.#stream.resume()
  }
  get address (): string { return formatHostPort(this.remoteHost, this.remotePort) }

  /** Sends one encoded wire message; a closed session drops it. */
  send (frame: Uint8Array): void {
    if (this.closed) return
    // A peer that stops reading would make us buffer everything we flood to it.
    if (this.#stream.bufferedBytes > MAX_UNSENT_BYTES) {
      this.close(`peer stopped reading (${this.#stream.bufferedBytes} bytes unsent)`)
      return
    }
    this.#guard(() => { this.#secure().send(frame) })
  }

  /** Ends the session; `tellPeer` first sends CLOSE with the reason so the peer can log why. */
  close (reason: string, tellPeer = false): void {
    if (this.closed) return
    if (tellPeer && this.established && !this.#stream.destroyed) {
      try { this.#secure().send(encodeClose({ reason })) } catch {}
    }
    this.closed = true
    clearTimeout(this.#timer)
    if (this.#resumeTimer !== null) clearTimeout(this.#resumeTimer)
    if (tellPeer) {
      this.#stream.end()
      setTimeout(() => { this.#stream.destroy() }, 1000).unref()
    } else {
      this.#stream.destroy()
    }
    this.#log.debug('session closed', { remote: this.address, reason })
    this.emit('close', reason)
  }

  #secure (): SecureConnection {
    this.#connection ??= this.#makeConnection()
    return this.#connection
  }

  /** A timer closing the session with `reason` unless replaced first; never past the handshake's own deadline. */
  #deadline (ms: number, reason: string): NodeJS.Timeout {
    const left = this.#openedAt + this.#timings.handshakeTimeoutMs - Date.now()
    const timer = ms < left ? setTimeout(() => { this.close(reason) }, ms) : setTimeout(() => { this.close('handshake timeout') }, Math.max(left, 0))
    timer.unref()
    return timer
  }

  #rearm (ms: number, reason: string): void {
    if (this.closed || this.established) return
    clearTimeout(this.#timer)
    this.#timer = this.#deadline(ms, reason)
  }

  #onSend (chunks: Uint8Array[]): void {
    // The responder's first send is message 2: message 1 has come, and the rest of the handshake may take its full time.
    if (!this.initiator && !this.#answered) {
      this.#answered = true
      this.#rearm(Infinity, 'handshake timeout')
    }
    this.#write(chunks)
  }

  #write (chunks: Uint8Array[]): void {
    this.#stream.write(chunks)
  }

  #onData (chunk: Uint8Array): void {
    this.#lastReceivedAt = Date.now()
    this.#heard = true
    this.#rate?.bytes.take(chunk.length)
    this.#guard(() => { this.#secure().receive(chunk) })
    this.#throttle()
  }

  /** Stops reading while the peer is over its rate; what it sent meanwhile waits in TCP's buffers. */
  #throttle (): void {
    const rate = this.#rate
    if (rate === null || this.closed || this.#resumeTimer !== null) return
    const wait = Math.max(rate.frames.debtMs(), rate.bytes.debtMs())
    if (wait === 0) return
    this.#stream.pause()
    this.#resumeTimer = setTimeout(() => {
      this.#resumeTimer = null
      this.#resumeIfFree()
    }, wait)
    this.#resumeTimer.unref()
  }

  #guard (fn: () => void): void {
    if (this.closed) return
    try {
      fn()
    } catch (err) {
      const code = (err as { code?: unknown }).code
      this.close(`${typeof code === 'string' ? code + ': ' : ''}${(err as Error).message}`)
    }
  }

  #onEstablished (remoteKey: Uint8Array, pskIndex: number, handshakeHash: Uint8Array): void {
    this.handshakeHash = handshakeHash
    this.establishedAt = Date.now()
    this.remoteKeyHex = toHex(remoteKey)
    this.#rate = { frames: new TokenBucket(FRAME_RATE), bytes: new TokenBucket(BYTE_RATE) }
    clearTimeout(this.#timer)
    this.#timer = setInterval(() => { this.#tick() }, this.#timings.keepaliveMs)
    this.#timer.unref()
    this.emit('established', { remoteKeyHex: this.remoteKeyHex, pskIndex })
    this.#ping()
  }

  #tick (): void {
    const reading = !this.#ownerPaused && this.#resumeTimer === null
    if (reading && Date.now() - this.#lastReceivedAt > this.#timings.deadAfterMs) {
      this.close('peer timed out')
      return
    }
    this.#ping()
  }

  #ping (): void {
    this.#pingNonce = (this.#pingNonce + 1) % 0x7fffffff
    this.#pingSentAt = performance.now()
    this.send(encodePing({ nonce: this.#pingNonce }))
  }

  #onPlaintext (plaintext: Uint8Array): void {
    this.#rate?.frames.take(1)
    const message = decodeFrame(plaintext)
    switch (message.type) {
      case 'ping':
        this.send(encodePong({ nonce: message.nonce }))
        return
      case 'pong':
        if (message.nonce === this.#pingNonce) this.rttMs = Math.round((performance.now() - this.#pingSentAt) * 10) / 10
        return
      case 'close':
        this.peerCloseReason = message.reason
        this.close(`closed by peer: ${message.reason}`)
        return
      default:
        this.emit('message', message)
    }
  }
}
