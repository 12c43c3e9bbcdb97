// Mux frames (one per transport DATA frame): `varint stream ‖ u8 type ‖ body`. Stream 0 carries the
// connection's control frames, one codec each; on streams ≥ 1 `type ‖ body` is one protocol message,
// handed through untouched. Every bound is checked before anything is allocated.
import { isVarint, Reader, WireError, Writer } from '../wire/codec.ts'
import { varintLength, writeVarint } from './mux-body.ts'

export const CONTROL_STREAM = 0

export const ControlType = {
  PING: 0x01,
  PONG: 0x02,
  CLOSE: 0x03,
  OPEN: 0x04,
  ACCEPT: 0x05,
  RESET: 0x06,
  CREDIT: 0x07,
  PROFILE: 0x08,
  OBSERVED: 0x09
} as const

export const MAX_CLOSE_TEXT_BYTES = 256
export const MAX_PROTOCOL_NAME_BYTES = 64
/** A topic names what a stream is about (a channel's attach proof), or nothing. */
export const TOPIC_BYTES = 32
export const MAX_PROFILE_BYTES = 1024
/** `[IPv6]:port` is at most 47 characters. */
export const MAX_OBSERVED_ADDRESS_BYTES = 64
/**
 * The largest protocol message on a stream, type byte included: protocols split larger payloads
 * into messages of at most 60 KiB of body. With the stream id it stays below a transport frame.
 */
export const MAX_MESSAGE_BYTES = 1 + 60 * 1024
/**
 * The least credit an OPEN or ACCEPT may offer: one largest message. A message that fits a frame
 * then fits every window, so a peer cannot make a sender's messages unsendable with a tiny window.
 */
export const MIN_WINDOW_BYTES = MAX_MESSAGE_BYTES

export interface NonceBody { nonce: number }
/** `code` as on the wire: closeCodeFromWire gives it a meaning, so unknown codes still decode. */
export interface CloseBody { code: number; text: string }
export interface OpenBody {
  id: number
  /** 1..64 printable ASCII characters, no spaces. */
  protocol: string
  /** Empty or 32 bytes. */
  topic: Uint8Array
  /** Bytes of messages the opener lets the other side send on this stream before any CREDIT, at least MIN_WINDOW_BYTES. */
  credit: number
}
/** `credit` as in OPEN, at least MIN_WINDOW_BYTES. */
export interface AcceptBody { id: number; credit: number }
export interface ResetBody { id: number; code: number; text: string }
export interface CreditBody { id: number; bytes: number }
/** A signed profile record, opaque to the mux: its own codec checks it, cuts included. */
export interface ProfileBody { record: Uint8Array }
/** How the sender sees the receiver's address (`ip:port`); the owner validates it before any use. */
export interface ObservedBody { address: string }

export type ControlFrame =
  | ({ type: 'ping' } & NonceBody)
  | ({ type: 'pong' } & NonceBody)
  | ({ type: 'close' } & CloseBody)
  | ({ type: 'open' } & OpenBody)
  | ({ type: 'accept' } & AcceptBody)
  | ({ type: 'reset' } & ResetBody)
  | ({ type: 'credit' } & CreditBody)
  | ({ type: 'profile' } & ProfileBody)
  | ({ type: 'observed' } & ObservedBody)

export type MuxFrame =
  | { kind: 'control'; frame: ControlFrame }
  /** `message` is `u8 type ‖ body`, a view of the decoded bytes (no copy). */
  | { kind: 'data'; stream: number; message: Uint8Array }

export interface ControlCodec<Name extends ControlFrame['type']> {
  readonly type: number
  readonly name: Name
  /** The whole mux frame: `varint 0 ‖ u8 type ‖ body`. */
  encode (body: Omit<Extract<ControlFrame, { type: Name }>, 'type'>): Uint8Array
  /** The body, after stream and type; the caller checks nothing trails it. */
  read (r: Reader): Extract<ControlFrame, { type: Name }>
}

export const PING: ControlCodec<'ping'> = {
  type: ControlType.PING,
  name: 'ping',
  encode: (body) => control(ControlType.PING).varint(body.nonce).finish(),
  read: (r) => ({ type: 'ping', nonce: r.varint('PING nonce') })
}

