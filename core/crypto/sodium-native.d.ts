// The part of sodium-native 5 that core/crypto/native.ts uses. The package ships no types.
declare module 'sodium-native' {
  const sodium: {
    crypto_sign_BYTES: number
    crypto_sign_PUBLICKEYBYTES: number
    crypto_sign_SECRETKEYBYTES: number
    /** Throws (an assertion) on wrong lengths; false for a signature that does not verify. */
    crypto_sign_verify_detached (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
    crypto_sign_detached (signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void
    crypto_generichash (output: Uint8Array, input: Uint8Array, key?: Uint8Array): void
  }
  export default sodium
}
