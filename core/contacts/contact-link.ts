// The contact link (PROTOCOL §1.5): someone's public key as text to paste in a message or scan, with a
// suggested name and a check that catches a key cut short or mistyped. Anyone can write any name into
// a link, so the name is only a suggestion: the key is the contact.
import { BitChatError } from '../api/errors.ts'
import { fromHex, isHex, toHex } from '../codec/hex.ts'
import { parseLinkQuery, toLinkQuery } from '../codec/link-query.ts'
import { blake2b } from '../crypto/native.ts'
import { PUBLIC_KEY_BYTES } from '../identity/identity.ts'
import { findNameProblem, describeNameProblem } from '../channel/name-rule.ts'

export const CONTACT_LINK_PREFIX = 'bitchat:contact?'
export const CONTACT_LINK_VERSION = 1
/** A 64-character name percent-encodes to at most 64 × 12 bytes; with the rest, well under this. */
export const MAX_CONTACT_LINK_BYTES = 1024
const CHECK_BYTES = 4
const KEYS = new Set(['v', 'k', 'n', 'x'])

export interface ContactLink { publicKey: Uint8Array; name: string }

export function isContactLink (text: string): boolean {
  return text.slice(0, CONTACT_LINK_PREFIX.length).toLowerCase() === CONTACT_LINK_PREFIX
}

export function toContactLink ({ publicKey, name }: ContactLink): string {
  return CONTACT_LINK_PREFIX + toLinkQuery([
    ['v', String(CONTACT_LINK_VERSION)],
    ['k', toHex(publicKey)],
    ['n', name],
    ['x', toHex(checkOf(publicKey))]
  ])
}

/** Throws INVALID_URI naming the first problem found. */
export function parseContactLink (link: string): ContactLink {
  if (typeof link !== 'string') throw invalid('not a string')
  const text = link.trim()
  if (text.length > MAX_CONTACT_LINK_BYTES) throw invalid(`longer than ${MAX_CONTACT_LINK_BYTES} bytes`)
  if (!/^[\x21-\x7e]*$/.test(text)) throw invalid('characters other than printable ASCII')
  if (!isContactLink(text)) throw invalid(`does not start with ${CONTACT_LINK_PREFIX}`)
  const values = new Map<string, string>()
  for (const [key, value] of parseLinkQuery(text.slice(CONTACT_LINK_PREFIX.length), invalid)) {
    if (!KEYS.has(key)) throw invalid(`unknown parameter ${JSON.stringify(key.slice(0, 16))}`)
    if (values.has(key)) throw invalid(`${key} given more than once`)
    values.set(key, value)
  }
  const get = (key: string): string => {
    const value = values.get(key)
    if (value === undefined) throw invalid(`missing ${key}`)
    return value
  }
  const version = get('v')
  if (version !== String(CONTACT_LINK_VERSION)) throw invalid(`unknown version ${JSON.stringify(version.slice(0, 16))}`)
  const keyHex = get('k')
  if (!isHex(keyHex, PUBLIC_KEY_BYTES)) throw invalid(`k must be ${PUBLIC_KEY_BYTES * 2} lowercase hex characters`)
  const checkHex = get('x')
  if (!isHex(checkHex, CHECK_BYTES)) throw invalid(`x must be ${CHECK_BYTES * 2} lowercase hex characters`)
  const publicKey = fromHex(keyHex)
  if (checkHex !== toHex(checkOf(publicKey))) throw invalid('the key in this link was changed or cut short: ask for the link again')
  const name = get('n')
  const problem = findNameProblem(name)
  if (problem !== null) throw invalid(describeNameProblem(problem, 'n'))
  return { publicKey, name }
}

function checkOf (publicKey: Uint8Array): Uint8Array {
  return blake2b(16, publicKey).subarray(0, CHECK_BYTES)
}

function invalid (problem: string): BitChatError {
  return BitChatError.invalidUri(problem)
}
