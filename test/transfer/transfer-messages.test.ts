import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WireError, Writer } from '../../core/wire/codec.ts'
import { MAX_MESSAGE_BYTES } from '../../core/connection/mux-messages.ts'
import {
  BITFIELD, CANCEL, decodeTransferMessage, HAVE, INTEREST, LAYER, LAYER_REQUEST, PIECE, piecesOf, REJECT, RejectCode, REQUEST,
  StreamOrder, TransferType, type TransferMessage
} from '../../core/transfer/transfer-messages.ts'
import { chunkLength, fileShape, MAX_CHUNKS, MAX_LAYER_HASHES, PIECE_BYTES, type FileShape } from '../../core/transfer/protocol-limits.ts'

const isWireError = (err: unknown): boolean => err instanceof WireError
// 10 chunks of 1 MiB, the last one 12,345 bytes.
const shape = fileShape(9 * 2 ** 20 + 12_345, 20)
const hash = (n: number): Uint8Array => new Uint8Array(32).fill(n)

function sampleMessages (s: FileShape = shape): Array<[Uint8Array, TransferMessage]> {
  const bitfield = new Uint8Array(2)
  bitfield[0] = 0b1010_0000
  bitfield[1] = 0b0100_0000
  const data = new Uint8Array(PIECE_BYTES).map((_, i) => i % 251)
  return [
    [INTEREST.encode({ version: 1, size: s.size, chunkLog2: 20 }, s), { type: 'interest', version: 1, size: s.size, chunkLog2: 20 }],
    [BITFIELD.encode({ bitfield }, s), { type: 'bitfield', bitfield }],
    [HAVE.encode({ index: 9 }, s), { type: 'have', index: 9 }],
    [REQUEST.encode({ index: 0 }, s), { type: 'request', index: 0 }],
    [PIECE.encode({ index: 3, offset: PIECE_BYTES, data }, s), { type: 'piece', index: 3, offset: PIECE_BYTES, data }],
    [CANCEL.encode({ index: 5 }, s), { type: 'cancel', index: 5 }],
    [REJECT.encode({ code: RejectCode.BUSY, index: 2 }, s), { type: 'reject', code: RejectCode.BUSY, index: 2 }],
    [REJECT.encode({ code: RejectCode.CANCELLED }, s), { type: 'reject', code: RejectCode.CANCELLED }],
    [LAYER_REQUEST.encode({ first: 0, count: 10 }, s), { type: 'layer-request', first: 0, count: 10 }],
    [LAYER.encode({ first: 8, hashes: [hash(1), hash(2)] }, s), { type: 'layer', first: 8, hashes: [hash(1), hash(2)] }]
  ]
}

test('every message round-trips', () => {
  for (const [bytes, message] of sampleMessages()) assert.deepEqual(decodeTransferMessage(bytes, shape), message, message.type)
})

test('each codec declares the type byte of the protocol table', () => {
  assert.deepEqual([INTEREST, BITFIELD, HAVE, REQUEST, PIECE, CANCEL, REJECT, LAYER_REQUEST, LAYER].map(c => c.type), [1, 2, 3, 4, 5, 6, 7, 8, 9])
  assert.deepEqual(Object.values(TransferType), [1, 2, 3, 4, 5, 6, 7, 8, 9])
})

test('every truncation of every message is refused', () => {
  for (const [bytes, message] of sampleMessages()) {
    // A PIECE or LAYER shortened by whole hashes may still be well formed; each is checked against its exact length.
    for (let len = 0; len < bytes.length; len++) {
      if (message.type === 'layer' && len > 1 && (len - 2) % 32 === 0) continue
      assert.throws(() => decodeTransferMessage(bytes.subarray(0, len), shape), isWireError, `${message.type} cut to ${len}`)
    }
  }
})

test('every message with a byte too many is refused', () => {
  for (const [bytes, message] of sampleMessages()) {
    if (message.type === 'layer') continue
    const longer = new Uint8Array(bytes.length + 1)
    longer.set(bytes)
    assert.throws(() => decodeTransferMessage(longer, shape), isWireError, message.type)
  }
})

