// The `.chat` file (PROTOCOL §1.1): a bencoded dictionary that is everything needed to
// join a channel. Files arrive from strangers, so parsing is strict and bounded.
import { BitChatError } from '../api/errors.ts'
import { BencodeError, decode, encode } from '../codec/bencode.ts'
import type { BDict, BValue } from '../codec/bencode.ts'
import { toHex } from '../codec/hex.ts'
import { utf8DecodeStrict, utf8Encode } from '../codec/utf8.ts'
import { descriptorCheck, hasValidCheck } from './descriptor-check.ts'
import { FORMAT_VERSION, isChannelMode, SECRET_BYTES, validateDescriptor } from './descriptor.ts'
import { trackerUrlProblem } from './tracker-url.ts'
import type { ChannelDescriptor } from './descriptor.ts'

export type { ChannelDescriptor } from './descriptor.ts'

export const MAX_CHAT_FILE_BYTES = 65536

const KEYS = new Set(['bitchat', 'name', 'announce', 'announce-list', 'secret', 'mode', 'created', 'creator', 'members', 'check'])
/** Format 1 had no check: only the node's own database still holds such files. */
const UNCHECKED_VERSION = 1
// dictionary > announce-list > tier; the largest valid file holds about 1,150 items.
const DECODE_LIMITS = { maxDepth: 3, maxItems: 4096 }
// Leaves room for ".chat" within the 255-byte file name limit of common file systems.
const MAX_FILE_NAME_STEM_BYTES = 200

export interface CreateChannelOptions {
  name: string
  trackers: string[]
  mode: 'open' | 'invite'
  /** The creator's Ed25519 public key. */
  creator: Uint8Array
  /** Invite mode only; the creator and repeats are dropped. */
  members?: Uint8Array[]
  /** Milliseconds since the Unix epoch; defaults to now. */
  now?: number
}

/** A new channel with a fresh random secret and one tracker tier per tracker; throws INVALID_PARAMS. */
export function createChannelDescriptor (opts: CreateChannelOptions): ChannelDescriptor {
  if (opts.mode === 'open' && (opts.members?.length ?? 0) > 0) {
    throw BitChatError.invalidParams('members are only for invite-only channels')
  }
  const d: ChannelDescriptor = {
    version: FORMAT_VERSION,
    name: opts.name,
    trackers: [...new Set(opts.trackers)].map(url => [url]),
    secret: crypto.getRandomValues(new Uint8Array(SECRET_BYTES)),
    mode: opts.mode,
    created: Math.floor((opts.now ?? Date.now()) / 1000),
    creator: Uint8Array.from(opts.creator),
    members: opts.mode === 'invite' ? distinctMembers(opts.members ?? [], opts.creator) : []
  }
  // Encoding validates every field and that the file fits in 64 KiB.
  encodeChatFile(d)
  return d
}

function distinctMembers (members: Uint8Array[], creator: Uint8Array): Uint8Array[] {
  const seen = new Set([toHex(creator)])
  return members.filter(key => {
    const hex = toHex(key)
    if (seen.has(hex)) return false
    seen.add(hex)
    return true
  }).map(key => Uint8Array.from(key))
}

/** Throws INVALID_PARAMS for a descriptor that would not parse back, including one too large. */
export function encodeChatFile (d: ChannelDescriptor): Uint8Array {
  validateDescriptor(d, problem => BitChatError.invalidParams(`channel ${problem}`))
  const dict: BDict = {
    bitchat: d.version,
    name: utf8Encode(d.name),
    'announce-list': d.trackers.map(tier => tier.map(utf8Encode)),
    secret: d.secret,
    mode: utf8Encode(d.mode),
    created: d.created,
    creator: d.creator,
    check: descriptorCheck(d)
  }
  const first = d.trackers[0]?.[0]
  if (first !== undefined) dict.announce = utf8Encode(first)
  if (d.mode === 'invite') dict.members = d.members
  const bytes = encode(dict)
  if (bytes.length > MAX_CHAT_FILE_BYTES) {
    throw BitChatError.invalidParams(`the .chat file would be ${bytes.length} bytes, above ${MAX_CHAT_FILE_BYTES}: use fewer trackers or members`)
  }
  return bytes
}

export interface ParseOptions {
  /**
   * For a channel stored by an older version, whose trackers were checked less strictly: a
   * tracker the rule now refuses is dropped and reported here, instead of refusing the channel.
   */
  dropBadTracker?: (problem: string) => void
  /** Accepts the unchecked format 1 too, for files the node itself saved before format 2; never for outside input. */
  stored?: boolean
}

