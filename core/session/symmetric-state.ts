import { blake2b } from '../crypto/native.ts'
import { concatBytes } from '../codec/bytes.ts'
import { CipherState, KEY_LENGTH } from './cipher-state.ts'

export const HASH_LENGTH = 64
const BLOCK_LENGTH = 128
const EMPTY = new Uint8Array(0)

function hash (data: Uint8Array): Uint8Array {
  return blake2b(HASH_LENGTH, data)
}

/** HMAC (RFC 2104) over unkeyed BLAKE2b-512, as Noise defines it; not BLAKE2b's own keyed mode. */
export function hmacBlake2b (key: Uint8Array, data: Uint8Array): Uint8Array {
  const block = new Uint8Array(BLOCK_LENGTH)
  block.set(key.length > BLOCK_LENGTH ? hash(key) : key)
  const inner = new Uint8Array(BLOCK_LENGTH + data.length)
  const outer = new Uint8Array(BLOCK_LENGTH + HASH_LENGTH)
  for (let i = 0; i < BLOCK_LENGTH; i++) {
    inner[i] = block[i]! ^ 0x36
    outer[i] = block[i]! ^ 0x5c
  }
  inner.set(data, BLOCK_LENGTH)
  outer.set(hash(inner), BLOCK_LENGTH)
  return hash(outer)
}

/** Noise HKDF: up to three HASH_LENGTH outputs chained from one HMAC-extracted key. */
export function hkdf (chainingKey: Uint8Array, inputKeyMaterial: Uint8Array, count: 2 | 3): Uint8Array[] {
  const tempKey = hmacBlake2b(chainingKey, inputKeyMaterial)
  const outputs: Uint8Array[] = []
  let previous: Uint8Array = EMPTY
  for (let i = 1; i <= count; i++) {
    const input = new Uint8Array(previous.length + 1)
    input.set(previous)
    input[previous.length] = i
    previous = hmacBlake2b(tempKey, input)
    outputs.push(previous)
  }
  return outputs
}

/**
 * Noise SymmetricState for BLAKE2b. ck and h are replaced, never mutated, so a clone can
 * share them; that makes trying several PSKs on copies cheap.
 */
export class SymmetricState {
  #ck: Uint8Array
  #h: Uint8Array
  #cipher: CipherState

  private constructor (ck: Uint8Array, h: Uint8Array, cipher: CipherState) {
    this.#ck = ck
    this.#h = h
    this.#cipher = cipher
  }

  static initialize (protocolName: string): SymmetricState {
    const name = new TextEncoder().encode(protocolName)
    let h: Uint8Array
    if (name.length <= HASH_LENGTH) {
      h = new Uint8Array(HASH_LENGTH)
      h.set(name)
    } else {
      h = hash(name)
    }
    return new SymmetricState(h, h, new CipherState())
  }

  get handshakeHash (): Uint8Array {
    return this.#h
  }

  hasKey (): boolean {
    return this.#cipher.hasKey()
  }

  mixHash (data: Uint8Array): void {
    this.#h = hash(concatBytes([this.#h, data]))
  }

  mixKey (inputKeyMaterial: Uint8Array): void {
    const [ck, tempKey] = hkdf(this.#ck, inputKeyMaterial, 2) as [Uint8Array, Uint8Array]
    this.#ck = ck
    this.#cipher.initializeKey(tempKey.subarray(0, KEY_LENGTH))
  }

  mixKeyAndHash (inputKeyMaterial: Uint8Array): void {
    const [ck, tempHash, tempKey] = hkdf(this.#ck, inputKeyMaterial, 3) as [Uint8Array, Uint8Array, Uint8Array]
    this.#ck = ck
    this.mixHash(tempHash)
    this.#cipher.initializeKey(tempKey.subarray(0, KEY_LENGTH))
  }

  encryptAndHash (plaintext: Uint8Array): Uint8Array {
    const ciphertext = this.#cipher.encryptWithAd(this.#h, plaintext)
    this.mixHash(ciphertext)
    return ciphertext
  }

  decryptAndHash (ciphertext: Uint8Array): Uint8Array {
    const plaintext = this.#cipher.decryptWithAd(this.#h, ciphertext)
    this.mixHash(ciphertext)
    return plaintext
  }

  /** Returns the initiator-to-responder cipher first. */
  split (): [CipherState, CipherState] {
    const [k1, k2] = hkdf(this.#ck, EMPTY, 2) as [Uint8Array, Uint8Array]
    return [new CipherState(k1.subarray(0, KEY_LENGTH)), new CipherState(k2.subarray(0, KEY_LENGTH))]
  }

  clone (): SymmetricState {
    return new SymmetricState(this.#ck, this.#h, this.#cipher.clone())
  }
}
