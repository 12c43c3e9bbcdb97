import { memzero, randomBytes, x25519, x25519Base } from '../crypto/native.ts'
import type { CipherState } from './cipher-state.ts'
import { findPattern } from './handshake-patterns.ts'
import type { HandshakePattern, Token } from './handshake-patterns.ts'
import { NoiseError } from './noise-error.ts'
import { SymmetricState } from './symmetric-state.ts'

export { NoiseError } from './noise-error.ts'
export type { NoiseErrorCode } from './noise-error.ts'

export interface KeyPair { publicKey: Uint8Array; secretKey: Uint8Array }

export interface NoiseHandshakeOptions {
  /** A pattern from handshake-patterns.ts; default 'XXpsk3'. */
  pattern?: string
  initiator: boolean
  prologue: Uint8Array
  /** Required when the pattern sends or pre-shares the local static key. */
  staticKeyPair?: KeyPair
  /** The peer's static key, for patterns that pre-share it (IK, KK). */
  remoteStatic?: Uint8Array
  /** Initiator: exactly one. Responder: one or more candidates, tried in order when the peer's PSK arrives. */
  psks?: Uint8Array[]
  /** Fixed ephemeral key, for test vectors only. */
  ephemeralKeyPair?: KeyPair
}

export interface HandshakeResult {
  tx: CipherState
  rx: CipherState
  handshakeHash: Uint8Array
  /** Index into `psks` of the PSK in use; -1 for patterns without a PSK. */
  pskIndex: number
}

const DH_LENGTH = 32
const PSK_LENGTH = 32
const MAX_MESSAGE = 65535
const EMPTY = new Uint8Array(0)
const SUITE = '25519_ChaChaPoly_BLAKE2b'

/** Noise (rev 34) HandshakeState as a pure state machine: messages in, messages out. */
export class NoiseHandshake {
  readonly #pattern: HandshakePattern
  readonly #initiator: boolean
  readonly #usesPsk: boolean
  readonly #psks: readonly Uint8Array[]
  readonly #s: KeyPair | null
  #e: KeyPair | null
  readonly #fixedEphemeral: boolean
  #rs: Uint8Array | null
  #re: Uint8Array | null = null
  #ss: SymmetricState
  #pskIndex = -1
  #next = 0
  #failed = false
  #result: HandshakeResult | null = null

