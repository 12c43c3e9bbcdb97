import { isIpLiteral, isPort } from './address.ts'
import { isVarint, Reader, WireError, Writer } from './codec.ts'
import { MAX_GROUP_MESSAGE_BYTES } from './group-message.ts'
import { readIds, readRanges, writeIds, writeRanges } from './ranges.ts'
import type { WireRange } from '../history/reconciler.ts'

// What a channel's streams carry (PROTOCOL §3.5), one `u8 type ‖ body` message each. The connection's
// own frames (keepalive, close, streams, profile) are the mux's: core/connection/mux-messages.ts.

export const PUBLIC_KEY_BYTES = 32
export const MAX_HOST_BYTES = 64
export const MAX_PEERS_PER_LIST = 64

// Smallest possible encodings, so a count can be checked against the bytes actually left.
const PEER_MIN_BYTES = PUBLIC_KEY_BYTES + 1 + 2 + 1 // key, host length, "::", port

export const MessageType = {
  MESSAGE: 0x10,
  PEX: 0x12,
  RANGES: 0x13,
  WANT: 0x14,
  HISTORY: 0x15,
  RECEIPT: 0x16,
  TYPING: 0x17
} as const

/** Where the sender knows another member of the channel to listen. */
export interface PeerAddress {
  /** The member's Ed25519 key, lowercase hex. */
  publicKey: string
  /** A literal IPv4 or IPv6 address. */
  host: string
  /** 1..65535. */
  port: number
}

/** The signed group message bytes (§4), left for decodeGroupMessage and verifyGroupMessage; a GroupMessage fits as it is. */
export interface MessageBody { raw: Uint8Array }
export interface PexBody { peers: PeerAddress[] }
/** One step of reconciling two logs (PROTOCOL §4.2). */
export interface RangesBody { ranges: WireRange[] }
/** Ids of messages the sender lacks and asks for. */
export interface WantBody { ids: Uint8Array[] }
/**
 * What the sender holds and has read of the receiver's own messages in this channel: every entry
 * the receiver wrote up to seq `delivered` (no hole below it), and read up to seq `read` (≤ delivered).
 */
export interface ReceiptBody { delivered: number; read: number }
/** The sender is typing in this channel (or stopped). */
export interface TypingBody { active: boolean }

export type WireMessage =
  | ({ type: 'message' } & MessageBody)
  | ({ type: 'pex' } & PexBody)
  | ({ type: 'ranges' } & RangesBody)
  | ({ type: 'want' } & WantBody)
  | ({ type: 'history' } & MessageBody)
  | ({ type: 'receipt' } & ReceiptBody)
  | ({ type: 'typing' } & TypingBody)

export interface MessageCodec<Body> {
  readonly type: number
  /** `u8 type ‖ body`: one message on a channel's stream. */
  encode (body: Body): Uint8Array
}

export function encodeMessage (body: MessageBody): Uint8Array {
  return signedMessageFrame(MessageType.MESSAGE, body.raw)
}

/** A message sent in answer to reconciliation: stored like MESSAGE, but not flooded on. */
export function encodeHistory (body: MessageBody): Uint8Array {
  return signedMessageFrame(MessageType.HISTORY, body.raw)
}

export function encodeRanges (body: RangesBody): Uint8Array {
  const w = frame(MessageType.RANGES)
  writeRanges(w, body.ranges)
  return w.finish()
}

export function encodeWant (body: WantBody): Uint8Array {
  const w = frame(MessageType.WANT)
  writeIds(w, body.ids, 'WANT')
  return w.finish()
}

export function encodeReceipt (body: ReceiptBody): Uint8Array {
  checkReceipt(body)
  return frame(MessageType.RECEIPT).varint(body.delivered).varint(body.read).finish()
}

export function encodeTyping (body: TypingBody): Uint8Array {
  return frame(MessageType.TYPING).u8(body.active ? 1 : 0).finish()
}

export function encodePex (body: PexBody): Uint8Array {
  const w = frame(MessageType.PEX)
  writePeers(w, body.peers, 'PEX')
  return w.finish()
}

export const MESSAGE: MessageCodec<MessageBody> = { type: MessageType.MESSAGE, encode: encodeMessage }
export const PEX: MessageCodec<PexBody> = { type: MessageType.PEX, encode: encodePex }
export const RANGES: MessageCodec<RangesBody> = { type: MessageType.RANGES, encode: encodeRanges }
export const WANT: MessageCodec<WantBody> = { type: MessageType.WANT, encode: encodeWant }
export const HISTORY: MessageCodec<MessageBody> = { type: MessageType.HISTORY, encode: encodeHistory }
export const RECEIPT: MessageCodec<ReceiptBody> = { type: MessageType.RECEIPT, encode: encodeReceipt }
export const TYPING: MessageCodec<TypingBody> = { type: MessageType.TYPING, encode: encodeTyping }

