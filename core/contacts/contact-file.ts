// The contact file (PROTOCOL §1.5): someone's public key as a small text file to send or carry, with
// a suggested name and the key's fingerprint, so a key cut short or edited is refused. It reads in a
// text editor as what it is: the fingerprint line is what a person compares out of band.
import { BitChatError } from '../api/errors.ts'
import { describeNameProblem, findNameProblem } from '../channel/name-rule.ts'
import { fromHex, isHex, toHex } from '../codec/hex.ts'
import { fingerprintOf } from '../identity/fingerprint.ts'
import { PUBLIC_KEY_BYTES } from '../identity/identity.ts'
import { CONTACT_FILE_EXTENSION, MAX_CONTACT_FILE_BYTES } from './contact-limits.ts'
import type { ContactLink } from './contact-link.ts'
import { safeFileStem } from '../codec/file-name.ts'

const MAGIC = 'bitchat-contact'
export const CONTACT_FILE_VERSION = 1
const FIELDS = ['key', 'name', 'fingerprint'] as const

export function toContactFile ({ publicKey, name }: ContactLink): string {
  return [`${MAGIC} ${CONTACT_FILE_VERSION}`, `key: ${toHex(publicKey)}`, `name: ${name}`, `fingerprint: ${fingerprintOf(publicKey)}`, ''].join('\n')
}

/** `Name.bitchat-contact`, safe on every common file system. */
export function contactFileName (name: string): string {
  return safeFileStem(name, 'contact') + CONTACT_FILE_EXTENSION
}

/** Throws INVALID_CONTACT_FILE naming the first problem found. */
export function parseContactFile (text: string): ContactLink {
  if (typeof text !== 'string') throw invalid('not text')
  if (Buffer.byteLength(text) > MAX_CONTACT_FILE_BYTES) throw invalid(`larger than ${MAX_CONTACT_FILE_BYTES} bytes`)
  // Editors on Windows may add a byte-order mark and CRLF line ends.
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  const header = lines[0] ?? ''
  if (!header.startsWith(`${MAGIC} `)) throw invalid('it is not a BitChat contact file')
  const version = header.slice(MAGIC.length + 1)
  if (version !== String(CONTACT_FILE_VERSION)) throw invalid(`unknown version ${JSON.stringify(version.slice(0, 16))}: it was made by another version of BitChat`)
  if (lines.length !== FIELDS.length + 1) throw invalid(`it has ${lines.length} lines, not ${FIELDS.length + 1}`)
  const values = FIELDS.map((field, i) => {
    const line = lines[i + 1]!
    if (!line.startsWith(`${field}: `)) throw invalid(`line ${i + 2} must start with "${field}: "`)
    return line.slice(field.length + 2)
  })
  const [keyHex, name, fingerprint] = values as [string, string, string]
  if (!isHex(keyHex, PUBLIC_KEY_BYTES)) throw invalid(`key must be ${PUBLIC_KEY_BYTES * 2} lowercase hex characters: it was changed or cut short`)
  const publicKey = fromHex(keyHex)
  if (fingerprint !== fingerprintOf(publicKey)) throw invalid('the key in this file does not match its fingerprint: it was changed or cut short, ask for the file again')
  const problem = findNameProblem(name)
  if (problem !== null) throw invalid(describeNameProblem(problem, 'name'))
  return { publicKey, name }
}

function invalid (problem: string): BitChatError {
  return new BitChatError('INVALID_CONTACT_FILE', `invalid contact file: ${problem}`)
}