test('the largest messages fit one stream message', () => {
  const big = fileShape(MAX_CHUNKS * 2 ** 24, 24)
  const bitfield = new Uint8Array(MAX_CHUNKS / 8).fill(0xff)
  assert.ok(BITFIELD.encode({ bitfield }, big).length <= MAX_MESSAGE_BYTES)
  const lastFullPiece = Math.floor((2 ** 24 - 1) / PIECE_BYTES) * PIECE_BYTES
  const piece = PIECE.encode({ index: MAX_CHUNKS - 2, offset: lastFullPiece - PIECE_BYTES, data: new Uint8Array(PIECE_BYTES) }, big)
  assert.ok(piece.length <= MAX_MESSAGE_BYTES, `${piece.length}`)
  const layer = LAYER.encode({ first: MAX_CHUNKS - MAX_LAYER_HASHES, hashes: Array.from({ length: MAX_LAYER_HASHES }, () => hash(7)) }, big)
  assert.ok(layer.length <= MAX_MESSAGE_BYTES)
})

test('a chunk travels as consecutive pieces, the last one shorter', () => {
  const pieces = piecesOf(shape, 0)
  assert.equal(pieces.length, Math.ceil(2 ** 20 / PIECE_BYTES))
  assert.deepEqual(pieces[1], { offset: PIECE_BYTES, length: PIECE_BYTES })
  assert.equal(pieces.reduce((n, p) => n + p.length, 0), 2 ** 20)
  assert.deepEqual(piecesOf(shape, 9), [{ offset: 0, length: 12_345 }])
  assert.equal(chunkLength(shape, 9), 12_345)
})

function raw (type: number, write: (w: Writer) => void): Uint8Array {
  const w = new Writer().u8(type)
  write(w)
  return w.finish()
}

test('every field is checked against the file: a rejection table', () => {
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['unknown type', raw(0x0a, () => {}), /unknown file stream message type 0x0a/],
    ['INTEREST of another version', raw(1, w => w.u8(2).varint(shape.size).u8(20)), /version 2/],
    ['INTEREST of another size', raw(1, w => w.u8(1).varint(shape.size + 1).u8(20)), /not the one offered/],
    ['INTEREST of another chunk size', raw(1, w => w.u8(1).varint(shape.size).u8(19)), /not the one offered/],
    ['INTEREST of a chunk size out of bounds', raw(1, w => w.u8(1).varint(shape.size).u8(40)), /2\^40/],
    ['BITFIELD too short', raw(2, w => w.bytes(new Uint8Array(1), 8)), /1 bytes, not 2/],
    ['BITFIELD too long', raw(2, w => w.bytes(new Uint8Array(3), 8)), /above the limit/],
    ['BITFIELD with a bit past the last chunk', raw(2, w => w.bytes(Uint8Array.of(0, 0b0010_0000), 8)), /past the last chunk/],
    ['HAVE past the last chunk', raw(3, w => w.varint(10)), /HAVE index 10/],
    ['REQUEST past the last chunk', raw(4, w => w.varint(shape.chunkCount)), /REQUEST index/],
    ['CANCEL past the last chunk', raw(6, w => w.varint(2 ** 40)), /CANCEL index/],
    ['PIECE past the last chunk', raw(5, w => w.varint(10).varint(0).fixed(new Uint8Array(10), 10)), /PIECE index/],
    ['PIECE at an offset between pieces', raw(5, w => w.varint(0).varint(1).fixed(new Uint8Array(PIECE_BYTES), PIECE_BYTES)), /offset 1/],
    ['PIECE beyond its chunk', raw(5, w => w.varint(9).varint(PIECE_BYTES).fixed(new Uint8Array(1), 1)), /within chunk 9/],
    ['PIECE one byte short', raw(5, w => w.varint(0).varint(0).fixed(new Uint8Array(PIECE_BYTES - 1), PIECE_BYTES - 1)), /not 61424/],
    ['last PIECE one byte long', raw(5, w => w.varint(9).varint(0).fixed(new Uint8Array(12_346), 12_346)), /not 12345/],
    ['PIECE with no data', raw(5, w => w.varint(9).varint(0)), /carries 0 bytes/],
    ['REJECT with an unknown code', raw(7, w => w.u8(9)), /unknown REJECT code 9/],
    ['REJECT of a chunk past the last', raw(7, w => w.u8(1).varint(10)), /REJECT index/],
    ['REJECT BUSY without its chunk', raw(7, w => w.u8(2)), /truncated/],
    ['REJECT CANCELLED with a chunk', raw(7, w => w.u8(4).varint(1)), /trailing/],
    ['LAYER_REQUEST of no hash', raw(8, w => w.varint(0).varint(0)), /1 to 1024/],
    ['LAYER_REQUEST past the layer', raw(8, w => w.varint(5).varint(6)), /within the 10 chunks/],
    ['LAYER_REQUEST from past the layer', raw(8, w => w.varint(10).varint(1)), /first 10/],
    ['LAYER of no hash', raw(9, w => w.varint(0)), /1 to 1024/],
    ['LAYER with a torn hash', raw(9, w => w.varint(0).fixed(new Uint8Array(33), 33)), /multiple of 32/],
    ['LAYER past the layer', raw(9, w => w.varint(9).fixed(new Uint8Array(64), 64)), /within the 10 chunks/]
  ]
  for (const [what, bytes, message] of cases) {
    assert.throws(() => decodeTransferMessage(bytes, shape), (err: unknown) => isWireError(err) && message.test((err as Error).message), what)
  }
})