export const PONG: ControlCodec<'pong'> = {
  type: ControlType.PONG,
  name: 'pong',
  encode: (body) => control(ControlType.PONG).varint(body.nonce).finish(),
  read: (r) => ({ type: 'pong', nonce: r.varint('PONG nonce') })
}

export const CLOSE: ControlCodec<'close'> = {
  type: ControlType.CLOSE,
  name: 'close',
  encode: (body) => control(ControlType.CLOSE).varint(body.code).string(body.text, MAX_CLOSE_TEXT_BYTES, 'CLOSE text').finish(),
  read: (r) => ({ type: 'close', code: r.varint('CLOSE code'), text: r.string(MAX_CLOSE_TEXT_BYTES, 'CLOSE text') })
}

export const OPEN: ControlCodec<'open'> = {
  type: ControlType.OPEN,
  name: 'open',
  encode: (body) => {
    checkStreamId(body.id, 'OPEN')
    checkProtocolName(body.protocol)
    checkTopicLength(body.topic.length)
    checkWindow(body.credit, 'OPEN')
    return control(ControlType.OPEN)
      .varint(body.id)
      .string(body.protocol, MAX_PROTOCOL_NAME_BYTES, 'OPEN protocol')
      .bytes(body.topic, TOPIC_BYTES, 'OPEN topic')
      .varint(body.credit)
      .finish()
  },
  read: (r) => {
    const id = readStreamId(r, 'OPEN')
    const protocol = r.string(MAX_PROTOCOL_NAME_BYTES, 'OPEN protocol')
    checkProtocolName(protocol)
    const topic = r.bytes(TOPIC_BYTES, 'OPEN topic')
    checkTopicLength(topic.length)
    return { type: 'open', id, protocol, topic, credit: checkWindow(r.varint('OPEN credit'), 'OPEN') }
  }
}

export const ACCEPT: ControlCodec<'accept'> = {
  type: ControlType.ACCEPT,
  name: 'accept',
  encode: (body) => {
    checkStreamId(body.id, 'ACCEPT')
    checkWindow(body.credit, 'ACCEPT')
    return control(ControlType.ACCEPT).varint(body.id).varint(body.credit).finish()
  },
  read: (r) => ({ type: 'accept', id: readStreamId(r, 'ACCEPT'), credit: checkWindow(r.varint('ACCEPT credit'), 'ACCEPT') })
}

export const RESET: ControlCodec<'reset'> = {
  type: ControlType.RESET,
  name: 'reset',
  encode: (body) => {
    checkStreamId(body.id, 'RESET')
    return control(ControlType.RESET).varint(body.id).varint(body.code).string(body.text, MAX_CLOSE_TEXT_BYTES, 'RESET text').finish()
  },
  read: (r) => ({ type: 'reset', id: readStreamId(r, 'RESET'), code: r.varint('RESET code'), text: r.string(MAX_CLOSE_TEXT_BYTES, 'RESET text') })
}

export const CREDIT: ControlCodec<'credit'> = {
  type: ControlType.CREDIT,
  name: 'credit',
  encode: (body) => {
    checkStreamId(body.id, 'CREDIT')
    return control(ControlType.CREDIT).varint(body.id).varint(body.bytes).finish()
  },
  read: (r) => ({ type: 'credit', id: readStreamId(r, 'CREDIT'), bytes: r.varint('CREDIT bytes') })
}

// The record runs to the end of the frame, as the design has it: the frame is its length.
export const PROFILE: ControlCodec<'profile'> = {
  type: ControlType.PROFILE,
  name: 'profile',
  encode: (body) => {
    checkProfileLength(body.record.length)
    return control(ControlType.PROFILE).fixed(body.record, body.record.length, 'PROFILE record').finish()
  },
  read: (r) => {
    checkProfileLength(r.remaining)
    return { type: 'profile', record: r.fixed(r.remaining, 'PROFILE record') }
  }
}

export const OBSERVED: ControlCodec<'observed'> = {
  type: ControlType.OBSERVED,
  name: 'observed',
  encode: (body) => control(ControlType.OBSERVED).string(body.address, MAX_OBSERVED_ADDRESS_BYTES, 'OBSERVED address').finish(),
  read: (r) => ({ type: 'observed', address: r.string(MAX_OBSERVED_ADDRESS_BYTES, 'OBSERVED address') })
}

