// The `bitchat:` link (PROTOCOL §1.2): the same descriptor as the `.chat` file, as text
// that fits in a chat message or a QR code. Links arrive from strangers: parsing is strict.
import { BitChatError } from '../api/errors.ts'
import { fromHex, isHex, toHex } from '../codec/hex.ts'
import { parseLinkQuery, toLinkQuery } from '../codec/link-query.ts'
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '../identity/identity.ts'
import { FORMAT_VERSION, isChannelMode, SECRET_BYTES, validateDescriptor } from './descriptor.ts'
import { hasValidGenesisSignature } from './genesis.ts'
import type { ChannelDescriptor } from './descriptor.ts'

// Three times the largest .chat file: hex keys double and percent-encoding at most triples each byte, so every valid channel fits in a link.
export const MAX_CHANNEL_URI_BYTES = 3 * 65536

const PREFIX = 'bitchat:?'
const SINGLE_KEYS = new Set(['v', 'n', 's', 'm', 't', 'c', 'sig'])
const UNIX_SECONDS = /^(?:0|[1-9][0-9]{0,15})$/

/**
 * Trackers are flattened, one tier each (the signature does not cover them). Throws FORBIDDEN for an
 * unsigned channel: no one could check it.
 */
export function toChannelUri (d: ChannelDescriptor): string {
  validateDescriptor(d, problem => BitChatError.invalidParams(`channel ${problem}`))
  if (d.signature === null) throw unsignedShare()
  const pairs: Array<[string, string]> = [
    ['v', String(d.version)],
    ['n', d.name],
    ['s', toHex(d.secret)],
    ['m', d.mode],
    ['t', String(d.created)],
    ['c', toHex(d.creator)],
    ...d.trackers.flat().map((url): [string, string] => ['tr', url]),
    ...d.members.map((key): [string, string] => ['k', toHex(key)]),
    ['sig', toHex(d.signature)]
  ]
  const uri = PREFIX + toLinkQuery(pairs)
  if (uri.length > MAX_CHANNEL_URI_BYTES) {
    throw BitChatError.invalidUri(`it would be ${uri.length} bytes, above ${MAX_CHANNEL_URI_BYTES}: share the .chat file instead`)
  }
  return uri
}

/** Throws INVALID_URI naming the first problem found. */
export function parseChannelUri (uri: string): ChannelDescriptor {
  if (typeof uri !== 'string') throw invalid('not a string')
  if (uri.length > MAX_CHANNEL_URI_BYTES) throw invalid(`longer than ${MAX_CHANNEL_URI_BYTES} bytes`)
  if (!/^[\x21-\x7e]*$/.test(uri)) throw invalid('characters other than printable ASCII')
  if (uri.slice(0, PREFIX.length).toLowerCase() !== PREFIX) throw invalid(`does not start with ${PREFIX}`)
  const pairs = parseLinkQuery(uri.slice(PREFIX.length), invalid)

  // The version comes first so that a newer link reports its version, not its new parameters.
  const versions = pairs.filter(([key]) => key === 'v')
  if (versions.length !== 1) throw invalid(versions.length === 0 ? 'missing v' : 'v given more than once')
  if (versions[0]![1] === '1' || versions[0]![1] === '2') throw invalid('it was made by an older BitChat and its creator\'s signature cannot be checked: ask for a new invite')
  if (versions[0]![1] !== String(FORMAT_VERSION)) throw invalid(`unknown version ${JSON.stringify(versions[0]![1].slice(0, 16))}`)

  const single = new Map<string, string>()
  const trackers: string[][] = []
  const members: Uint8Array[] = []
  for (const [key, value] of pairs) {
    if (key === 'tr') trackers.push([value])
    else if (key === 'k') members.push(hexKey(value, 'k', PUBLIC_KEY_BYTES))
    else if (!SINGLE_KEYS.has(key)) throw invalid(`unknown parameter ${JSON.stringify(key.slice(0, 16))}`)
    else if (single.has(key)) throw invalid(`${key} given more than once`)
    else single.set(key, value)
  }
  const get = (key: string): string => {
    const value = single.get(key)
    if (value === undefined) throw invalid(`missing ${key}`)
    return value
  }

  const mode = get('m')
  if (!isChannelMode(mode)) throw invalid(`m must be open or invite, not ${JSON.stringify(mode.slice(0, 16))}`)
  const created = get('t')
  if (!UNIX_SECONDS.test(created)) throw invalid('t must be Unix seconds in decimal')
  const signature = hexKey(get('sig'), 'sig', SIGNATURE_BYTES)
  const d: ChannelDescriptor = {
    version: FORMAT_VERSION,
    name: get('n'),
    trackers,
    secret: hexKey(get('s'), 's', SECRET_BYTES),
    mode,
    created: Number(created),
    creator: hexKey(get('c'), 'c', PUBLIC_KEY_BYTES),
    members,
    signature
  }
  validateDescriptor(d, invalid)
  if (!hasValidGenesisSignature(d, signature)) throw BitChatError.invitationAltered('link')
  return d
}

/** Why a channel without its creator's signature (stored before format 3 by another node) cannot be shared. */
export function unsignedShare (): BitChatError {
  return new BitChatError('FORBIDDEN', 'this channel was made by an older BitChat and carries no signature of its creator: ask its creator to share it again')
}

function invalid (problem: string): BitChatError {
  return BitChatError.invalidUri(problem)
}

function hexKey (value: string, key: string, bytes: number): Uint8Array {
  if (!isHex(value, bytes)) throw invalid(`${key} must be ${bytes * 2} lowercase hex characters`)
  return fromHex(value)
}
