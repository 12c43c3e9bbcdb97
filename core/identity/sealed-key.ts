// The identity's secret key at rest under a passphrase: Argon2id stretches the passphrase,
// XChaCha20-Poly1305 seals the key. The blob carries its own KDF parameters so they can be
// raised later; a hostile or damaged file is bounded before any memory is committed to it.
import { BitChatError } from '../api/errors.ts'
import type Sodium from 'libsodium-wrappers-sumo'
import { loadSodium } from '../crypto/sodium.ts'
import { SECRET_KEY_BYTES } from './identity.ts'

// u8 version ‖ salt ‖ u32be opslimit ‖ u32be memlimit ‖ nonce ‖ ciphertext (key + tag).
// The header before the ciphertext is the AEAD's associated data.
const VERSION = 1
// libsodium's constants, written out so the format's sizes are known before libsodium is loaded.
const SALT_BYTES = 16
const NONCE_BYTES = 24
const TAG_BYTES = 16
const SALT_AT = 1
const OPSLIMIT_AT = SALT_AT + SALT_BYTES
const MEMLIMIT_AT = OPSLIMIT_AT + 4
const NONCE_AT = MEMLIMIT_AT + 4
const HEADER_BYTES = NONCE_AT + NONCE_BYTES
const SEALED_KEY_BYTES = HEADER_BYTES + SECRET_KEY_BYTES + TAG_BYTES
/** The most sealBytes takes: an exported identity with a full address book fits. */
export const MAX_SEALED_BYTES = 8 * 1024 * 1024


export async function sealSecretKey (secretKey: Uint8Array, passphrase: string): Promise<Uint8Array> {
  if (secretKey.length !== SECRET_KEY_BYTES) throw new RangeError(`an identity secret key is ${SECRET_KEY_BYTES} bytes, not ${secretKey.length}`)
  return await sealBytes(secretKey, passphrase)
}

/** Seals any bytes (an exported identity) the same way; bounded by MAX_SEALED_BYTES. */
export async function sealBytes (plaintext: Uint8Array, passphrase: string): Promise<Uint8Array> {
  const sodium = await loadSodium()
  if (plaintext.length > MAX_SEALED_BYTES) throw new RangeError(`at most ${MAX_SEALED_BYTES} bytes are sealed, not ${plaintext.length}`)
  if (passphrase === '') throw BitChatError.invalidParams('the passphrase must not be empty')
  const blob = new Uint8Array(HEADER_BYTES + plaintext.length + TAG_BYTES)
  const view = new DataView(blob.buffer)
  blob[0] = VERSION
  blob.set(sodium.randombytes_buf(SALT_BYTES), SALT_AT)
  view.setUint32(OPSLIMIT_AT, sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE)
  view.setUint32(MEMLIMIT_AT, sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE)
  blob.set(sodium.randombytes_buf(NONCE_BYTES), NONCE_AT)
  const header = blob.subarray(0, HEADER_BYTES)
  const key = deriveKey(sodium, passphrase, header)
  try {
    blob.set(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, header, null, nonceOf(header), key), HEADER_BYTES)
  } finally {
    sodium.memzero(key)
  }
  return blob
}

/** Throws WRONG_PASSPHRASE when the passphrase (or the sealed bytes) is wrong, FILE_ERROR when the blob is malformed. */
export async function openSecretKey (blob: Uint8Array, passphrase: string): Promise<Uint8Array> {
  if (blob.length !== SEALED_KEY_BYTES) throw malformed(`${blob.length} bytes instead of ${SEALED_KEY_BYTES}`)
  return await openBytes(blob, passphrase)
}

/** Opens what sealBytes sealed: WRONG_PASSPHRASE for a wrong passphrase or altered bytes, FILE_ERROR for a malformed blob. */
export async function openBytes (blob: Uint8Array, passphrase: string): Promise<Uint8Array> {
  const sodium = await loadSodium()
  if (blob.length < HEADER_BYTES + TAG_BYTES || blob.length > HEADER_BYTES + MAX_SEALED_BYTES + TAG_BYTES) throw malformed(`${blob.length} bytes`)
  if (blob[0] !== VERSION) throw malformed(`unknown version ${blob[0]}`)
  const header = blob.subarray(0, HEADER_BYTES)
  const key = deriveKey(sodium, passphrase, header)
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, blob.subarray(HEADER_BYTES), header, nonceOf(header), key)
  } catch {
    throw new BitChatError('WRONG_PASSPHRASE', 'wrong passphrase')
  } finally {
    sodium.memzero(key)
  }
}

function deriveKey (sodium: typeof Sodium, passphrase: string, header: Uint8Array): Uint8Array {
  // At most ~1.5 s and 256 MiB to try a passphrase, whatever the blob asks for.
  const maxOpslimit = sodium.crypto_pwhash_OPSLIMIT_SENSITIVE
  const maxMemlimit = sodium.crypto_pwhash_MEMLIMIT_MODERATE
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength)
  const opslimit = view.getUint32(OPSLIMIT_AT)
  const memlimit = view.getUint32(MEMLIMIT_AT)
  if (opslimit < sodium.crypto_pwhash_OPSLIMIT_MIN || opslimit > maxOpslimit) throw malformed(`opslimit ${opslimit} out of range`)
  if (memlimit < sodium.crypto_pwhash_MEMLIMIT_MIN || memlimit > maxMemlimit) throw malformed(`memlimit ${memlimit} out of range`)
  // NFC so that the same passphrase typed through different input methods gives the same key.
  return sodium.crypto_pwhash(
    sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
    passphrase.normalize('NFC'),
    header.subarray(SALT_AT, SALT_AT + SALT_BYTES),
    opslimit,
    memlimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13
  )
}

function nonceOf (header: Uint8Array): Uint8Array {
  return header.subarray(NONCE_AT, NONCE_AT + NONCE_BYTES)
}

function malformed (problem: string): BitChatError {
  return new BitChatError('FILE_ERROR', `sealed identity data is malformed: ${problem}`)
}
