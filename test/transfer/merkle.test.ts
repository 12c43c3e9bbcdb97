import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { fromHex, toHex } from '../../core/codec/hex.ts'
import {
  FileHasher, checkChunk, checkPieceLayer, chunkCount, chunkLength, chunkRoot, fileTree, pieceLayerHash, rootFromPieceLayer, sha256
} from '../../core/transfer/merkle.ts'
import { BLOCK_BYTES, chunkSizeFor, MAX_CHUNK_BYTES, MAX_CHUNKS, MAX_FILE_BYTES } from '../../core/transfer/transfer-limits.ts'

interface LibtorrentCase { size: number, chunkSize: number, piecesRoot: string | null, pieceLayer: string[] | null }
// Made by real libtorrent: test/transfer/fixtures/make-merkle-fixture.py says how to remake it.
const fixture = JSON.parse(fs.readFileSync(new URL('./fixtures/merkle-libtorrent.json', import.meta.url), 'utf8')) as { cases: LibtorrentCase[] }

/** The bytes the fixture script wrote: (i * 7 + floor(i / 256) * 13) mod 256. */
function fixtureBytes (size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + Math.floor(i / 256) * 13) % 256
  return bytes
}

for (const c of fixture.cases) {
  test(`root and piece layer equal libtorrent's for ${c.size} bytes in chunks of ${c.chunkSize}`, () => {
    const bytes = fixtureBytes(c.size)
    const tree = fileTree(bytes, c.chunkSize)
    if (c.piecesRoot === null) {
      // libtorrent gives an empty file no pieces root; ours is the one leaf of padding.
      assert.equal(c.size, 0)
      assert.equal(toHex(tree.root), '00'.repeat(32))
      assert.equal(tree.pieceLayer.length, 0)
      return
    }
    assert.equal(toHex(tree.root), c.piecesRoot)
    // libtorrent lists piece layers only for files larger than a piece; ours is then the root alone.
    const expectedLayer = c.pieceLayer ?? [c.piecesRoot]
    assert.deepEqual(Array.from({ length: chunkCount(c.size, c.chunkSize) }, (_, i) => toHex(pieceLayerHash(tree.pieceLayer, i))), expectedLayer)
    assert.equal(checkPieceLayer(tree.pieceLayer, fromHex(c.piecesRoot), c.size, c.chunkSize), true)
    for (let i = 0; i < expectedLayer.length; i++) {
      const chunk = bytes.subarray(i * c.chunkSize, i * c.chunkSize + chunkLength(c.size, c.chunkSize, i))
      assert.equal(toHex(chunkRoot(chunk, c.size, c.chunkSize)), expectedLayer[i], `chunk ${i}`)
      assert.equal(checkChunk(tree.pieceLayer, i, chunk, c.size, c.chunkSize), true, `chunk ${i}`)
    }
  })
}

test('the fixture covers the sizes that matter', () => {
  const sizes = new Set(fixture.cases.map(c => c.size))
  for (const size of [0, 1, BLOCK_BYTES, BLOCK_BYTES + 1]) assert.ok(sizes.has(size), `${size}`)
  assert.ok(fixture.cases.some(c => c.pieceLayer !== null && c.pieceLayer.length > 4 && (c.pieceLayer.length & (c.pieceLayer.length - 1)) !== 0))
})

test('a file fed in odd pieces hashes as the whole of it', () => {
  const bytes = fixtureBytes(1_000_000)
  const whole = fileTree(bytes, 65536)
  const hasher = new FileHasher(bytes.length, 65536)
  for (let at = 0, step = 1; at < bytes.length; at += step, step = step * 3 % 40_000 + 1) hasher.update(bytes.subarray(at, Math.min(at + step, bytes.length)))
  const fed = hasher.finish()
  assert.deepEqual(fed.root, whole.root)
  assert.deepEqual(fed.pieceLayer, whole.pieceLayer)
})

test('a chunk with one byte changed, of the wrong length or at another index is refused', () => {
  // Random: the fixture's pattern repeats every 64 KiB, so its chunks would all be equal.
  const bytes = new Uint8Array(randomBytes(200_000))
  const { pieceLayer } = fileTree(bytes, 65536)
  const chunk = bytes.slice(65536, 131072)
  assert.equal(checkChunk(pieceLayer, 1, chunk, bytes.length, 65536), true)
  chunk[100]! ^= 1
  assert.equal(checkChunk(pieceLayer, 1, chunk, bytes.length, 65536), false)
  assert.equal(checkChunk(pieceLayer, 0, bytes.subarray(65536, 131072), bytes.length, 65536), false)
  assert.equal(checkChunk(pieceLayer, 1, bytes.subarray(65536, 131071), bytes.length, 65536), false)
  assert.equal(checkChunk(pieceLayer, 4, bytes.subarray(0, 1), bytes.length, 65536), false)
  assert.equal(checkChunk(pieceLayer, -1, bytes.subarray(0, 65536), bytes.length, 65536), false)
  // The last chunk is short: padded with zero leaves, not zero bytes, so zero bytes appended do not match.
  const last = bytes.subarray(3 * 65536)
  assert.equal(checkChunk(pieceLayer, 3, last, bytes.length, 65536), true)
})

test('a piece layer with one hash changed, one missing or one more does not match the root', () => {
  const bytes = fixtureBytes(300_000)
  const { root, pieceLayer } = fileTree(bytes, 65536)
  const changed = pieceLayer.slice()
  changed[40]! ^= 1
  assert.equal(checkPieceLayer(changed, root, bytes.length, 65536), false)
  assert.equal(checkPieceLayer(pieceLayer.subarray(32), root, bytes.length, 65536), false)
  assert.equal(checkPieceLayer(new Uint8Array([...pieceLayer, ...new Uint8Array(32)]), root, bytes.length, 65536), false)
  assert.equal(checkPieceLayer(pieceLayer, sha256(root), bytes.length, 65536), false)
  assert.throws(() => rootFromPieceLayer(pieceLayer.subarray(1), bytes.length, 65536), RangeError)
})

test('the chunk size is the least power of two from 16 KiB that makes at most 2^14 chunks', () => {
  const table: Array<[number, number]> = [
    [0, 16384], [1, 16384], [16384 * MAX_CHUNKS, 16384], [16384 * MAX_CHUNKS + 1, 32768],
    [2 ** 30, 65536], [2 ** 30 + 1, 131072], [MAX_FILE_BYTES, MAX_CHUNK_BYTES]
  ]
  for (const [size, expected] of table) assert.equal(chunkSizeFor(size), expected, `${size}`)
  for (const bad of [-1, 1.5, MAX_FILE_BYTES + 1, Number.NaN]) assert.throws(() => chunkSizeFor(bad), RangeError, `${bad}`)
})

test('a hasher refuses chunk sizes that are not powers of two in bounds and more bytes than announced', () => {
  for (const bad of [8192, 65535, 2 * MAX_CHUNK_BYTES]) assert.throws(() => new FileHasher(10, bad), RangeError, `${bad}`)
  assert.throws(() => new FileHasher(16384 * MAX_CHUNKS + 1, 16384), RangeError)
  const hasher = new FileHasher(3, 16384)
  assert.throws(() => hasher.update(new Uint8Array(4)), RangeError)
  hasher.update(new Uint8Array(2))
  assert.throws(() => hasher.finish(), RangeError)
})
