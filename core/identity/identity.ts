// The user's long-term Ed25519 identity: it signs every message and is bound to each
// session's Noise static key (PROTOCOL §3.2), so a peer is known by its public key alone.
import { constantTimeEqual, signDetached as nativeSign, signKeyPair, signSeedKeyPair, verifyDetached as nativeVerify } from '../crypto/native.ts'

export interface Identity {
  publicKey: Uint8Array
  /** libsodium's 64-byte form: the 32-byte seed followed by the public key. */
  secretKey: Uint8Array
}

export const PUBLIC_KEY_BYTES = 32
export const SECRET_KEY_BYTES = 64
export const SIGNATURE_BYTES = 64

export function generateIdentity (): Identity {
  return signKeyPair()
}

/** Rebuilds an identity from a stored secret key; throws RangeError if the key is damaged. */
export function identityFromSecretKey (secretKey: Uint8Array): Identity {
  if (secretKey.length !== SECRET_KEY_BYTES) throw new RangeError(`an identity secret key is ${SECRET_KEY_BYTES} bytes, not ${secretKey.length}`)
  const { publicKey, secretKey: privateKey } = signSeedKeyPair(secretKey.subarray(0, 32))
  if (!constantTimeEqual(publicKey, secretKey.subarray(32))) {
    throw new RangeError('identity secret key is damaged: its public half does not match its seed')
  }
  return { publicKey, secretKey: privateKey }
}

export function signDetached (identity: Identity, message: Uint8Array): Uint8Array {
  return nativeSign(identity.secretKey, message)
}

/** False, never an exception, for a bad signature, a malformed key or wrong lengths. */
export function verifyDetached (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return nativeVerify(publicKey, message, signature)
}
