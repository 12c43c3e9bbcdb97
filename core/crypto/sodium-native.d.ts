// The part of sodium-native 5 (libsodium through N-API) that core uses. The package ships no types.
declare module 'sodium-native' {
  interface SodiumNative {
    crypto_sign_BYTES: number
    crypto_sign_PUBLICKEYBYTES: number
    crypto_sign_SECRETKEYBYTES: number
    /** Throws (an assertion) on wrong lengths; false for a signature that does not verify. */
    crypto_sign_verify_detached (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
    crypto_sign_detached (signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void
    crypto_generichash (output: Uint8Array, input: Uint8Array, key?: Uint8Array): void
    /** Seals `m` into `c` (same length; may be `m` itself) and its 16-byte tag into `mac`. */
    crypto_aead_chacha20poly1305_ietf_encrypt_detached (c: Uint8Array, mac: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array): number
    /** Opens `c` into `m` (same length; may be `c` itself); throws, with `m` zeroed, when the tag does not match. */
    crypto_aead_chacha20poly1305_ietf_decrypt_detached (m: Uint8Array, nsec: null, c: Uint8Array, mac: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array): void
    sodium_memzero (buf: Uint8Array): void
    /** Constant time; throws (an assertion) when the lengths differ. */
    sodium_memcmp (a: Uint8Array, b: Uint8Array): boolean
    randombytes_buf (buf: Uint8Array): void
    crypto_sign_keypair (publicKey: Uint8Array, secretKey: Uint8Array): void
    crypto_sign_seed_keypair (publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void
    crypto_sign_ed25519_pk_to_curve25519 (x25519PublicKey: Uint8Array, ed25519PublicKey: Uint8Array): void
    crypto_sign_ed25519_sk_to_curve25519 (x25519SecretKey: Uint8Array, ed25519SecretKey: Uint8Array): void
    /** Throws for a point of small order (an all-zero result). */
    crypto_scalarmult (q: Uint8Array, n: Uint8Array, p: Uint8Array): void
    crypto_scalarmult_base (q: Uint8Array, n: Uint8Array): void
    crypto_box_SEALBYTES: number
    crypto_box_seal (c: Uint8Array, m: Uint8Array, pk: Uint8Array): void
    /** False when the box was not sealed to this key pair, or was altered. */
    crypto_box_seal_open (m: Uint8Array, c: Uint8Array, pk: Uint8Array, sk: Uint8Array): boolean
  }
  const sodium: SodiumNative
  export default sodium
}
