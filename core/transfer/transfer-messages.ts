// The messages of a file stream (PROTOCOL §5.3): one stream of protocol `bitchat/files/1` per file
// and connection, its topic the file's root. Every message is `u8 type ‖ body`, one codec each; a body
// is read against the file's shape (from its offer), so every index, offset and length is checked
// before anything is allocated.
import { isVarint, Reader, WireError, Writer } from '../wire/codec.ts'
import {
  bitfieldBytes, CHUNK_HASH_BYTES, chunkLength, fileShape, MAX_LAYER_HASHES, PIECE_BYTES, type FileShape
} from './protocol-limits.ts'

export const FILE_PROTOCOL = 'bitchat/files/1'
export const FILE_STREAM_VERSION = 1

export const TransferType = {
  INTEREST: 0x01,
  BITFIELD: 0x02,
  HAVE: 0x03,
  REQUEST: 0x04,
  PIECE: 0x05,
  CANCEL: 0x06,
  REJECT: 0x07,
  LAYER_REQUEST: 0x08,
  LAYER: 0x09
} as const

/** Why a request, or the whole stream, is refused. The first two are about one chunk, the others about the file. */
export const RejectCode = {
  NOT_HELD: 1,
  BUSY: 2,
  DECLINED: 3,
  CANCELLED: 4,
  NO_LAYER: 5
} as const
export type RejectCode = typeof RejectCode[keyof typeof RejectCode]
const CHUNK_REJECTS: readonly number[] = [RejectCode.NOT_HELD, RejectCode.BUSY]

/** The first message each side sends: the file it means, as its offer describes it. */
export interface InterestBody { version: number; size: number; chunkLog2: number }
/** The chunks the sender holds (verified), once, right after INTEREST. */
export interface BitfieldBody { bitfield: Uint8Array }
export interface IndexBody { index: number }
/** Part of a chunk: `data` starts `offset` bytes into chunk `index`. */
export interface PieceBody { index: number; offset: number; data: Uint8Array }
/** `index` only for NOT_HELD and BUSY, which refuse one REQUEST. */
export interface RejectBody { code: RejectCode; index?: number }
/** Hashes `first` to `first + count - 1` of the piece layer. */
export interface LayerRequestBody { first: number; count: number }
export interface LayerBody { first: number; hashes: Uint8Array[] }

export type TransferMessage =
  | ({ type: 'interest' } & InterestBody)
  | ({ type: 'bitfield' } & BitfieldBody)
  | ({ type: 'have' } & IndexBody)
  | ({ type: 'request' } & IndexBody)
  | ({ type: 'piece' } & PieceBody)
  | ({ type: 'cancel' } & IndexBody)
  | ({ type: 'reject' } & RejectBody)
  | ({ type: 'layer-request' } & LayerRequestBody)
  | ({ type: 'layer' } & LayerBody)

export interface TransferCodec<Body> {
  readonly type: number
  encode (body: Body, shape: FileShape): Uint8Array
  /** Reads the body after the type byte; throws WireError when it breaks a rule. */
  decode (r: Reader, shape: FileShape): Body
}

export const INTEREST: TransferCodec<InterestBody> = {
  type: TransferType.INTEREST,
  encode (body, shape) {
    checkInterest(body, shape)
    return frame(TransferType.INTEREST).u8(body.version).varint(body.size).u8(body.chunkLog2).finish()
  },
  decode (r, shape) {
    const body = { version: r.u8('INTEREST version'), size: r.varint('INTEREST size'), chunkLog2: r.u8('INTEREST chunk size') }
    checkInterest(body, shape)
    return body
  }
}

export const BITFIELD: TransferCodec<BitfieldBody> = {
  type: TransferType.BITFIELD,
  encode ({ bitfield }, shape) {
    checkBitfield(bitfield, shape)
    return frame(TransferType.BITFIELD).bytes(bitfield, bitfieldBytes(shape), 'BITFIELD').finish()
  },
  decode (r, shape) {
    const bitfield = r.bytes(bitfieldBytes(shape), 'BITFIELD')
    checkBitfield(bitfield, shape)
    return { bitfield }
  }
}

export const HAVE = indexCodec(TransferType.HAVE, 'HAVE')
export const REQUEST = indexCodec(TransferType.REQUEST, 'REQUEST')
export const CANCEL = indexCodec(TransferType.CANCEL, 'CANCEL')

