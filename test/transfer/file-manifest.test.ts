import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { WireError, Writer } from '../../core/wire/codec.ts'
import { decodeManifest, decodePieceLayer, encodeManifest, encodePieceLayer, manifestOf, type FileManifest } from '../../core/transfer/file-manifest.ts'
import { fileTree } from '../../core/transfer/merkle.ts'
import { MANIFEST_VERSION, MAX_FILE_BYTES, MAX_MANIFEST_BYTES, MAX_OFFERED_NAME_BYTES } from '../../core/transfer/transfer-limits.ts'

function sample (size: number, name = 'holiday photo.jpg'): { manifest: FileManifest, pieceLayer: Uint8Array } {
  const tree = fileTree(new Uint8Array(randomBytes(size)))
  return { manifest: manifestOf(name, size, tree), pieceLayer: tree.pieceLayer }
}

/** A manifest's bytes written field by field, to make the ones an encoder refuses to. */
function rawManifest (fields: { version?: number, name?: Uint8Array, size?: number, chunkLog2?: number, root?: Uint8Array, extra?: Uint8Array }): Uint8Array {
  const w = new Writer()
    .u8(fields.version ?? MANIFEST_VERSION)
    .bytes(fields.name ?? new TextEncoder().encode('a.bin'), 1 << 20)
    .varint(fields.size ?? 100)
    .u8(fields.chunkLog2 ?? 14)
    .fixed(fields.root ?? new Uint8Array(32).fill(7), 32)
  const bytes = w.finish()
  return fields.extra === undefined ? bytes : new Uint8Array([...bytes, ...fields.extra])
}

test('a manifest round-trips, for empty, one-chunk and many-chunk files and long names', () => {
  for (const [size, name] of [[0, 'empty'], [1, 'a'], [16384, 'x.bin'], [300_000, 'é'.repeat(MAX_OFFERED_NAME_BYTES / 2)], [1_000_001, '日本語.txt']] as const) {
    const { manifest } = sample(size, name)
    const bytes = encodeManifest(manifest)
    assert.ok(bytes.length <= MAX_MANIFEST_BYTES)
    assert.deepEqual(decodeManifest(bytes), manifest)
  }
})

test('the largest manifest is exactly the bound', () => {
  const largest = { name: 'x'.repeat(MAX_OFFERED_NAME_BYTES), size: MAX_FILE_BYTES, chunkSize: 2 ** 24, root: new Uint8Array(32).fill(1) }
  const bytes = encodeManifest(largest)
  assert.equal(bytes.length, MAX_MANIFEST_BYTES)
  assert.deepEqual(decodeManifest(bytes), largest)
})

test('the piece layer round-trips with its manifest and is refused with another', () => {
  const { manifest, pieceLayer } = sample(1_000_000)
  const bytes = encodePieceLayer(pieceLayer, manifest)
  assert.deepEqual(decodePieceLayer(bytes, manifest), pieceLayer)
  assert.equal(Object.getPrototypeOf(decodePieceLayer(Buffer.from(bytes), manifest)), Uint8Array.prototype)
  const other = sample(1_000_000).manifest
  assert.throws(() => decodePieceLayer(bytes, other), WireError)
  assert.throws(() => encodePieceLayer(pieceLayer, other), WireError)
  assert.throws(() => decodePieceLayer(bytes.subarray(32), manifest), WireError)
  const changed = bytes.slice()
  changed[0]! ^= 1
  assert.throws(() => decodePieceLayer(changed, manifest), /does not match/)
  assert.deepEqual(decodePieceLayer(new Uint8Array(0), sample(0).manifest), new Uint8Array(0))
})

test('malformed or out-of-bound manifests are refused with a WireError', () => {
  const valid = rawManifest({})
  assert.doesNotThrow(() => decodeManifest(valid))
  const table: Array<[string, Uint8Array, RegExp]> = [
    ['another version', rawManifest({ version: 2 }), /version 2/],
    ['an empty name', rawManifest({ name: new Uint8Array(0) }), /not empty/],
    ['a name over the limit', rawManifest({ name: new Uint8Array(MAX_OFFERED_NAME_BYTES + 1).fill(0x61) }), /bytes/],
    ['a name that is not UTF-8', rawManifest({ name: Uint8Array.from([0x61, 0xff]) }), /UTF-8/],
    ['a size over the limit', rawManifest({ size: MAX_FILE_BYTES + 1, chunkLog2: 24 }), /0 to/],
    ['a chunk size other than the one for the size', rawManifest({ chunkLog2: 15 }), /chunks of 16384/],
    ['a chunk size of 2^255', rawManifest({ chunkLog2: 255 }), /chunks of/],
    ['an empty file with a root', rawManifest({ size: 0 }), /empty file/],
    ['trailing bytes', rawManifest({ extra: Uint8Array.of(0) }), /trailing/],
    ['a truncated root', valid.subarray(0, valid.length - 1), /truncated/],
    ['nothing', new Uint8Array(0), /truncated/],
    ['more than a manifest can be', new Uint8Array(MAX_MANIFEST_BYTES + 1), /at most/]
  ]
  for (const [what, bytes, message] of table) assert.throws(() => decodeManifest(bytes), (err: unknown) => err instanceof WireError && message.test(err.message), what)
})

test('a manifest cannot be made out of bounds', () => {
  const { manifest } = sample(10)
  assert.throws(() => encodeManifest({ ...manifest, name: '' }), WireError)
  assert.throws(() => encodeManifest({ ...manifest, name: 'x'.repeat(MAX_OFFERED_NAME_BYTES + 1) }), WireError)
  assert.throws(() => encodeManifest({ ...manifest, name: 'lone \ud800' }), WireError)
  assert.throws(() => encodeManifest({ ...manifest, chunkSize: 32768 }), WireError)
  assert.throws(() => encodeManifest({ ...manifest, size: MAX_FILE_BYTES + 1 }), WireError)
  assert.throws(() => manifestOf('', 10, fileTree(new Uint8Array(10))), WireError)
})
