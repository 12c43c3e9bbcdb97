import { ed25519PublicToX25519, ed25519SecretToX25519 } from '../crypto/native.ts'
import { bytesEqual } from '../codec/bytes.ts'
import type { CipherState } from './cipher-state.ts'
import { TAG_LENGTH } from './cipher-state.ts'
import { FRAME_HEADER_LENGTH, FrameDecoder, FrameError, MAX_FRAME_LENGTH, encodeFrame } from './frames.ts'
import { NoiseError, NoiseHandshake } from './noise.ts'

export type SessionErrorCode =
  | 'BAD_FRAME'
  | 'FRAME_TOO_LARGE'
  | 'HANDSHAKE_FAILED'
  | 'WRONG_PSK'
  | 'IDENTITY_MISMATCH'
  | 'UNEXPECTED_IDENTITY'
  | 'DECRYPT_FAILED'
  | 'WRONG_STATE'

/** A protocol failure on one connection; the caller closes the socket. */
export class SessionError extends Error {
  readonly code: SessionErrorCode

  constructor (code: SessionErrorCode, message: string) {
    super(message)
    this.name = 'SessionError'
    this.code = code
  }
}

export interface LocalIdentity { publicKey: Uint8Array /* ed25519 32 */; secretKey: Uint8Array /* ed25519 64 */ }

export interface EstablishedInfo { remoteIdentity: Uint8Array; pskIndex: number; handshakeHash: Uint8Array }

export interface SecureConnectionOptions {
  initiator: boolean
  identity: LocalIdentity
  /** Initiator: exactly one. Responder: the PSK of every joined channel; `pskIndex` says which one matched. */
  psks: Uint8Array[]
  /**
   * Initiator only: the Ed25519 key the peer is expected to prove (another member said it listens
   * there). Anyone else fails message 2, and never gets message 3.
   */
  expectedRemote?: Uint8Array
  /** One whole frame to write to the socket (one piece: a transport frame is sealed straight into the buffer that is written). */
  onSend: (chunks: Uint8Array[]) => void
  onEstablished: (info: EstablishedInfo) => void
  /** Each decrypted application frame (`type ‖ body`); REKEY frames are handled inside. */
  onMessage: (plaintext: Uint8Array) => void
  rekeyAfterBytes?: number
  rekeyAfterMs?: number
  now?: () => number
}

export const PROLOGUE = new TextEncoder().encode('BitChat/6')
/** The PSK comes first, so a party without it can neither finish message 1 nor read anything we send. */
export const HANDSHAKE_PATTERN = 'XXpsk0'
export const MAX_PLAINTEXT = MAX_FRAME_LENGTH - TAG_LENGTH
export const TYPE_REKEY = 0x04
const HANDSHAKE_FRAME_MAX = 1024
const IDENTITY_PAYLOAD_VERSION = 1
const ED25519_PUBLIC_LENGTH = 32
const ED25519_SECRET_LENGTH = 64
const DEFAULT_REKEY_BYTES = 64 * 1024 * 1024
const DEFAULT_REKEY_MS = 10 * 60 * 1000
const EMPTY = new Uint8Array(0)
const REKEY_FRAME = Uint8Array.of(TYPE_REKEY)

interface Transport { tx: CipherState; rx: CipherState }

/**
 * One connection's session (PROTOCOL §3) without I/O: socket bytes go into `receive`, bytes
 * for the socket come out of `onSend`. Handshake, framing, transport encryption and rekeying.
 */
export class SecureConnection {
  readonly #opts: SecureConnectionOptions
  readonly #handshake: NoiseHandshake
  readonly #decoder = new FrameDecoder(HANDSHAKE_FRAME_MAX)
  readonly #identityPayload: Uint8Array
  readonly #rekeyAfterBytes: number
  readonly #rekeyAfterMs: number
  readonly #now: () => number
  #transport: Transport | null = null
  #started = false
  #failure: SessionError | null = null
  #sentSinceRekey = 0
  #lastRekeyAt = 0