test('a file of one chunk has no piece layer to ask for', () => {
  const one = fileShape(1000, 14)
  assert.throws(() => decodeTransferMessage(raw(8, w => w.varint(0).varint(1)), one), /no piece layer/)
  assert.throws(() => LAYER.encode({ first: 0, hashes: [hash(1)] }, one), /no piece layer/)
})

test('LAYER_REQUEST asks for at most one message of hashes', () => {
  const big = fileShape(4096 * 2 ** 14, 14)
  assert.deepEqual(decodeTransferMessage(LAYER_REQUEST.encode({ first: 1024, count: MAX_LAYER_HASHES }, big), big), { type: 'layer-request', first: 1024, count: 1024 })
  assert.throws(() => LAYER_REQUEST.encode({ first: 0, count: MAX_LAYER_HASHES + 1 }, big), /1 to 1024/)
})

test('encoders refuse what decoders would', () => {
  assert.throws(() => HAVE.encode({ index: -1 }, shape), isWireError)
  assert.throws(() => REQUEST.encode({ index: 1.5 }, shape), isWireError)
  assert.throws(() => PIECE.encode({ index: 0, offset: 0, data: new Uint8Array(10) }, shape), /not 61424/)
  assert.throws(() => REJECT.encode({ code: RejectCode.NOT_HELD }, shape), /names no chunk|names chunk/)
  assert.throws(() => REJECT.encode({ code: RejectCode.DECLINED, index: 0 }, shape), isWireError)
  assert.throws(() => BITFIELD.encode({ bitfield: new Uint8Array(3) }, shape), isWireError)
  assert.throws(() => INTEREST.encode({ version: 1, size: 5, chunkLog2: 20 }, shape), /not the one offered/)
})

test('on a file stream INTEREST comes first, then BITFIELD, each once', () => {
  const [interest, bitfield, have] = sampleMessages().map(([, m]) => m)
  const cases: Array<[string, TransferMessage[], RegExp | undefined]> = [
    ['in order', [interest!, bitfield!, have!, have!], undefined],
    ['HAVE before INTEREST', [have!], /have before interest/],
    ['BITFIELD before INTEREST', [bitfield!], /bitfield before interest/],
    ['HAVE before BITFIELD', [interest!, have!], /have before bitfield/],
    ['INTEREST twice', [interest!, interest!], /interest before bitfield/],
    ['a second INTEREST later', [interest!, bitfield!, interest!], /a second interest/],
    ['a second BITFIELD', [interest!, bitfield!, have!, bitfield!], /a second bitfield/]
  ]
  for (const [what, messages, error] of cases) {
    const order = new StreamOrder()
    const run = (): void => { for (const m of messages) order.check(m) }
    if (error === undefined) assert.doesNotThrow(run, what)
    else assert.throws(run, (err: unknown) => isWireError(err) && error.test((err as Error).message), what)
  }
})
