// An identity to take to another machine (identity.export / identity.import): the secret key, the
// name and the address book, sealed together under a passphrase (sealed-key.ts: Argon2id and
// XChaCha20-Poly1305). Nothing of it, not even whose it is, can be read without the passphrase.
// A file comes from anywhere: everything in it is checked before it is used.
import { BitChatError } from '../api/errors.ts'
import { concatBytes } from '../codec/bytes.ts'
import { isHex } from '../codec/hex.ts'
import { memzero } from '../crypto/native.ts'
import { findNameProblem } from '../channel/name-rule.ts'
import { MAX_CONTACT_NOTES_CHARS, MAX_CONTACTS } from '../contacts/contact-limits.ts'
import { SECRET_KEY_BYTES } from './identity.ts'
import { MAX_SEALED_BYTES, openBytes, sealBytes } from './sealed-key.ts'

const MAGIC = new TextEncoder().encode('BitChat identity\0')
const FORMAT = 1
export const IDENTITY_FILE_EXTENSION = '.bitchat-identity'
export const MAX_IDENTITY_FILE_BYTES = MAGIC.length + 1 + MAX_SEALED_BYTES + 128

export interface ExportedContact { publicKey: string; name: string; theirName: string | null; notes: string; verified: boolean; blocked: boolean }
export interface IdentityFile { secretKey: Uint8Array; name: string; contacts: ExportedContact[] }

export async function encodeIdentityFile (content: IdentityFile, passphrase: string): Promise<Uint8Array> {
  const details = new TextEncoder().encode(JSON.stringify({ name: content.name, contacts: content.contacts }))
  const payload = concatBytes([content.secretKey, details])
  try {
    return concatBytes([MAGIC, Uint8Array.of(FORMAT), await sealBytes(payload, passphrase)])
  } finally {
    memzero(payload)
  }
}

/** Throws FILE_ERROR for something that is not an identity file, WRONG_PASSPHRASE for the wrong passphrase. */
export async function decodeIdentityFile (bytes: Uint8Array, passphrase: string): Promise<IdentityFile> {
  if (bytes.length > MAX_IDENTITY_FILE_BYTES) throw bad(`it is ${bytes.length} bytes, more than an identity file can be`)
  if (bytes.length < MAGIC.length + 1 || !MAGIC.every((b, i) => bytes[i] === b)) throw bad('it is not a BitChat identity file')
  if (bytes[MAGIC.length] !== FORMAT) throw bad(`it was made by a newer BitChat (format ${bytes[MAGIC.length]})`)
  const payload = await openBytes(bytes.subarray(MAGIC.length + 1), passphrase)
  if (payload.length < SECRET_KEY_BYTES) throw bad('it holds no key')
  const secretKey = payload.slice(0, SECRET_KEY_BYTES)
  let details: unknown
  try {
    details = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload.subarray(SECRET_KEY_BYTES)))
  } catch {
    throw bad('its details cannot be read')
  } finally {
    memzero(payload)
  }
  return { secretKey, ...checkDetails(details) }
}

function checkDetails (value: unknown): Omit<IdentityFile, 'secretKey'> {
  const d = value as { name?: unknown; contacts?: unknown }
  if (typeof d !== 'object' || d === null || typeof d.name !== 'string' || findNameProblem(d.name) !== null) throw bad('its name is not a valid name')
  if (!Array.isArray(d.contacts) || d.contacts.length > MAX_CONTACTS) throw bad('its address book is not a list of at most 10,000 contacts')
  const contacts = d.contacts.map((c: unknown, i): ExportedContact => {
    const x = c as Record<string, unknown>
    const ok = typeof x === 'object' && x !== null &&
      isHex(x.publicKey, 32) &&
      typeof x.name === 'string' && (x.name === '' || findNameProblem(x.name) === null) &&
      (x.theirName === null || (typeof x.theirName === 'string' && findNameProblem(x.theirName) === null)) &&
      typeof x.notes === 'string' && x.notes.length <= MAX_CONTACT_NOTES_CHARS &&
      typeof x.verified === 'boolean' && typeof x.blocked === 'boolean'
    if (!ok) throw bad(`contact ${i + 1} of its address book is malformed`)
    return { publicKey: x.publicKey as string, name: x.name as string, theirName: x.theirName as string | null, notes: x.notes as string, verified: x.verified as boolean, blocked: x.blocked as boolean }
  })
  return { name: d.name, contacts }
}

function bad (problem: string): BitChatError {
  return new BitChatError('FILE_ERROR', `This identity file cannot be used: ${problem}.`)
}