  constructor (opts: SecureConnectionOptions) {
    const { identity } = opts
    if (identity.publicKey.length !== ED25519_PUBLIC_LENGTH || identity.secretKey.length !== ED25519_SECRET_LENGTH) throw new RangeError('an Ed25519 identity is a 32-byte public and 64-byte secret key')
    if (!bytesEqual(identity.secretKey.subarray(32), identity.publicKey)) throw new RangeError('the identity\'s public key does not belong to its secret key')
    this.#opts = opts
    this.#rekeyAfterBytes = opts.rekeyAfterBytes ?? DEFAULT_REKEY_BYTES
    this.#rekeyAfterMs = opts.rekeyAfterMs ?? DEFAULT_REKEY_MS
    this.#now = opts.now ?? Date.now
    this.#handshake = new NoiseHandshake({
      initiator: opts.initiator,
      pattern: HANDSHAKE_PATTERN,
      prologue: PROLOGUE,
      staticKeyPair: {
        publicKey: ed25519PublicToX25519(identity.publicKey),
        secretKey: ed25519SecretToX25519(identity.secretKey)
      },
      psks: opts.psks
    })
    this.#identityPayload = new Uint8Array(1 + ED25519_PUBLIC_LENGTH)
    this.#identityPayload[0] = IDENTITY_PAYLOAD_VERSION
    this.#identityPayload.set(identity.publicKey, 1)
  }

  get established (): boolean {
    return this.#transport !== null
  }

  /** The initiator's first move: handshake message 1 (empty payload). */
  start (): void {
    if (!this.#opts.initiator || this.#started) throw new SessionError('WRONG_STATE', 'only an initiator starts, once')
    this.#started = true
    this.#opts.onSend([encodeFrame(this.#handshake.send())])
  }

  /**
   * Feeds socket bytes; any SessionError is final, as is every later call. The chunk is the session's
   * from then on: transport frames are decrypted where they lie, and messages are views of it.
   */
  receive (chunk: Uint8Array): void {
    if (this.#failure !== null) throw this.#failure
    if (this.#opts.initiator && !this.#started) this.#fail('WRONG_STATE', 'the initiator received bytes before start()')
    this.#decoder.feed(chunk)
    // One frame at a time: the frame limit rises when the handshake completes, possibly mid-chunk.
    for (let frame = this.#nextFrame(); frame !== null; frame = this.#nextFrame()) {
      if (this.#transport === null) this.#onHandshakeFrame(frame)
      else this.#onTransportFrame(this.#transport, frame)
    }
  }

  /** Encrypts one application frame (`type ‖ body`), preceded by a REKEY when the key's budget is spent. */
  send (plaintext: Uint8Array): void {
    const tx = this.#sendingCipher(plaintext)
    const frame = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + plaintext.length + TAG_LENGTH)
    this.#seal(tx, plaintext, frame)
  }

  /**
   * As send(), for a frame built in place: FRAME_HEADER_LENGTH free bytes, the application frame
   * (`type ‖ body`), then TAG_LENGTH free bytes. It is sealed where it lies and written as it is, so
   * nothing is allocated or copied; the buffer is the session's.
   */
  sendInPlace (frame: Uint8Array): void {
    if (frame.length < FRAME_HEADER_LENGTH + TAG_LENGTH) throw new RangeError('a frame built in place has room for its header and tag')
    const plaintext = frame.subarray(FRAME_HEADER_LENGTH, frame.length - TAG_LENGTH)
    this.#seal(this.#sendingCipher(plaintext), plaintext, frame)
  }

  /** The cipher `plaintext` goes out under, after a REKEY when the key's budget is spent. */
  #sendingCipher (plaintext: Uint8Array): CipherState {
    const transport = this.#transport
    if (transport === null || this.#failure !== null) throw new SessionError('WRONG_STATE', 'the session is not established')
    if (plaintext.length < 1 || plaintext.length > MAX_PLAINTEXT) throw new RangeError(`a transport frame carries 1..${MAX_PLAINTEXT} bytes`)
    if (plaintext[0] === TYPE_REKEY) throw new RangeError('REKEY frames are sent by the session itself')
    if (this.#sentSinceRekey >= this.#rekeyAfterBytes || this.#now() - this.#lastRekeyAt >= this.#rekeyAfterMs) {
      this.#seal(transport.tx, REKEY_FRAME, Buffer.allocUnsafe(FRAME_HEADER_LENGTH + REKEY_FRAME.length + TAG_LENGTH))
      transport.tx.rekey()
      this.#sentSinceRekey = 0
      this.#lastRekeyAt = this.#now()
    }
    this.#sentSinceRekey += plaintext.length
    return transport.tx
  }

  /** Seals `plaintext` into `frame` (header, ciphertext, tag: one buffer, one write); `plaintext` may lie in it already. */
  #seal (tx: CipherState, plaintext: Uint8Array, frame: Uint8Array): void {
    const length = plaintext.length + TAG_LENGTH
    frame[0] = length >>> 8
    frame[1] = length & 0xff
    tx.encryptInto(EMPTY, plaintext, frame.subarray(FRAME_HEADER_LENGTH))
    this.#opts.onSend([frame])
  }

  #nextFrame (): Uint8Array | null {
    try {
      return this.#decoder.next()
    } catch (err) {
      if (!(err instanceof FrameError)) throw err
      this.#fail(err.code === 'FRAME_TOO_LARGE' ? 'FRAME_TOO_LARGE' : 'BAD_FRAME', err.message)
    }
  }

  #onHandshakeFrame (frame: Uint8Array): void {
    if (this.#opts.initiator === false && !this.#started) {
      this.#started = true
      if (this.#handshakeRecv(frame).length !== 0) this.#fail('HANDSHAKE_FAILED', 'handshake message 1 must have an empty payload')
      this.#opts.onSend([encodeFrame(this.#handshake.send(this.#identityPayload))])
      return
    }
    const remoteIdentity = this.#checkIdentity(this.#handshakeRecv(frame))
    const expected = this.#opts.expectedRemote
    if (expected !== undefined && !bytesEqual(expected, remoteIdentity)) this.#fail('UNEXPECTED_IDENTITY', 'the peer proved another identity than the one expected at this address')
    if (this.#opts.initiator) this.#opts.onSend([encodeFrame(this.#handshake.send(this.#identityPayload))])
    const { tx, rx, handshakeHash, pskIndex } = this.#handshake.result()
    this.#transport = { tx, rx }
    this.#lastRekeyAt = this.#now()
    this.#decoder.setMaxLength(MAX_FRAME_LENGTH)
    this.#opts.onEstablished({ remoteIdentity, pskIndex, handshakeHash })
  }

  #handshakeRecv (frame: Uint8Array): Uint8Array {
    try {
      return this.#handshake.recv(frame)
    } catch (err) {
      if (!(err instanceof NoiseError)) throw err
      this.#fail(err.code === 'NO_PSK_MATCH' ? 'WRONG_PSK' : 'HANDSHAKE_FAILED', `handshake failed: ${err.message}`)
    }
  }

  /** Binds the Ed25519 identity in the payload to the X25519 static key the handshake proved. */
  #checkIdentity (payload: Uint8Array): Uint8Array {
    if (payload.length !== 1 + ED25519_PUBLIC_LENGTH || payload[0] !== IDENTITY_PAYLOAD_VERSION) this.#fail('HANDSHAKE_FAILED', 'malformed identity payload')
    const edKey = Uint8Array.from(payload.subarray(1))
    let derived: Uint8Array
    try {
      derived = ed25519PublicToX25519(edKey)
    } catch {
      this.#fail('IDENTITY_MISMATCH', 'the peer\'s identity is not a valid Ed25519 key')
    }
    if (!bytesEqual(derived, this.#handshake.remoteStatic!)) this.#fail('IDENTITY_MISMATCH', 'the peer\'s identity does not match its handshake key')
    return edKey
  }

  #onTransportFrame (transport: Transport, frame: Uint8Array): void {
    let plaintext: Uint8Array
    try {
      plaintext = transport.rx.decryptInPlace(EMPTY, frame)
    } catch (err) {
      if (!(err instanceof NoiseError)) throw err
      this.#fail('DECRYPT_FAILED', `transport frame rejected: ${err.message}`)
    }
    if (plaintext.length === 0) this.#fail('BAD_FRAME', 'a transport frame has no type byte')
    if (plaintext[0] !== TYPE_REKEY) {
      this.#opts.onMessage(plaintext)
      return
    }
    if (plaintext.length !== 1) this.#fail('BAD_FRAME', 'a REKEY frame has an empty body')
    transport.rx.rekey()
  }

  #fail (code: SessionErrorCode, message: string): never {
    this.#failure = new SessionError(code, message)
    throw this.#failure
  }
}
