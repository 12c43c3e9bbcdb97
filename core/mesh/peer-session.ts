import { EventEmitter } from 'node:events'
import type { Socket } from 'node:net'
import { SecureConnection, type LocalIdentity } from '../session/secure-connection.ts'
import { decodeFrame, encodePing, encodePong, encodeClose, type WireMessage } from '../wire/messages.ts'
import { toHex } from '../codec/hex.ts'
import { formatHostPort } from '../wire/address.ts'
import type { Logger } from '../log.ts'

export interface SessionTimings {
  handshakeTimeoutMs: number
  keepaliveMs: number
  deadAfterMs: number
}

/** Bytes queued for a peer beyond which it counts as dead: a few seconds of a fast link, far more than chat needs. */
export const MAX_UNSENT_BYTES = 16 * 1024 * 1024

export const DEFAULT_TIMINGS: SessionTimings = { handshakeTimeoutMs: 10_000, keepaliveMs: 15_000, deadAfterMs: 45_000 }

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
 * One TCP connection carrying one Noise session: drives the I/O-free SecureConnection from the
 * socket, keeps the link alive, measures round-trip time and turns every failure into a single
 * 'close' with a reason. It never throws at its owner: hostile bytes end this session only.
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

  readonly #socket: Socket
  readonly #connection: SecureConnection
  readonly #timings: SessionTimings
  readonly #log: Logger
  #timer: NodeJS.Timeout
  #lastReceivedAt = Date.now()
  #pingNonce = 0
  #pingSentAt = 0
  #readingPaused = false

  constructor (opts: { socket: Socket; initiator: boolean; /** Where a dialled socket is going (it has no remote address until connected). */ remote?: { host: string; port: number }; identity: LocalIdentity; psks: Uint8Array[]; log: Logger; timings?: SessionTimings }) {
    super()
    this.initiator = opts.initiator
    this.#socket = opts.socket
    this.#timings = opts.timings ?? DEFAULT_TIMINGS
    this.remoteHost = normalizeHost(opts.remote?.host ?? opts.socket.remoteAddress ?? '')
    this.remotePort = opts.remote?.port ?? opts.socket.remotePort ?? 0
    this.#log = opts.log.child({ remote: formatHostPort(this.remoteHost, this.remotePort) })
    this.#connection = new SecureConnection({
      initiator: opts.initiator,
      identity: opts.identity,
      psks: opts.psks,
      onSend: (chunks) => { this.#write(chunks) },
      onEstablished: (info) => { this.#onEstablished(info.remoteIdentity, info.pskIndex, info.handshakeHash) },
      onMessage: (plaintext) => { this.#onPlaintext(plaintext) }
    })
    this.#socket.setNoDelay(true)
    this.#socket.on('data', (chunk: Buffer) => { this.#onData(chunk) })
    this.#socket.on('drain', () => { this.emit('drain') })
    this.#socket.on('error', (err) => { this.close(`socket error: ${err.message}`) })
    this.#socket.on('close', () => { this.close('connection closed by peer') })
    this.#timer = setTimeout(() => { this.close('handshake timeout') }, this.#timings.handshakeTimeoutMs)
    this.#timer.unref()
    if (opts.initiator) this.#guard(() => { this.#connection.start() })
  }

  get established (): boolean { return this.establishedAt > 0 }
  /** Bytes written and not yet taken by the kernel. */
  get bufferedBytes (): number { return this.#socket.writableLength }

  /**
   * Stops reading while we cannot keep up (TCP then slows the sender down). Keepalives are not read
   * meanwhile either, so a paused session is not declared dead; pauses last seconds at most.
   */
  pauseReading (): void {
    if (this.closed || this.#readingPaused) return
    this.#readingPaused = true
    this.#socket.pause()
  }

  resumeReading (): void {
    if (!this.#readingPaused) return
    this.#readingPaused = false
    this.#lastReceivedAt = Date.now()
    if (!this.closed) this.#socket.resume()
  }
  get address (): string { return formatHostPort(this.remoteHost, this.remotePort) }

  /** Sends one encoded wire message; a closed session drops it. */
  send (frame: Uint8Array): void {
    if (this.closed) return
    // A peer that stops reading would make us buffer everything we flood to it.
    if (this.#socket.writableLength > MAX_UNSENT_BYTES) {
      this.close(`peer stopped reading (${this.#socket.writableLength} bytes unsent)`)
      return
    }
    this.#guard(() => { this.#connection.send(frame) })
  }

  /** Ends the session; `tellPeer` first sends CLOSE with the reason so the peer can log why. */
  close (reason: string, tellPeer = false): void {
    if (this.closed) return
    if (tellPeer && this.established && !this.#socket.destroyed) {
      try { this.#connection.send(encodeClose({ reason })) } catch {}
    }
    this.closed = true
    clearTimeout(this.#timer)
    if (tellPeer) {
      this.#socket.end()
      setTimeout(() => this.#socket.destroy(), 1000).unref()
    } else {
      this.#socket.destroy()
    }
    this.#log.debug('session closed', { reason })
    this.emit('close', reason)
  }

  /** Corked so the pieces of a frame leave in one writev. */
  #write (chunks: Uint8Array[]): void {
    if (this.#socket.destroyed) return
    this.#socket.cork()
    for (const chunk of chunks) this.#socket.write(chunk)
    this.#socket.uncork()
  }

  #onData (chunk: Buffer): void {
    this.#lastReceivedAt = Date.now()
    this.#guard(() => { this.#connection.receive(chunk) })
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
    clearTimeout(this.#timer)
    this.#timer = setInterval(() => { this.#tick() }, this.#timings.keepaliveMs)
    this.#timer.unref()
    this.emit('established', { remoteKeyHex: this.remoteKeyHex, pskIndex })
    this.#ping()
  }

  #tick (): void {
    if (!this.#readingPaused && Date.now() - this.#lastReceivedAt > this.#timings.deadAfterMs) {
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

/** Node reports IPv4 peers on dual-stack sockets as '::ffff:1.2.3.4'; we want the plain form. */
export function normalizeHost (host: string): string {
  return host.startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host
}