const CODECS: ReadonlyMap<number, ControlCodec<ControlFrame['type']>> = new Map(
  [PING, PONG, CLOSE, OPEN, ACCEPT, RESET, CREDIT, PROFILE, OBSERVED].map(codec => [codec.type, codec as ControlCodec<ControlFrame['type']>])
)

/** `varint stream ‖ message` (the mux packs data frames into bodies in place, with the same layout: BodyWriter.data). */
export function encodeData (stream: number, message: Uint8Array): Uint8Array {
  checkDataFrame(stream, message.length)
  const head = varintLength(stream)
  const out = new Uint8Array(head + message.length)
  writeVarint(out, 0, stream)
  out.set(message, head)
  return out
}

/** What a data frame must be, checked by whoever builds one. */
export function checkDataFrame (stream: number, messageLength: number): void {
  checkStreamId(stream, 'data frame')
  checkMessageLength(messageLength)
}

/** Decodes one mux frame; throws WireError for anything malformed or unknown. */
export function decodeMuxFrame (frame: Uint8Array): MuxFrame {
  const r = new Reader(frame)
  const stream = r.varint('stream id')
  if (stream !== CONTROL_STREAM) {
    const message = frame.subarray(frame.length - r.remaining)
    checkMessageLength(message.length)
    return { kind: 'data', stream, message }
  }
  const type = r.u8('control type')
  const codec = CODECS.get(type)
  if (codec === undefined) throw new WireError(`unknown control frame type 0x${type.toString(16).padStart(2, '0')}`)
  const decoded = codec.read(r)
  r.end()
  return { kind: 'control', frame: decoded }
}

export function isProtocolName (s: string): boolean {
  return s.length >= 1 && s.length <= MAX_PROTOCOL_NAME_BYTES && /^[\x21-\x7e]+$/.test(s)
}

/** CLOSE and RESET text as it can go on the wire: well-formed UTF-8, longer text cut at a character boundary. */
export function clipText (text: string): string {
  const bytes = Buffer.from(text.replace(/\p{Cs}/gu, '\ufffd'))
  if (bytes.length <= MAX_CLOSE_TEXT_BYTES) return bytes.toString()
  let end = MAX_CLOSE_TEXT_BYTES
  while ((bytes[end]! & 0xc0) === 0x80) end--
  return bytes.subarray(0, end).toString()
}

function control (type: number): Writer {
  return new Writer().varint(CONTROL_STREAM).u8(type)
}

function readStreamId (r: Reader, what: string): number {
  const id = r.varint(`${what} stream id`)
  checkStreamId(id, what)
  return id
}

function checkStreamId (id: number, what: string): void {
  if (!isVarint(id) || id === CONTROL_STREAM) throw new WireError(`${what} names stream ${id}, not a stream ≥ 1`)
}

function checkProtocolName (protocol: string): void {
  if (!isProtocolName(protocol)) throw new WireError(`OPEN protocol must be 1..${MAX_PROTOCOL_NAME_BYTES} printable ASCII characters without spaces: ${JSON.stringify(protocol.slice(0, 80))}`)
}

function checkTopicLength (length: number): void {
  if (length !== 0 && length !== TOPIC_BYTES) throw new WireError(`OPEN topic is ${length} bytes, not 0 or ${TOPIC_BYTES}`)
}

function checkWindow (credit: number, what: string): number {
  if (!isVarint(credit) || credit < MIN_WINDOW_BYTES) throw new WireError(`${what} offers a window of ${credit} bytes, below one largest message (${MIN_WINDOW_BYTES})`)
  return credit
}

function checkProfileLength (length: number): void {
  if (length < 1 || length > MAX_PROFILE_BYTES) throw new WireError(`PROFILE record is ${length} bytes, outside 1..${MAX_PROFILE_BYTES}`)
}

function checkMessageLength (length: number): void {
  if (length < 1 || length > MAX_MESSAGE_BYTES) throw new WireError(`a stream message is ${length} bytes, outside 1..${MAX_MESSAGE_BYTES}`)
}
