import { EventEmitter } from 'node:events'
import type { RawStream, TransportKind } from '../transport/raw-stream.ts'
import { SecureConnection, type LocalIdentity } from '../session/secure-connection.ts'
import { FRAME_HEADER_LENGTH } from '../session/frames.ts'
import { TAG_LENGTH } from '../session/cipher-state.ts'
import { Mux } from './mux.ts'
import type { CloseInfo, Stream, StreamOptions } from './mux-stream.ts'
import { CloseCode } from './close-codes.ts'
import { toHex } from '../codec/hex.ts'
import { formatHostPort } from '../wire/address.ts'
import { TokenBucket, type BucketRate } from '../limits/token-bucket.ts'
import type { Logger } from '../log.ts'

export interface ConnectionTimings {
  /** The whole handshake, from the connected stream to the last message. */
  handshakeTimeoutMs: number
  /**
   * The first handshake message each side waits for: message 1 for the responder, message 2 for the
   * initiator. Honest peers send it at once, so a slot held by a silent stream is freed quickly.
   */
  firstMessageMs: number
  /** A dial's connect (the transport's, before any handshake byte), kept apart from and far shorter than the handshake. */
  connectTimeoutMs: number
  keepaliveMs: number
  deadAfterMs: number
}

export const DEFAULT_TIMINGS: ConnectionTimings = { handshakeTimeoutMs: 10_000, firstMessageMs: 3_000, connectTimeoutMs: 4_000, keepaliveMs: 15_000, deadAfterMs: 45_000 }

/**
 * What one peer may make us decrypt and handle, in mux frames (one transport frame may carry many)
 * and in bytes. A peer going faster is not dropped: we stop reading
 * its stream until it is back within the rate, so the transport slows it down and an honest burst
 * (a history sync) only takes longer. A mux frame costs ~1 µs to open and route, so the frame rate
 * holds a hostile peer to a few percent of a core while leaving a catch-up (one frame per message)
 * limited by verifying and storing, not by this.
 */
export const FRAME_RATE: BucketRate = { ratePerSecond: 50_000, burst: 100_000 }
export const BYTE_RATE: BucketRate = { ratePerSecond: 64 * 1024 * 1024, burst: 128 * 1024 * 1024 }

/** Transport plaintext types (PROTOCOL §3.3): DATA carries mux frames; REKEY stays inside the secure connection. */
const TYPE_DATA = 0x00
/** The mux builds each transport frame whole: room for its header, the DATA type, the body, room for its tag. */
const DATA_PREFIX = Uint8Array.of(...new Uint8Array(FRAME_HEADER_LENGTH), TYPE_DATA)
/** Bytes handed to the transport and not yet taken beyond which the mux holds back (it goes on at 'drain'). */
const HIGH_WATER_BYTES = 256 * 1024

export interface EstablishedInfo {
  remoteKeyHex: string
  /** Which of the offered PSKs the handshake proved (the responder's index into its list; 0 for an initiator). */
  pskIndex: number
}

interface ConnectionEvents {
  established: [EstablishedInfo]
  /** The peer opened a stream: the owner accepts or resets it. */
  stream: [Stream]
  /** The peer's signed profile record, unchecked. */
  profile: [Uint8Array]
  /** How the peer sees our address, unchecked. */
  observed: [string]
  /** Once, however it ended. */
  close: [CloseInfo]
}

export interface ConnectionOptions {
  /** Already connected: the handshake starts at once, and only its own deadlines run. */
  stream: RawStream
  initiator: boolean
  identity: LocalIdentity
  psks: Uint8Array[]
  /** Initiator only: the key the peer must prove (see SecureConnection). */
  expectedRemote?: Uint8Array
  log: Logger
  timings?: ConnectionTimings
}

/**
 * One connection to one peer over any transport: the Noise handshake, then encrypted frames
 * carrying the mux's streams, keepalives, round-trip times, read rates, and every failure turned
 * into one 'close' with a numeric code. It never throws at its owner: hostile bytes end this
 * connection only.
 */
export class Connection extends EventEmitter<ConnectionEvents> {
  readonly initiator: boolean
  readonly transport: TransportKind
  readonly remoteHost: string
  readonly remotePort: number
  /** The key of the member relaying this connection; null for a direct one. */
  readonly via: string | null
  remoteKeyHex = ''
  /** Noise's h after the handshake: the same at both ends and different for every connection. */
  handshakeHash: Uint8Array = new Uint8Array()
  establishedAt = 0
  rttMs: number | null = null
  closeInfo: CloseInfo | null = null

