import { createRequire } from 'node:module'
import type SodiumNative from 'sodium-native'

/**
 * libsodium as a native addon: an Ed25519 check, the floor of every received message, takes ~52 µs
 * here against ~165 µs in libsodium's WebAssembly build (and ~107 µs in node:crypto with a cached
 * key object), and no call copies in and out of a wasm heap. The WebAssembly build
 * (core/crypto/sodium.ts), ~20 MiB and ~30 ms at start, is loaded only to seal or open a key
 * under a passphrase.
 */

// Loaded at first use rather than at start-up: its JavaScript takes ~12 ms to load, and a node
// starting up has neither a message nor a session yet.
const require = createRequire(import.meta.url)
let loaded: typeof SodiumNative | null = null
export function sodiumNative (): typeof SodiumNative {
  loaded ??= require('sodium-native') as typeof SodiumNative
  return loaded
}

/** False, never an exception, for a bad signature, a malformed key or wrong lengths. */
export function verifyDetached (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const sodium = sodiumNative()
  if (publicKey.length !== sodium.crypto_sign_PUBLICKEYBYTES || signature.length !== sodium.crypto_sign_BYTES) return false
  return sodium.crypto_sign_verify_detached(signature, message, publicKey)
}

export function signDetached (secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  const sodium = sodiumNative()
  if (secretKey.length !== sodium.crypto_sign_SECRETKEYBYTES) throw new RangeError(`an Ed25519 secret key is ${sodium.crypto_sign_SECRETKEYBYTES} bytes`)
  const signature = new Uint8Array(sodium.crypto_sign_BYTES)
  sodium.crypto_sign_detached(signature, message, secretKey)
  return signature
}

/** BLAKE2b with an output of `length` bytes (16 to 64), keyed when `key` is given. */
export function blake2b (length: number, input: Uint8Array, key?: Uint8Array): Uint8Array {
  const out = new Uint8Array(length)
  if (key === undefined) sodiumNative().crypto_generichash(out, input)
  else sodiumNative().crypto_generichash(out, input, key)
  return out
}

export function signKeyPair (): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const publicKey = new Uint8Array(32)
  const secretKey = new Uint8Array(64)
  sodiumNative().crypto_sign_keypair(publicKey, secretKey)
  return { publicKey, secretKey }
}

export function signSeedKeyPair (seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes')
  const publicKey = new Uint8Array(32)
  const secretKey = new Uint8Array(64)
  sodiumNative().crypto_sign_seed_keypair(publicKey, secretKey, seed)
  return { publicKey, secretKey }
}

/** Constant-time comparison; false for different lengths. */
export function constantTimeEqual (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodiumNative().sodium_memcmp(a, b)
}

export function memzero (bytes: Uint8Array): void {
  sodiumNative().sodium_memzero(bytes)
}

export function randomBytes (length: number): Uint8Array {
  const out = new Uint8Array(length)
  sodiumNative().randombytes_buf(out)
  return out
}

/** X25519; throws for a peer key of small order (the shared secret would be all zeros). */
export function x25519 (secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(32)
  sodiumNative().crypto_scalarmult(out, secretKey, publicKey)
  return out
}

export function x25519Base (secretKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(32)
  sodiumNative().crypto_scalarmult_base(out, secretKey)
  return out
}

/** The X25519 form of an Ed25519 public key; throws for a key that is not a valid point. */
export function ed25519PublicToX25519 (publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(32)
  sodiumNative().crypto_sign_ed25519_pk_to_curve25519(out, publicKey)
  return out
}

export function ed25519SecretToX25519 (secretKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(32)
  sodiumNative().crypto_sign_ed25519_sk_to_curve25519(out, secretKey)
  return out
}

/** Bytes a sealed box adds to what it holds: an ephemeral X25519 key and a tag. */
export const SEALED_BOX_OVERHEAD = 48

/** An anonymous box (libsodium `crypto_box_seal`) only the holder of the X25519 key pair of `publicKey` can open. */
export function sealTo (publicKey: Uint8Array, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(message.length + SEALED_BOX_OVERHEAD)
  sodiumNative().crypto_box_seal(out, message, publicKey)
  return out
}

/** What a sealed box holds, or null when it was not sealed to this key pair (or was altered). */
export function openSealed (box: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null {
  if (box.length < SEALED_BOX_OVERHEAD) return null
  const out = new Uint8Array(box.length - SEALED_BOX_OVERHEAD)
  return sodiumNative().crypto_box_seal_open(out, box, publicKey, secretKey) ? out : null
}