export const PIECE: TransferCodec<PieceBody> = {
  type: TransferType.PIECE,
  encode (body, shape) {
    checkPiece(body.index, body.offset, body.data.length, shape)
    // The header apart, then one copy of the data into a message of the exact size: the hot path.
    const head = frame(TransferType.PIECE).varint(body.index).varint(body.offset).finish()
    const message = new Uint8Array(head.length + body.data.length)
    message.set(head)
    message.set(body.data, head.length)
    return message
  },
  decode (r, shape) {
    const index = r.varint('PIECE index')
    const offset = r.varint('PIECE offset')
    checkPiece(index, offset, r.remaining, shape)
    // A copy the size of one piece: the chunk it belongs to is assembled from it and hashed later.
    return { index, offset, data: r.fixed(r.remaining, 'PIECE data') }
  }
}

export const REJECT: TransferCodec<RejectBody> = {
  type: TransferType.REJECT,
  encode (body, shape) {
    checkReject(body.code, body.index, shape)
    const w = frame(TransferType.REJECT).u8(body.code)
    if (body.index !== undefined) w.varint(body.index)
    return w.finish()
  },
  decode (r, shape) {
    const code = r.u8('REJECT code')
    const index = CHUNK_REJECTS.includes(code) ? r.varint('REJECT index') : undefined
    checkReject(code, index, shape)
    return index === undefined ? { code: code as RejectCode } : { code: code as RejectCode, index }
  }
}

export const LAYER_REQUEST: TransferCodec<LayerRequestBody> = {
  type: TransferType.LAYER_REQUEST,
  encode (body, shape) {
    checkLayerRange(body.first, body.count, shape, 'LAYER_REQUEST')
    return frame(TransferType.LAYER_REQUEST).varint(body.first).varint(body.count).finish()
  },
  decode (r, shape) {
    const body = { first: r.varint('LAYER_REQUEST first'), count: r.varint('LAYER_REQUEST count') }
    checkLayerRange(body.first, body.count, shape, 'LAYER_REQUEST')
    return body
  }
}

export const LAYER: TransferCodec<LayerBody> = {
  type: TransferType.LAYER,
  encode (body, shape) {
    checkLayerRange(body.first, body.hashes.length, shape, 'LAYER')
    const w = frame(TransferType.LAYER).varint(body.first)
    for (const hash of body.hashes) w.fixed(hash, CHUNK_HASH_BYTES, 'LAYER hash')
    return w.finish()
  },
  decode (r, shape) {
    const first = r.varint('LAYER first')
    if (r.remaining % CHUNK_HASH_BYTES !== 0) throw new WireError(`LAYER hashes take ${r.remaining} bytes, not a multiple of ${CHUNK_HASH_BYTES}`)
    const count = r.remaining / CHUNK_HASH_BYTES
    checkLayerRange(first, count, shape, 'LAYER')
    const hashes: Uint8Array[] = []
    for (let i = 0; i < count; i++) hashes.push(r.fixed(CHUNK_HASH_BYTES, 'LAYER hash'))
    return { first, hashes }
  }
}

/** Decodes one file stream message against the file's shape; throws WireError for an unknown type or a bad body. */
export function decodeTransferMessage (message: Uint8Array, shape: FileShape): TransferMessage {
  const r = new Reader(message)
  const type = r.u8('message type')
  let decoded: TransferMessage
  switch (type) {
    case TransferType.INTEREST: decoded = { type: 'interest', ...INTEREST.decode(r, shape) }; break
    case TransferType.BITFIELD: decoded = { type: 'bitfield', ...BITFIELD.decode(r, shape) }; break
    case TransferType.HAVE: decoded = { type: 'have', ...HAVE.decode(r, shape) }; break
    case TransferType.REQUEST: decoded = { type: 'request', ...REQUEST.decode(r, shape) }; break
    case TransferType.PIECE: decoded = { type: 'piece', ...PIECE.decode(r, shape) }; break
    case TransferType.CANCEL: decoded = { type: 'cancel', ...CANCEL.decode(r, shape) }; break
    case TransferType.REJECT: decoded = { type: 'reject', ...REJECT.decode(r, shape) }; break
    case TransferType.LAYER_REQUEST: decoded = { type: 'layer-request', ...LAYER_REQUEST.decode(r, shape) }; break
    case TransferType.LAYER: decoded = { type: 'layer', ...LAYER.decode(r, shape) }; break
    default: throw new WireError(`unknown file stream message type 0x${type.toString(16).padStart(2, '0')}`)
  }
  r.end()
  return decoded
}

/**
 * The order of one side's messages on a file stream: INTEREST first, then BITFIELD, each once, then
 * the rest. `check` throws WireError for a message out of that order.
 */
export class StreamOrder {
  #seen: 'nothing' | 'interest' | 'bitfield' = 'nothing'

