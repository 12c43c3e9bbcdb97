import { createRequire } from 'node:module'
import type SodiumNative from 'sodium-native'

/**
 * libsodium as a native addon, for the work done once per received message or frame: an Ed25519
 * check takes ~52 µs here against ~165 µs in libsodium's WebAssembly build (and ~107 µs in
 * node:crypto with a cached key object), and a BLAKE2b call skips the copies in and out of the
 * wasm heap. The wasm build (core/crypto/sodium.ts) stays for what native libsodium is not needed for.
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