/** Throws INVALID_CHAT_FILE naming the first problem found. */
export function parseChatFile (bytes: Uint8Array, opts: ParseOptions = {}): ChannelDescriptor {
  if (bytes.length > MAX_CHAT_FILE_BYTES) throw invalid(`${bytes.length} bytes, above the ${MAX_CHAT_FILE_BYTES}-byte limit`)
  let root: BValue
  try {
    root = decode(bytes, DECODE_LIMITS)
  } catch (err) {
    if (err instanceof BencodeError) throw invalid(err.message)
    throw err
  }
  if (!isDict(root)) throw invalid('not a bencoded dictionary')
  // The version comes first so that a newer file reports its version, not its new keys.
  const version = asInteger(field(root, 'bitchat'), 'bitchat')
  const unchecked = version === UNCHECKED_VERSION && opts.stored === true
  if (version === UNCHECKED_VERSION && !unchecked) throw invalid('it was made by an older BitChat and cannot be checked for changes: ask for a new invite')
  if (version !== FORMAT_VERSION && !unchecked) throw invalid(`unknown version ${version}`)
  for (const key of Object.keys(root)) {
    if (!KEYS.has(key) || (key === 'check' && unchecked)) throw invalid(`unknown key ${JSON.stringify(key.slice(0, 64))}`)
  }
  const mode = asText(field(root, 'mode'), 'mode')
  if (!isChannelMode(mode)) throw invalid(`mode must be open or invite, not ${JSON.stringify(mode.slice(0, 64))}`)
  const trackers = asList(field(root, 'announce-list'), 'announce-list')
    .map((tier, i) => asList(tier, `announce-list[${i}]`).map((url, j) => asText(url, `announce-list[${i}][${j}]`)))
  const announce = root.announce === undefined ? undefined : asText(root.announce, 'announce')
  if (announce !== trackers[0]?.[0]) {
    throw invalid(announce === undefined ? 'missing announce' : 'announce is not the first tracker of announce-list')
  }
  if (root.members !== undefined && mode === 'open') throw invalid('members are only allowed in invite mode')
  const d: ChannelDescriptor = {
    version: FORMAT_VERSION,
    name: asText(field(root, 'name'), 'name'),
    trackers: opts.dropBadTracker === undefined ? trackers : withoutBadTrackers(trackers, opts.dropBadTracker),
    secret: asBytes(field(root, 'secret'), 'secret'),
    mode,
    created: asInteger(field(root, 'created'), 'created'),
    creator: asBytes(field(root, 'creator'), 'creator'),
    members: mode === 'invite' ? asList(field(root, 'members'), 'members').map((key, i) => asBytes(key, `members[${i}]`)) : []
  }
  validateDescriptor(d, invalid)
  if (!unchecked && !hasValidCheck(d, asBytes(field(root, 'check'), 'check'))) throw invalid('this file was altered: its name or other details are not the ones it was made with')
  return d
}

function withoutBadTrackers (tiers: string[][], report: (problem: string) => void): string[][] {
  return tiers.map(tier => tier.filter(url => {
    const problem = trackerUrlProblem(url)
    if (problem !== null) report(problem)
    return problem === null
  })).filter(tier => tier.length > 0)
}

function invalid (problem: string): BitChatError {
  return BitChatError.invalidChatFile(problem)
}

function isDict (value: BValue): value is BDict {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)
}

function field (dict: BDict, key: string): BValue {
  const value = dict[key]
  if (value === undefined) throw invalid(`missing ${key}`)
  return value
}

function asInteger (value: BValue, path: string): number {
  if (typeof value !== 'number') throw invalid(`${path} must be an integer`)
  return value
}

function asBytes (value: BValue, path: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalid(`${path} must be a byte string`)
  return value
}

function asText (value: BValue, path: string): string {
  const text = utf8DecodeStrict(asBytes(value, path))
  if (text === null) throw invalid(`${path} is not valid UTF-8`)
  return text
}

function asList (value: BValue, path: string): BValue[] {
  if (!Array.isArray(value)) throw invalid(`${path} must be a list`)
  return value
}

export function chatFileName (d: ChannelDescriptor): string {
  let stem = d.name.normalize('NFC')
    // Path separators, characters Windows forbids, control and bidi-override characters.
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069/\\<>:"|?*]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+|[\s.]+$/gu, '')
  while (utf8Encode(stem).length > MAX_FILE_NAME_STEM_BYTES) stem = [...stem].slice(0, -1).join('').trimEnd()
  if (stem === '') stem = 'channel'
  if (/^(?:con|prn|aux|nul|com\d|lpt\d)$/i.test(stem)) stem = `_${stem}`
  return `${stem}.chat`
}
