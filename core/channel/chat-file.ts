// The `.chat` file (PROTOCOL §1.1): a bencoded dictionary that is everything needed to
// join a channel. Files arrive from strangers, so parsing is strict and bounded.
import { BitChatError } from '../api/errors.ts'
import { BencodeError, decode, encode } from '../codec/bencode.ts'
import type { BDict, BValue } from '../codec/bencode.ts'
import { safeFileStem } from '../codec/file-name.ts'
import { toHex } from '../codec/hex.ts'
import { utf8DecodeStrict, utf8Encode } from '../codec/utf8.ts'
import type { Identity } from '../identity/identity.ts'
import { FORMAT_VERSION, isChannelMode, SECRET_BYTES, validateDescriptor } from './descriptor.ts'
import { hasValidGenesisSignature, signGenesis } from './genesis.ts'
import { trackerUrlProblem } from './tracker-url.ts'
import type { ChannelDescriptor } from './descriptor.ts'

export type { ChannelDescriptor } from './descriptor.ts'

export const MAX_CHAT_FILE_BYTES = 65536

const FIELD_KEYS = ['bitchat', 'name', 'announce', 'announce-list', 'secret', 'mode', 'created', 'creator', 'members']
/**
 * The keys of each format. Formats 1 (no check) and 2 (a check keyed by the secret, which every
 * holder of the file could remake) are read only from the node's own database.
 */
const KEYS_OF_FORMAT = new Map<number, Set<string>>([
  [1, new Set(FIELD_KEYS)],
  [2, new Set([...FIELD_KEYS, 'check'])],
  [FORMAT_VERSION, new Set([...FIELD_KEYS, 'sig'])]
])
// dictionary > announce-list > tier; the largest valid file holds about 1,150 items.
const DECODE_LIMITS = { maxDepth: 3, maxItems: 4096 }

export interface CreateChannelOptions {
  name: string
  trackers: string[]
  mode: 'open' | 'invite'
  /** The creator, who signs the channel's genesis. */
  creator: Identity
  /** Invite mode only; the creator and repeats are dropped. */
  members?: Uint8Array[]
  /** Milliseconds since the Unix epoch; defaults to now. */
  now?: number
}

/** A new channel signed by its creator, with a fresh random secret and one tracker tier per tracker; throws INVALID_PARAMS. */
export function createChannelDescriptor (opts: CreateChannelOptions): ChannelDescriptor {
  if (opts.mode === 'open' && (opts.members?.length ?? 0) > 0) {
    throw BitChatError.invalidParams('members are only for invite-only channels')
  }
  const creator = opts.creator.publicKey
  const unsigned: ChannelDescriptor = {
    version: FORMAT_VERSION,
    name: opts.name,
    trackers: [...new Set(opts.trackers)].map(url => [url]),
    secret: crypto.getRandomValues(new Uint8Array(SECRET_BYTES)),
    mode: opts.mode,
    created: Math.floor((opts.now ?? Date.now()) / 1000),
    creator: Uint8Array.from(creator),
    members: opts.mode === 'invite' ? distinctMembers(opts.members ?? [], creator) : [],
    signature: null
  }
  // Encoding validates every field and that the file fits in 64 KiB.
  const d = signGenesis(validateDescriptor(unsigned, problem => BitChatError.invalidParams(`channel ${problem}`)), opts.creator)
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

/**
 * Format 3. An unsigned descriptor (a private channel, an old one not ours) gets no `sig`: only this
 * node reads such a file back (`stored`). Throws INVALID_PARAMS for a descriptor that would not parse
 * back, including one too large.
 */
export function encodeChatFile (d: ChannelDescriptor): Uint8Array {
  validateDescriptor(d, problem => BitChatError.invalidParams(`channel ${problem}`))
  const dict: BDict = {
    bitchat: d.version,
    name: utf8Encode(d.name),
    'announce-list': d.trackers.map(tier => tier.map(utf8Encode)),
    secret: d.secret,
    mode: utf8Encode(d.mode),
    created: d.created,
    creator: d.creator
  }
  if (d.signature !== null) dict.sig = d.signature
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
  /**
   * For files the node itself saved: accepts formats 1 and 2 and an unsigned format 3 too (read as
   * unsigned descriptors); never for outside input.
   */
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
  const keys = KEYS_OF_FORMAT.get(version)
  if (keys === undefined) throw invalid(`unknown version ${version}`)
  const stored = opts.stored === true
  if (version !== FORMAT_VERSION && !stored) throw invalid('it was made by an older BitChat and its creator\'s signature cannot be checked: ask for a new invite')
  for (const key of Object.keys(root)) {
    if (!keys.has(key)) throw invalid(`unknown key ${JSON.stringify(key.slice(0, 64))}`)
  }
  if (version === 2) asBytes(field(root, 'check'), 'check')
  const signature = version === FORMAT_VERSION && (!stored || root.sig !== undefined) ? asBytes(field(root, 'sig'), 'sig') : null
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
    members: mode === 'invite' ? asList(field(root, 'members'), 'members').map((key, i) => asBytes(key, `members[${i}]`)) : [],
    signature
  }
  validateDescriptor(d, invalid)
  if (signature !== null && !hasValidGenesisSignature(d, signature)) throw BitChatError.invitationAltered('file')
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
  return `${safeFileStem(d.name, 'channel')}.chat`
}