  readonly #stream: RawStream
  /** A responder makes it on the first bytes: a stream that never sends any costs no keys. */
  #secure: SecureConnection | null = null
  readonly #makeSecure: () => SecureConnection
  readonly #mux: Mux
  readonly #timings: ConnectionTimings
  readonly #log: Logger
  readonly #openedAt = Date.now()
  #timer: NodeJS.Timeout
  #lastReceivedAt = this.#openedAt
  #heard = false
  #answered = false
  /** Made when the connection is established: a stream that never gets there costs no buckets. */
  #rate: { frames: TokenBucket; bytes: TokenBucket } | null = null
  /** Mux frames handled from the chunk being read: charged to the rate once per chunk, not once per frame (the clock is read per charge). */
  #framesRead = 0
  /** Running while reading is paused because the peer is over its rate. */
  #resumeTimer: NodeJS.Timeout | null = null
  /** Reading paused by the owner, which cannot keep up with what the peer sends. */
  #ownerPaused = false

  constructor (opts: ConnectionOptions) {
    super()
    this.initiator = opts.initiator
    this.#stream = opts.stream
    this.transport = opts.stream.kind
    this.remoteHost = opts.stream.remote.host
    this.remotePort = opts.stream.remote.port
    this.via = opts.stream.via ?? null
    this.#timings = opts.timings ?? DEFAULT_TIMINGS
    this.#log = opts.log
    this.#makeSecure = () => new SecureConnection({
      initiator: opts.initiator,
      identity: opts.identity,
      psks: opts.psks,
      expectedRemote: opts.expectedRemote,
      onSend: (chunks) => { this.#onSend(chunks) },
      onEstablished: (info) => { this.#onEstablished(info.remoteIdentity, info.pskIndex, info.handshakeHash) },
      onMessage: (plaintext) => { this.#onPlaintext(plaintext) }
    })
    this.#mux = new Mux({
      initiator: opts.initiator,
      bodyPrefix: DATA_PREFIX,
      bodyRoomAfter: TAG_LENGTH,
      send: (frame) => { this.#guard(() => { this.#secureConnection().sendInPlace(frame) }) },
      writable: () => !this.#stream.destroyed && this.#stream.bufferedBytes < HIGH_WATER_BYTES,
      // Frames made in one go (a burst of sends, what one read sets off) share transport frames.
      defer: queueMicrotask,
      onFrame: () => { this.#framesRead++ }
    })
    this.#mux.on('stream', (stream) => { this.emit('stream', stream) })
    this.#mux.on('profile', (record) => { this.emit('profile', record) })
    this.#mux.on('observed', (address) => { this.emit('observed', address) })
    this.#mux.on('rtt', (ms) => { this.rttMs = Math.round(ms * 10) / 10 })
    this.#mux.on('close', (info) => { this.#end(info) })
    this.#stream.on('data', (chunk) => { this.#onData(chunk) })
    this.#stream.on('drain', () => { this.#mux.drained() })
    this.#stream.on('close', (err) => {
      this.#mux.destroy(CloseCode.NORMAL, err === null ? 'connection closed by peer' : `connection error: ${err.message}`)
    })
    this.#timer = this.#deadline(this.#timings.firstMessageMs, opts.initiator ? 'no answer to the handshake' : 'no handshake from the peer')
    if (opts.initiator) this.#guard(() => { this.#secureConnection().start() })
  }

  get established (): boolean { return this.establishedAt > 0 }
  get closed (): boolean { return this.closeInfo !== null }
  /** The peer has sent at least one byte. */
  get heard (): boolean { return this.#heard }
  get address (): string { return formatHostPort(this.remoteHost, this.remotePort) }
  /** Bytes written and not yet taken by the transport. */
  get bufferedBytes (): number { return this.#stream.bufferedBytes }

  /** Opens a protocol stream (PROTOCOL §3.4); messages may be queued at once. */
  open (protocol: string, topic: Uint8Array, opts?: StreamOptions): Stream {
    return this.#mux.open(protocol, topic, opts)
  }

  accept (stream: Stream, opts?: StreamOptions): void { this.#mux.accept(stream, opts) }
  reset (stream: Stream, code: CloseCode, text = ''): void { this.#mux.reset(stream, code, text) }
  sendProfile (record: Uint8Array): void { this.#mux.sendProfile(record) }
  sendObserved (address: string): void { this.#mux.sendObserved(address) }

  /**
   * Stops reading while the owner cannot keep up (the transport then slows the sender down).
   * Keepalives are not read meanwhile either, so a paused connection is not declared dead.
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

  /** Ends the connection, telling an established peer why (CLOSE) before the transport ends. */
  close (code: CloseCode, text = ''): void {
    if (this.closed) return
    if (this.established && !this.#stream.destroyed) this.#mux.close(code, text)
    else this.#mux.destroy(code, text)
  }

  #end (info: CloseInfo): void {
    if (this.closeInfo !== null) return
    this.closeInfo = info
    clearTimeout(this.#timer)
    if (this.#resumeTimer !== null) clearTimeout(this.#resumeTimer)
    if (!info.remote && this.established && !this.#stream.destroyed) {
      // The CLOSE frame is written: let it go out before the transport ends.
      this.#stream.end()
      setTimeout(() => { this.#stream.destroy() }, 1000).unref()
    } else {
      this.#stream.destroy()
    }
    this.#log.debug('connection closed', { remote: this.address, code: info.code, text: info.text, byPeer: info.remote })
    this.emit('close', info)
  }

  #secureConnection (): SecureConnection {
    this.#secure ??= this.#makeSecure()
    return this.#secure
  }

  /** A timer closing the connection unless replaced first; never past the handshake's own deadline. */
  #deadline (ms: number, text: string): NodeJS.Timeout {
    const left = this.#openedAt + this.#timings.handshakeTimeoutMs - Date.now()
    const expire = (why: string): void => { this.#mux.destroy(CloseCode.TIMED_OUT, why) }
    const timer = ms < left ? setTimeout(() => { expire(text) }, ms) : setTimeout(() => { expire('handshake timeout') }, Math.max(left, 0))
    timer.unref()
    return timer
  }

  #onSend (chunks: Uint8Array[]): void {
    // The responder's first send is message 2: message 1 has come, and the rest of the handshake may take its full time.
    if (!this.initiator && !this.#answered) {
      this.#answered = true
      if (!this.established) {
        clearTimeout(this.#timer)
        this.#timer = this.#deadline(Infinity, 'handshake timeout')
      }
    }
    this.#stream.write(chunks)
  }

  #onData (chunk: Uint8Array): void {
    this.#lastReceivedAt = Date.now()
    this.#heard = true
    this.#rate?.bytes.take(chunk.length)
    this.#guard(() => { this.#secureConnection().receive(chunk) })
    this.#rate?.frames.take(this.#framesRead)
    this.#framesRead = 0
    this.#throttle()
  }

  #onPlaintext (plaintext: Uint8Array): void {
    if (plaintext[0] !== TYPE_DATA) {
      this.#mux.destroy(CloseCode.PROTOCOL_ERROR, `unknown transport frame type 0x${(plaintext[0] ?? 0).toString(16).padStart(2, '0')}`)
      return
    }
    this.#mux.receive(plaintext.subarray(1))
  }

  /** Stops reading while the peer is over its rate; what it sent meanwhile waits in the transport. */
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

  /** Reading resumes only when neither the rate limit nor the owner holds it. */
  #resumeIfFree (): void {
    if (this.closed || this.#ownerPaused || this.#resumeTimer !== null) return
    this.#lastReceivedAt = Date.now()
    this.#stream.resume()
  }

  #guard (fn: () => void): void {
    if (this.closed) return
    try {
      fn()
    } catch (err) {
      const code = (err as { code?: unknown }).code
      const unexpected = code === 'UNEXPECTED_IDENTITY'
      this.#mux.destroy(unexpected ? CloseCode.UNEXPECTED_IDENTITY : CloseCode.PROTOCOL_ERROR, `${typeof code === 'string' ? code + ': ' : ''}${(err as Error).message}`)
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
    this.#mux.ping()
  }

  #tick (): void {
    const reading = !this.#ownerPaused && this.#resumeTimer === null
    if (reading && Date.now() - this.#lastReceivedAt > this.#timings.deadAfterMs) {
      this.#mux.destroy(CloseCode.TIMED_OUT, 'peer timed out')
      return
    }
    this.#mux.ping()
  }
}
