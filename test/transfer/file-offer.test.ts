import { test } from 'node:test'
import assert from 'node:assert/strict'
import { WireError, Writer } from '../../core/wire/codec.ts'
import { MAX_BODY_BYTES } from '../../core/wire/group-message.ts'
import { decodeFileOffer, encodeFileOffer, FILE_OFFER_VERSION, thumbnailType, type OfferedFile } from '../../core/transfer/file-offer.ts'
import {
  MAX_CHUNKS, MAX_FILE_BYTES, MAX_FILE_NAME_BYTES, MAX_OFFER_FILES, MAX_THUMBNAIL_BYTES, ROOT_BYTES
} from '../../core/transfer/protocol-limits.ts'

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const WEBP = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 1, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50])

function file (overrides: Partial<OfferedFile> = {}, root = 1): OfferedFile {
  return { name: 'holiday photo.jpg', size: 3_000_000, mime: 'image/jpeg', root: new Uint8Array(ROOT_BYTES).fill(root), chunkLog2: 14, thumbnail: JPEG, ...overrides }
}

const isWireError = (err: unknown): boolean => err instanceof WireError

test('an offer of several files round-trips, thumbnails and empty mime types included', () => {
  const offer = {
    files: [
      file(),
      file({ name: 'notes — été.txt', mime: '', thumbnail: new Uint8Array(0), size: 1, chunkLog2: 14 }, 2),
      file({ name: 'scan.png', mime: 'image/png', thumbnail: PNG }, 3),
      file({ name: 'a.webp', mime: 'image/webp', thumbnail: WEBP, size: MAX_FILE_BYTES, chunkLog2: 24 }, 4),
      file({ name: 'empty', mime: '', thumbnail: new Uint8Array(0), size: 0, chunkLog2: 14 }, 0)
    ]
  }
  const body = encodeFileOffer(offer)
  assert.equal(body[0], FILE_OFFER_VERSION)
  assert.deepEqual(decodeFileOffer(body), offer)
})

test('thumbnails are known by their magic bytes', () => {
  assert.equal(thumbnailType(JPEG), 'image/jpeg')
  assert.equal(thumbnailType(PNG), 'image/png')
  assert.equal(thumbnailType(WEBP), 'image/webp')
  assert.equal(thumbnailType(Uint8Array.from([0x47, 0x49, 0x46, 0x38])), undefined)
  assert.equal(thumbnailType(WEBP.subarray(0, 10)), undefined)
})

test('the largest offer that fits an entry body is taken, one byte more is refused', () => {
  const thumbnail = new Uint8Array(MAX_THUMBNAIL_BYTES)
  thumbnail.set(JPEG)
  const one = encodeFileOffer({ files: [file({ thumbnail })] })
  assert.ok(one.length <= MAX_BODY_BYTES)
  const files = [file({ thumbnail }), file({ thumbnail, name: 'x'.repeat(MAX_BODY_BYTES - one.length - 4) }, 2)]
  assert.throws(() => encodeFileOffer({ files }), isWireError)
  assert.throws(() => decodeFileOffer(new Uint8Array(MAX_BODY_BYTES + 1)), /above/)
})

/** An offer's body written field by field, so each rule can be broken on its own. */
function rawOffer (fields: { version?: number; count?: number; name?: Uint8Array; size?: number; mime?: string; root?: Uint8Array; log2?: number; thumbnail?: Uint8Array; extra?: Uint8Array }): Uint8Array {
  const w = new Writer().u8(fields.version ?? 1).varint(fields.count ?? 1)
  w.bytes(fields.name ?? new TextEncoder().encode('a.bin'), 1 << 20)
    .varint(fields.size ?? 100)
    .string(fields.mime ?? '', 1 << 20)
    .fixed(fields.root ?? new Uint8Array(ROOT_BYTES), fields.root?.length ?? ROOT_BYTES)
    .u8(fields.log2 ?? 14)
    .bytes(fields.thumbnail ?? new Uint8Array(0), 1 << 20)
  if (fields.extra !== undefined) w.fixed(fields.extra, fields.extra.length)
  return w.finish()
}