  check (message: TransferMessage): void {
    const expected = this.#seen === 'nothing' ? 'interest' : this.#seen === 'interest' ? 'bitfield' : undefined
    if (expected !== undefined && message.type !== expected) throw new WireError(`${message.type} before ${expected} on a file stream`)
    if (expected === undefined && (message.type === 'interest' || message.type === 'bitfield')) throw new WireError(`a second ${message.type} on a file stream`)
    if (expected !== undefined) this.#seen = expected
  }
}

/** The PIECE messages chunk `index` travels in: offsets and lengths, in order. */
export function piecesOf (shape: FileShape, index: number): Array<{ offset: number; length: number }> {
  const length = chunkLength(shape, index)
  const pieces: Array<{ offset: number; length: number }> = []
  for (let offset = 0; offset < length; offset += PIECE_BYTES) pieces.push({ offset, length: Math.min(PIECE_BYTES, length - offset) })
  return pieces
}

function indexCodec (type: number, name: string): TransferCodec<IndexBody> {
  return {
    type,
    encode ({ index }, shape) {
      checkIndex(index, shape, name)
      return frame(type).varint(index).finish()
    },
    decode (r, shape) {
      const index = r.varint(`${name} index`)
      checkIndex(index, shape, name)
      return { index }
    }
  }
}

function checkInterest ({ version, size, chunkLog2 }: InterestBody, shape: FileShape): void {
  if (version !== FILE_STREAM_VERSION) throw new WireError(`unknown file stream version ${version}`)
  let theirs: FileShape
  try {
    theirs = fileShape(size, chunkLog2)
  } catch (err) {
    throw new WireError(`INTEREST: ${(err as Error).message}`)
  }
  if (theirs.size !== shape.size || theirs.chunkBytes !== shape.chunkBytes) {
    throw new WireError(`INTEREST names a file of ${size} bytes in 2^${chunkLog2}-byte chunks, not the one offered`)
  }
}

function checkBitfield (bitfield: Uint8Array, shape: FileShape): void {
  const expected = bitfieldBytes(shape)
  if (bitfield.length !== expected) throw new WireError(`BITFIELD is ${bitfield.length} bytes, not ${expected}`)
  const spare = expected * 8 - shape.chunkCount
  // Bits past the last chunk are zero: one set of chunks, one encoding.
  if (spare > 0 && (bitfield[expected - 1]! & ((1 << spare) - 1)) !== 0) throw new WireError('BITFIELD sets bits past the last chunk')
}

function checkIndex (index: number, shape: FileShape, name: string): void {
  if (!isVarint(index) || index >= shape.chunkCount) throw new WireError(`${name} index ${index} is not below the ${shape.chunkCount} chunks`)
}

function checkPiece (index: number, offset: number, length: number, shape: FileShape): void {
  checkIndex(index, shape, 'PIECE')
  const chunk = chunkLength(shape, index)
  if (!isVarint(offset) || offset % PIECE_BYTES !== 0 || offset >= chunk) {
    throw new WireError(`PIECE offset ${offset} is not a multiple of ${PIECE_BYTES} within chunk ${index} of ${chunk} bytes`)
  }
  const expected = Math.min(PIECE_BYTES, chunk - offset)
  if (length !== expected) throw new WireError(`PIECE at ${offset} of chunk ${index} carries ${length} bytes, not ${expected}`)
}

function checkReject (code: number, index: number | undefined, shape: FileShape): void {
  if (!(Object.values(RejectCode) as number[]).includes(code)) throw new WireError(`unknown REJECT code ${code}`)
  const aboutChunk = CHUNK_REJECTS.includes(code)
  if (aboutChunk !== (index !== undefined)) throw new WireError(`REJECT code ${code} ${aboutChunk ? 'names' : 'names no'} chunk`)
  if (index !== undefined) checkIndex(index, shape, 'REJECT')
}

function checkLayerRange (first: number, count: number, shape: FileShape, name: string): void {
  if (shape.chunkCount < 2) throw new WireError(`${name}: a file of one chunk has no piece layer`)
  if (!isVarint(first) || first >= shape.chunkCount) throw new WireError(`${name} first ${first} is not below the ${shape.chunkCount} chunks`)
  if (!Number.isInteger(count) || count < 1 || count > MAX_LAYER_HASHES || first + count > shape.chunkCount) {
    throw new WireError(`${name} names ${count} hashes from ${first}: 1 to ${MAX_LAYER_HASHES}, within the ${shape.chunkCount} chunks`)
  }
}

function frame (type: number): Writer {
  return new Writer().u8(type)
}
