// The part of sodium-native 5 (libsodium through N-API) that the session's cipher uses. The package ships no types.
declare module 'sodium-native' {
  interface SodiumNative {
    /** Seals `m` into `c` (same length; may be `m` itself) and its 16-byte tag into `mac`. */
    crypto_aead_chacha20poly1305_ietf_encrypt_detached (c: Uint8Array, mac: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array): number
    /** Opens `c` into `m` (same length; may be `c` itself); throws, with `m` zeroed, when the tag does not match. */
    crypto_aead_chacha20poly1305_ietf_decrypt_detached (m: Uint8Array, nsec: null, c: Uint8Array, mac: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array): void
    sodium_memzero (buf: Uint8Array): void
  }
  const sodium: SodiumNative
  export default sodium
}
