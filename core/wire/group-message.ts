import { blake2b, signDetached, verifyDetached } from '../crypto/native.ts'
import { bytesEqual, concatBytes } from '../codec/bytes.ts'
import { decodeUtf8, encodeUtf8, isVarint, Reader, WireError, Writer } from './codec.ts'
import { decodeMentions } from './mentions.ts'

export const GROUP_MESSAGE_VERSION = 1
export const KIND_TEXT = 1
export const CHANNEL_ID_BYTES = 32
export const AUTHOR_KEY_BYTES = 32
export const SIGNATURE_BYTES = 64
export const MAX_TEXT_BYTES = 16384
/** The body of an entry of any kind: text, or what a later version puts there. */
export const MAX_BODY_BYTES = MAX_TEXT_BYTES
/** version, channel id, author, seq and timestamp (8-byte varints at most), kind, a 3-byte length, body, signature. */
export const MAX_GROUP_MESSAGE_BYTES = 1 + CHANNEL_ID_BYTES + AUTHOR_KEY_BYTES + 8 + 8 + 1 + 3 + MAX_BODY_BYTES + SIGNATURE_BYTES
const MIN_GROUP_MESSAGE_BYTES = 1 + CHANNEL_ID_BYTES + AUTHOR_KEY_BYTES + 1 + 1 + 1 + 1 + SIGNATURE_BYTES

// Domain separation: a signature made for a group message can never pass for any other signed object.
const SIGNATURE_CONTEXT = new TextEncoder().encode('BitChat msg v1\0')

export interface GroupMessage {
  /** The exact bytes received or created; every other field was read from them. */
  raw: Uint8Array
  /** BLAKE2b-32 of the signed bytes, lowercase hex. */
  id: string
  channelId: Uint8Array
  /** Ed25519 public key. */
  author: Uint8Array
  seq: number
  /** Unix milliseconds, as the author's clock claims. */
  timestamp: number
  /**
   * What the entry is: 1 is a text message. Entries of kinds this version does not know are still
   * verified, stored, forwarded and reconciled, so mixed versions never split a channel's history;
   * they are only not shown.
   */
  kind: number
  /** The text of a kind-1 entry; empty for every other kind (entry-kinds.ts reads their bodies). */
  text: string
  /** The entry's body as signed (a view into `raw`). */
  body: Uint8Array
}

export interface GroupEntryInput {
  channelId: Uint8Array
  author: { publicKey: Uint8Array; secretKey: Uint8Array }
  seq: number
  timestamp: number
  kind: number
  body: Uint8Array
}

export type GroupMessageInput = Omit<GroupEntryInput, 'kind' | 'body'> & { text: string }

export function createGroupMessage (input: GroupMessageInput): GroupMessage {
  return createGroupEntry({ ...input, kind: KIND_TEXT, body: encodeUtf8(input.text, MAX_TEXT_BYTES, 'text') })
}

/** Signs an entry of any kind (PROTOCOL §4.1). */
export function createGroupEntry (input: GroupEntryInput): GroupMessage {
  const { channelId, author, seq, timestamp, kind, body } = input
  if (author.secretKey.length !== 64) throw new WireError('author secret key must be 64 bytes')
  // An Ed25519 secret key embeds its public key: a mismatch would produce a message that never verifies.
  if (!bytesEqual(author.secretKey.subarray(32), author.publicKey)) throw new WireError('author secret key does not belong to the public key')
  if (!isVarint(seq) || seq < 1) throw new WireError(`seq must be a positive integer below 2^53, got ${seq}`)
  if (!isVarint(timestamp)) throw new WireError(`timestamp must be a non-negative integer below 2^53, got ${timestamp}`)
  const unsigned = new Writer()
    .u8(GROUP_MESSAGE_VERSION)
    .fixed(channelId, CHANNEL_ID_BYTES, 'channel id')
    .fixed(author.publicKey, AUTHOR_KEY_BYTES, 'author key')
    .varint(seq)
    .varint(timestamp)
    .u8(kind)
    .bytes(body, MAX_BODY_BYTES, 'body')
    .finish()
  const signed = signedBytes(unsigned)
  const signature = signDetached(author.secretKey, signed)
  const raw = new Uint8Array(unsigned.length + SIGNATURE_BYTES)
  raw.set(unsigned)
  raw.set(signature, unsigned.length)
  return {
    raw,
    id: messageId(signed),
    channelId: channelId.slice(),
    author: author.publicKey.slice(),
    seq,
    timestamp,
    kind,
    text: textOf(kind, body),
    body: raw.subarray(unsigned.length - body.length, unsigned.length)
  }
}

/** Reads the structure only; whether the author really signed it is verifyGroupMessage's job. */
export function decodeGroupMessage (raw: Uint8Array): GroupMessage {
  if (raw.length > MAX_GROUP_MESSAGE_BYTES) throw new WireError(`group message is ${raw.length} bytes, above the limit of ${MAX_GROUP_MESSAGE_BYTES}`)
  const own = new Uint8Array(raw)
  const r = new Reader(own)
  const version = r.u8('group message version')
  if (version !== GROUP_MESSAGE_VERSION) throw new WireError(`unsupported group message version ${version}`)
  const channelId = r.fixed(CHANNEL_ID_BYTES, 'channel id')
  const author = r.fixed(AUTHOR_KEY_BYTES, 'author key')
  const seq = r.varint('seq')
  if (seq < 1) throw new WireError('seq must be at least 1')
  const timestamp = r.varint('timestamp')
  const kind = r.u8('kind')
  const body = r.bytes(MAX_BODY_BYTES, 'body')
  const text = textOf(kind, body)
  const unsigned = r.consumed()
  r.fixed(SIGNATURE_BYTES, 'signature')
  r.end()
  return { raw: own, id: messageId(signedBytes(unsigned)), channelId, author, seq, timestamp, kind, text, body: own.subarray(unsigned.length - body.length, unsigned.length) }
}

// A text message's text comes after the people it mentions, if any (PROTOCOL §4.7).
function textOf (kind: number, body: Uint8Array): string {
  return kind === KIND_TEXT ? decodeUtf8(body.subarray(decodeMentions(body).textStart), 'text') : ''
}

/** Checks `m.raw` (from which every field was read): version, channel and the author's signature. Never throws. */
export function verifyGroupMessage (m: GroupMessage, expectedChannelId: Uint8Array): boolean {
  try {
    const raw = m.raw
    if (raw.length < MIN_GROUP_MESSAGE_BYTES || raw.length > MAX_GROUP_MESSAGE_BYTES) return false
    if (raw[0] !== GROUP_MESSAGE_VERSION) return false
    if (!bytesEqual(raw.subarray(1, 1 + CHANNEL_ID_BYTES), expectedChannelId)) return false
    const author = raw.subarray(1 + CHANNEL_ID_BYTES, 1 + CHANNEL_ID_BYTES + AUTHOR_KEY_BYTES)
    const signatureAt = raw.length - SIGNATURE_BYTES
    return verifyDetached(author, signedBytes(raw.subarray(0, signatureAt)), raw.subarray(signatureAt))
  } catch {
    return false
  }
}

function signedBytes (unsigned: Uint8Array): Uint8Array {
  return concatBytes([SIGNATURE_CONTEXT, unsigned])
}

function messageId (signed: Uint8Array): string {
  return Buffer.from(blake2b(32, signed)).toString('hex')
}