/** Decodes one channel message (a stream message, `u8 type ‖ body`); throws WireError for an unknown type or a bad body. */
export function decodeFrame (plaintext: Uint8Array): WireMessage {
  const r = new Reader(plaintext)
  const type = r.u8('message type')
  let message: WireMessage
  switch (type) {
    case MessageType.MESSAGE:
      checkGroupMessageSize(r.remaining)
      // A copy: the caller may reuse the decryption buffer, the message may be stored and forwarded.
      return { type: 'message', raw: plaintext.slice(1) }
    case MessageType.PEX:
      message = { type: 'pex', peers: readPeers(r, 'PEX') }
      break
    case MessageType.RANGES:
      message = { type: 'ranges', ranges: readRanges(r) }
      break
    case MessageType.WANT:
      message = { type: 'want', ids: readIds(r, 'WANT') }
      break
    case MessageType.HISTORY:
      checkGroupMessageSize(r.remaining)
      return { type: 'history', raw: plaintext.slice(1) }
    case MessageType.RECEIPT: {
      const body = { delivered: r.varint('RECEIPT delivered'), read: r.varint('RECEIPT read') }
      checkReceipt(body)
      message = { type: 'receipt', ...body }
      break
    }
    case MessageType.TYPING: {
      const active = r.u8('TYPING active')
      if (active > 1) throw new WireError(`TYPING active must be 0 or 1, not ${active}`)
      message = { type: 'typing', active: active === 1 }
      break
    }
    default:
      throw new WireError(`unknown message type 0x${type.toString(16).padStart(2, '0')}`)
  }
  r.end()
  return message
}

function checkReceipt ({ delivered, read }: ReceiptBody): void {
  if (!isVarint(delivered) || !isVarint(read)) throw new WireError('RECEIPT seqs must be integers from 0 to 2^53 - 1')
  if (read > delivered) throw new WireError(`RECEIPT read ${read} is above delivered ${delivered}`)
}

/** `type ‖ raw`: the signed bytes go as they are, without a length (the frame ends with them). */
function signedMessageFrame (type: number, raw: Uint8Array): Uint8Array {
  checkGroupMessageSize(raw.length)
  const out = new Uint8Array(1 + raw.length)
  out[0] = type
  out.set(raw, 1)
  return out
}

function frame (type: number): Writer {
  return new Writer().u8(type)
}

function writePeers (w: Writer, peers: PeerAddress[], what: string): void {
  if (peers.length > MAX_PEERS_PER_LIST) throw new WireError(`${what} has ${peers.length} peers, above the limit of ${MAX_PEERS_PER_LIST}`)
  w.varint(peers.length)
  for (const peer of peers) {
    checkPeer(peer.host, peer.port, what)
    w.fixed(keyFromHex(peer.publicKey, `${what} peer key`), PUBLIC_KEY_BYTES)
      .string(peer.host, MAX_HOST_BYTES, `${what} peer host`)
      .varint(peer.port)
  }
}

function readPeers (r: Reader, what: string): PeerAddress[] {
  const count = r.count(MAX_PEERS_PER_LIST, PEER_MIN_BYTES, `${what} peer count`)
  const peers: PeerAddress[] = []
  for (let i = 0; i < count; i++) {
    const publicKey = hex(r.fixed(PUBLIC_KEY_BYTES, `${what} peer key`))
    const host = r.string(MAX_HOST_BYTES, `${what} peer host`)
    const port = r.varint(`${what} peer port`)
    checkPeer(host, port, what)
    peers.push({ publicKey, host, port })
  }
  return peers
}

function checkPeer (host: string, port: number, what: string): void {
  if (!isIpLiteral(host)) throw new WireError(`${what} peer host is not an IP address: ${JSON.stringify(host)}`)
  if (!isPort(port)) throw new WireError(`${what} peer port out of range: ${port}`)
}

function checkGroupMessageSize (size: number): void {
  if (size === 0 || size > MAX_GROUP_MESSAGE_BYTES) throw new WireError(`MESSAGE body is ${size} bytes, outside 1..${MAX_GROUP_MESSAGE_BYTES}`)
}

function keyFromHex (s: string, field: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(s)) throw new WireError(`${field} must be 64 lowercase hex characters`)
  return Buffer.from(s, 'hex')
}

function hex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')
}