  constructor (opts: NoiseHandshakeOptions) {
    const pattern = findPattern(opts.pattern ?? 'XXpsk3')
    if (pattern === undefined) throw new RangeError(`unsupported handshake pattern ${opts.pattern ?? ''}`)
    this.#pattern = pattern
    this.#initiator = opts.initiator
    this.#s = opts.staticKeyPair === undefined ? null : checkKeyPair(opts.staticKeyPair, 'static')
    this.#e = opts.ephemeralKeyPair === undefined ? null : checkKeyPair(opts.ephemeralKeyPair, 'ephemeral')
    this.#fixedEphemeral = this.#e !== null
    this.#rs = opts.remoteStatic ?? null

    const ownPre = opts.initiator ? pattern.pre.initiator : pattern.pre.responder
    const peerPre = opts.initiator ? pattern.pre.responder : pattern.pre.initiator
    const sendsStatic = ownPre.length > 0 || this.#ownMessages().some(tokens => tokens.includes('s'))
    if (sendsStatic && this.#s === null) throw new RangeError(`pattern ${pattern.name} needs a static key pair`)
    if (peerPre.length > 0 && this.#rs?.length !== DH_LENGTH) throw new RangeError(`pattern ${pattern.name} needs the peer's ${DH_LENGTH}-byte static key`)
    if (peerPre.length === 0 && this.#rs !== null) throw new RangeError(`pattern ${pattern.name} does not pre-share the peer's static key`)

    this.#usesPsk = pattern.messages.some(tokens => tokens.includes('psk'))
    this.#psks = opts.psks ?? []
    this.#checkPsks()

    this.#ss = SymmetricState.initialize(`Noise_${pattern.name}_${SUITE}`)
    this.#ss.mixHash(opts.prologue)
    if (pattern.pre.initiator.includes('s')) this.#ss.mixHash(opts.initiator ? this.#s!.publicKey : this.#rs!)
    if (pattern.pre.responder.includes('s')) this.#ss.mixHash(opts.initiator ? this.#rs! : this.#s!.publicKey)
  }

  get complete (): boolean {
    return this.#result !== null
  }

  get remoteStatic (): Uint8Array | null {
    return this.#rs
  }

  send (payload: Uint8Array = EMPTY): Uint8Array {
    const tokens = this.#expectTurn(true)
    try {
      const parts: Uint8Array[] = []
      for (const token of tokens) {
        if (token === 'e') {
          this.#e ??= generateKeyPair()
          parts.push(this.#e.publicKey)
          this.#ss.mixHash(this.#e.publicKey)
          if (this.#usesPsk) this.#ss.mixKey(this.#e.publicKey)
        } else if (token === 's') {
          parts.push(this.#ss.encryptAndHash(this.#s!.publicKey))
        } else if (token === 'psk') {
          this.#ss.mixKeyAndHash(this.#psks[this.#pskIndex]!)
        } else {
          this.#ss.mixKey(this.#dh(token))
        }
      }
      parts.push(this.#ss.encryptAndHash(payload))
      const message = Buffer.concat(parts)
      if (message.length > MAX_MESSAGE) throw new NoiseError('BAD_MESSAGE', `a handshake message is at most ${MAX_MESSAGE} bytes`)
      this.#advance()
      return message
    } catch (err) {
      this.#failed = true
      throw err
    }
  }

  /** Returns the decrypted payload; any failure is final and leaves the handshake unusable. */
  recv (message: Uint8Array): Uint8Array {
    const tokens = this.#expectTurn(false)
    try {
      if (message.length > MAX_MESSAGE) throw new NoiseError('BAD_MESSAGE', `a handshake message is at most ${MAX_MESSAGE} bytes`)
      const { state, payload } = this.#read(tokens, 0, this.#ss, message, 0)
      this.#ss = state
      this.#advance()
      return payload
    } catch (err) {
      this.#failed = true
      throw err
    }
  }

  result (): HandshakeResult {
    if (this.#result === null) throw new NoiseError('WRONG_STATE', 'the handshake is not complete')
    return this.#result
  }

  #read (tokens: readonly Token[], from: number, state: SymmetricState, message: Uint8Array, offset: number): { state: SymmetricState; payload: Uint8Array } {
    const take = (length: number): Uint8Array => {
      if (message.length - offset < length) throw new NoiseError('BAD_MESSAGE', 'handshake message too short')
      offset += length
      return message.subarray(offset - length, offset)
    }
    for (let i = from; i < tokens.length; i++) {
      const token = tokens[i]!
      if (token === 'e') {
        // Copied: the message buffer may be reused by the caller after recv returns.
        this.#re = Uint8Array.from(take(DH_LENGTH))
        state.mixHash(this.#re)
        if (this.#usesPsk) state.mixKey(this.#re)
      } else if (token === 's') {
        this.#rs = Uint8Array.from(state.decryptAndHash(take(state.hasKey() ? DH_LENGTH + 16 : DH_LENGTH)))
      } else if (token === 'psk') {
        return this.#tryPsks(tokens, i + 1, state, message, offset)
      } else {
        state.mixKey(this.#dh(token))
      }
    }
    return { state, payload: state.decryptAndHash(message.subarray(offset)) }
  }

  /** Each candidate runs on its own copy of the state; the first whose payload authenticates wins. */
  #tryPsks (tokens: readonly Token[], from: number, state: SymmetricState, message: Uint8Array, offset: number): { state: SymmetricState; payload: Uint8Array } {
    const candidates = this.#pskIndex >= 0 ? [this.#pskIndex] : this.#psks.map((_, index) => index)
    for (const index of candidates) {
      const trial = state.clone()
      trial.mixKeyAndHash(this.#psks[index]!)
      try {
        const outcome = this.#read(tokens, from, trial, message, offset)
        this.#pskIndex = index
        return outcome
      } catch (err) {
        if (!(err instanceof NoiseError && err.code === 'DECRYPT_FAILED')) throw err
      }
    }
    throw new NoiseError('NO_PSK_MATCH', 'no pre-shared key authenticates the handshake')
  }

  #dh (token: 'ee' | 'es' | 'se' | 'ss'): Uint8Array {
    const initiator = this.#initiator
    const [local, remote] =
      token === 'ee' ? [this.#e, this.#re]
        : token === 'ss' ? [this.#s, this.#rs]
          : (token === 'es') === initiator ? [this.#e, this.#rs] : [this.#s, this.#re]
    if (local === null || remote === null) throw new NoiseError('WRONG_STATE', `token ${token} needs a key the pattern has not provided`)
    try {
      return x25519(local.secretKey, remote)
    } catch {
      throw new NoiseError('BAD_KEY', 'the peer sent a low-order public key')
    }
  }

  #expectTurn (sending: boolean): readonly Token[] {
    if (this.#failed) throw new NoiseError('WRONG_STATE', 'the handshake already failed')
    const tokens = this.#pattern.messages[this.#next]
    if (tokens === undefined) throw new NoiseError('WRONG_STATE', 'the handshake is already complete')
    const ours = (this.#next % 2 === 0) === this.#initiator
    if (ours !== sending) throw new NoiseError('WRONG_STATE', sending ? 'it is the peer\'s turn to send' : 'it is our turn to send')
    return tokens
  }

  #advance (): void {
    this.#next++
    if (this.#next < this.#pattern.messages.length) return
    const [initiatorToResponder, responderToInitiator] = this.#ss.split()
    this.#result = {
      tx: this.#initiator ? initiatorToResponder : responderToInitiator,
      rx: this.#initiator ? responderToInitiator : initiatorToResponder,
      handshakeHash: this.#ss.handshakeHash,
      pskIndex: this.#pskIndex
    }
    if (this.#e !== null && !this.#fixedEphemeral) memzero(this.#e.secretKey)
    this.#e = null
  }

  #ownMessages (): (readonly Token[])[] {
    return this.#pattern.messages.filter((_, i) => (i % 2 === 0) === this.#initiator)
  }

  #checkPsks (): void {
    if (!this.#usesPsk) {
      if (this.#psks.length > 0) throw new RangeError(`pattern ${this.#pattern.name} takes no PSK`)
      return
    }
    if (this.#psks.length === 0) throw new RangeError(`pattern ${this.#pattern.name} needs a PSK`)
    if (this.#psks.some(psk => psk.length !== PSK_LENGTH)) throw new RangeError(`a PSK is ${PSK_LENGTH} bytes`)
    // A side that mixes in the PSK before it has read one cannot choose among candidates.
    const firstPskMessage = this.#pattern.messages.findIndex(tokens => tokens.includes('psk'))
    const writesFirst = (firstPskMessage % 2 === 0) === this.#initiator
    if (writesFirst) {
      if (this.#psks.length !== 1) throw new RangeError('the side that sends the PSK first takes exactly one PSK')
      this.#pskIndex = 0
    }
  }
}

export function generateKeyPair (): KeyPair {
  return keyPairFromSecret(randomBytes(DH_LENGTH))
}

export function keyPairFromSecret (secretKey: Uint8Array): KeyPair {
  return { publicKey: x25519Base(secretKey), secretKey }
}

function checkKeyPair (pair: KeyPair, what: string): KeyPair {
  if (pair.publicKey.length !== DH_LENGTH || pair.secretKey.length !== DH_LENGTH) throw new RangeError(`an X25519 ${what} key is ${DH_LENGTH} bytes`)
  return pair
}