test('every rule of the offer is checked when it is read', () => {
  assert.deepEqual(decodeFileOffer(rawOffer({})).files[0]!.name, 'a.bin')
  const cases: Array<[string, Parameters<typeof rawOffer>[0], RegExp]> = [
    ['unknown version', { version: 2 }, /version 2/],
    ['no file', { count: 0 }, /1 to 32 files/],
    ['too many files', { count: MAX_OFFER_FILES + 1 }, /above the limit/],
    ['a count beyond the bytes', { count: 3 }, /truncated/],
    ['an empty name', { name: new Uint8Array(0), mime: 'text/plain' }, /not empty/],
    ['a name above the bound', { name: new Uint8Array(MAX_FILE_NAME_BYTES + 1).fill(0x61) }, /above the limit/],
    ['a name in invalid UTF-8', { name: Uint8Array.from([0xc3, 0x28]) }, /UTF-8/],
    ['a file above the largest', { size: MAX_FILE_BYTES + 1, log2: 24 }, /1 to/],
    ['a chunk below 16 KiB', { log2: 13 }, /2\^13/],
    ['a chunk above 16 MiB', { log2: 25 }, /2\^25/],
    ['a chunk size other than the size\'s', { size: 100, log2: 15 }, /chunks of 2\^14 bytes, not 2\^15/],
    ['a large file in chunks too small', { size: MAX_CHUNKS * 2 ** 14 + 1, log2: 14 }, /chunks, above/],
    ['an empty file with a root', { size: 0, root: new Uint8Array(ROOT_BYTES).fill(1) }, /empty file/],
    ['an empty file in larger chunks', { size: 0, log2: 15 }, /not 2\^15/],
    ['a mime type with parameters', { mime: 'text/plain; charset=utf-8' }, /mime/],
    ['a mime type in capitals', { mime: 'Image/JPEG' }, /mime/],
    ['a mime type without subtype', { mime: 'image' }, /mime/],
    ['a thumbnail that is no image', { thumbnail: Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]) }, /JPEG, PNG or WebP/],
    ['a thumbnail above the bound', { thumbnail: new Uint8Array(MAX_THUMBNAIL_BYTES + 1) }, /above the limit/],
    ['a short root', { root: new Uint8Array(31) }, /truncated|bytes/],
    ['trailing bytes', { extra: Uint8Array.of(0) }, /trailing/]
  ]
  for (const [what, fields, message] of cases) {
    assert.throws(() => decodeFileOffer(rawOffer(fields)), (err: unknown) => isWireError(err) && message.test((err as Error).message), what)
  }
})

test('an offer naming one file twice is refused both ways', () => {
  assert.throws(() => encodeFileOffer({ files: [file(), file({ name: 'copy.jpg' })] }), /twice/)
  const one = rawOffer({})
  const twice = new Uint8Array(one.length * 2 - 2)
  twice.set(one)
  twice[1] = 2
  twice.set(one.subarray(2), one.length)
  assert.throws(() => decodeFileOffer(twice), /twice/)
})

test('the encoder refuses what the decoder would', () => {
  assert.throws(() => encodeFileOffer({ files: [] }), isWireError)
  assert.throws(() => encodeFileOffer({ files: [file({ name: '' })] }), /not empty/)
  assert.throws(() => encodeFileOffer({ files: [file({ name: 'bad \ud800' })] }), /well-formed/)
  assert.throws(() => encodeFileOffer({ files: [file({ thumbnail: Uint8Array.of(1, 2, 3) })] }), /JPEG/)
  assert.throws(() => encodeFileOffer({ files: [file({ root: new Uint8Array(16) })] }), /root/)
  assert.throws(() => encodeFileOffer({ files: [file({ chunkLog2: 14.5 })] }), isWireError)
  assert.throws(() => encodeFileOffer({ files: [file({ chunkLog2: 20 })] }), /not 2\^20/)
})

test('every truncation of an offer is refused', () => {
  const body = encodeFileOffer({ files: [file(), file({ name: 'b' }, 2)] })
  for (let len = 0; len < body.length; len++) assert.throws(() => decodeFileOffer(body.subarray(0, len)), isWireError, `length ${len}`)
})
