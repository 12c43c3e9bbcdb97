import { createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { NoiseError } from './noise-error.ts'

export const KEY_LENGTH = 32
export const TAG_LENGTH = 16
const MAX_NONCE = 0xffffffffffffffffn
const EMPTY = new Uint8Array(0)
const ZERO_KEY = new Uint8Array(KEY_LENGTH)

/**
 * Noise CipherState with ChaChaPoly: ChaCha20-Poly1305 (IETF), nonce = 4 zero bytes ‖ u64le(n).
 * Encryption runs in node:crypto (OpenSSL), which is several times faster than libsodium's wasm.
 */
export class CipherState {
  #key: KeyObject | null = null
  #n = 0n
  // createCipheriv copies the IV, so one scratch buffer per state is safe to reuse.
  readonly #iv = Buffer.alloc(12)

  constructor (key?: Uint8Array) {
    if (key !== undefined) this.initializeKey(key)
  }

  initializeKey (key: Uint8Array | null): void {
    if (key !== null && key.length !== KEY_LENGTH) throw new RangeError(`a cipher key is ${KEY_LENGTH} bytes`)
    this.#key = key === null ? null : createSecretKey(key)
    this.#n = 0n
  }

  hasKey (): boolean {
    return this.#key !== null
  }

  get nonce (): bigint {
    return this.#n
  }

  setNonce (n: bigint): void {
    if (n < 0n || n > MAX_NONCE) throw new RangeError('a nonce is a u64')
    this.#n = n
  }

  /** Without a key the plaintext passes through unchanged, as the Noise spec requires during the handshake. */
  encryptWithAd (ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    if (this.#key === null) return plaintext
    const [body, tag] = this.encryptParts(ad, plaintext)
    return Buffer.concat([body, tag], body.length + TAG_LENGTH)
  }

  /** ENCRYPT as ciphertext body and tag apart, so a sender can write them without joining them (a 64 KiB copy per frame). */
  encryptParts (ad: Uint8Array, plaintext: Uint8Array): [Buffer, Buffer] {
    if (this.#key === null) throw new NoiseError('WRONG_STATE', 'cannot encrypt in parts without a key')
    if (this.#n === MAX_NONCE) throw new NoiseError('NONCE_EXHAUSTED', 'the cipher has used every nonce')
    const parts = seal(this.#key, this.#ivFor(this.#n), ad, plaintext)
    this.#n++
    return parts
  }

  /** Leaves the nonce untouched when authentication fails, as the spec requires. */
  decryptWithAd (ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    if (this.#key === null) return ciphertext
    if (this.#n === MAX_NONCE) throw new NoiseError('NONCE_EXHAUSTED', 'the cipher has used every nonce')
    if (ciphertext.length < TAG_LENGTH) throw new NoiseError('DECRYPT_FAILED', 'ciphertext shorter than its tag')
    const out = open(this.#key, this.#ivFor(this.#n), ad, ciphertext)
    this.#n++
    return out
  }

  /** Noise Rekey(): k = ENCRYPT(k, 2^64-1, "", 32 zero bytes)[0..32]; the counter keeps running. */
  rekey (): void {
    if (this.#key === null) throw new NoiseError('WRONG_STATE', 'cannot rekey a cipher without a key')
    const next = seal(this.#key, this.#ivFor(MAX_NONCE), EMPTY, ZERO_KEY)[0].subarray(0, KEY_LENGTH)
    this.#key = createSecretKey(next)
  }

  clone (): CipherState {
    const copy = new CipherState()
    copy.#key = this.#key
    copy.#n = this.#n
    return copy
  }

  #ivFor (n: bigint): Buffer {
    this.#iv.writeBigUInt64LE(n, 4)
    return this.#iv
  }
}

function seal (key: KeyObject, iv: Buffer, ad: Uint8Array, plaintext: Uint8Array): [Buffer, Buffer] {
  const cipher = createCipheriv('chacha20-poly1305', key, iv, { authTagLength: TAG_LENGTH })
  if (ad.length > 0) cipher.setAAD(ad, { plaintextLength: plaintext.length })
  const body = cipher.update(plaintext)
  cipher.final()
  return [body, cipher.getAuthTag()]
}

function open (key: KeyObject, iv: Buffer, ad: Uint8Array, ciphertext: Uint8Array): Buffer {
  const bodyLength = ciphertext.length - TAG_LENGTH
  const decipher = createDecipheriv('chacha20-poly1305', key, iv, { authTagLength: TAG_LENGTH })
  decipher.setAuthTag(ciphertext.subarray(bodyLength))
  if (ad.length > 0) decipher.setAAD(ad, { plaintextLength: bodyLength })
  const body = decipher.update(ciphertext.subarray(0, bodyLength))
  try {
    decipher.final()
  } catch {
    throw new NoiseError('DECRYPT_FAILED', 'authentication failed')
  }
  return body
}
