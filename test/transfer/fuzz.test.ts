import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WireError } from '../../core/wire/codec.ts'
import { prng as seededRandom } from '../helpers/prng.ts'
import { decodeFileOffer, encodeFileOffer } from '../../core/transfer/file-offer.ts'
import { decodeTransferMessage, HAVE, LAYER, PIECE, REJECT, RejectCode } from '../../core/transfer/transfer-messages.ts'
import { fileShape, PIECE_BYTES, ROOT_BYTES } from '../../core/transfer/protocol-limits.ts'

// Random and mutated input to the decoders: each either decodes or throws WireError, never anything else.
const shape = fileShape(5 * 2 ** 20 + 7, 20)

function mutate (bytes: Uint8Array, random: () => number): Uint8Array {
  const out = new Uint8Array(bytes)
  const flips = 1 + Math.floor(random() * 4)
  for (let i = 0; i < flips; i++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256)
  return random() < 0.3 ? out.subarray(0, Math.floor(random() * out.length)) : out
}

function onlyWireErrors (decode: () => unknown): void {
  try {
    decode()
  } catch (err) {
    assert.ok(err instanceof WireError, `${String(err)}`)
  }
}

test('file stream decoders take random and mutated bytes without anything but WireError', () => {
  const random = seededRandom(99)
  const seeds = [
    HAVE.encode({ index: 5 }, shape),
    // The last chunk: 7 bytes.
    PIECE.encode({ index: 5, offset: 0, data: new Uint8Array(7) }, shape),
    PIECE.encode({ index: 0, offset: PIECE_BYTES, data: new Uint8Array(PIECE_BYTES) }, shape),
    REJECT.encode({ code: RejectCode.NOT_HELD, index: 1 }, shape),
    LAYER.encode({ first: 2, hashes: [new Uint8Array(32), new Uint8Array(32)] }, shape)
  ]
  for (let i = 0; i < 3000; i++) {
    const input = random() < 0.2 ? new Uint8Array(Math.floor(random() * 64)).map(() => Math.floor(random() * 256)) : mutate(seeds[i % seeds.length]!, random)
    onlyWireErrors(() => decodeTransferMessage(input, shape))
  }
})

test('the offer decoder takes random and mutated bytes without anything but WireError', () => {
  const random = seededRandom(7)
  const seed = encodeFileOffer({
    files: [
      { name: 'a.jpg', size: 100_000, mime: 'image/jpeg', root: new Uint8Array(ROOT_BYTES).fill(1), chunkLog2: 14, thumbnail: Uint8Array.of(0xff, 0xd8, 0xff, 0) },
      { name: 'b', size: 1, mime: '', root: new Uint8Array(ROOT_BYTES).fill(2), chunkLog2: 14, thumbnail: new Uint8Array(0) }
    ]
  })
  for (let i = 0; i < 3000; i++) onlyWireErrors(() => decodeFileOffer(mutate(seed, random)))
})
