import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BitChatError } from '../../core/api/errors.ts'
import { ChunkHasher, hashFile, hashFileForOffer, type HashProgress } from '../../core/transfer/hash-worker.ts'
import { chunkLength, chunkRoot, fileTree } from '../../core/transfer/merkle.ts'
import { MAX_FILE_BYTES } from '../../core/transfer/transfer-limits.ts'

function tempFolder (t: { after: (fn: () => void) => void }): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitchat-hash-'))
  t.after(() => { fs.rmSync(folder, { recursive: true, force: true }) })
  return folder
}

test('a file hashed in the worker has the tree of its bytes, and its manifest says so', async (t) => {
  const folder = tempFolder(t)
  const bytes = new Uint8Array(randomBytes(20 * 1024 * 1024 + 12345))
  const file = path.join(folder, 'data.bin')
  fs.writeFileSync(file, bytes)
  const progress: HashProgress[] = []
  const { manifest, pieceLayer } = await hashFileForOffer(file, undefined, { onProgress: (p) => { progress.push(p) } })
  const expected = fileTree(bytes)
  assert.deepEqual(manifest.root, expected.root)
  assert.deepEqual(pieceLayer, expected.pieceLayer)
  assert.equal(manifest.name, 'data.bin')
  assert.equal(manifest.size, bytes.length)
  assert.ok(progress.length >= 2, 'progress along the way')
  assert.deepEqual(progress.at(-1), { bytesHashed: bytes.length, size: bytes.length })
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.bytesHashed > progress[i - 1]!.bytesHashed)
})

test('an empty file hashes to the zero root', async (t) => {
  const file = path.join(tempFolder(t), 'empty')
  fs.writeFileSync(file, '')
  const hashes = await hashFile(file)
  assert.equal(hashes.size, 0)
  assert.deepEqual(hashes.root, new Uint8Array(32))
  assert.equal(hashes.pieceLayer.length, 0)
})

test('a 256 MiB file hashes with flat memory while the event loop goes on', async (t) => {
  const file = path.join(tempFolder(t), 'big.bin')
  // Written, not sparse: every byte is read from the page cache or the disk, as a real file's would be.
  const fd = fs.openSync(file, 'w')
  const block = new Uint8Array(randomBytes(4 * 1024 * 1024))
  for (let i = 0; i < 64; i++) fs.writeSync(fd, block)
  fs.closeSync(fd)
  const rssBefore = process.memoryUsage.rss()
  let rssPeak = rssBefore
  let turns = 0
  const ticker = setInterval(() => {
    turns++
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
  }, 5)
  try {
    const hashes = await hashFile(file)
    assert.equal(hashes.size, 256 * 1024 * 1024)
  } finally {
    clearInterval(ticker)
  }
  assert.ok(turns > 0, 'the event loop ran timers while the file was hashed')
  // Loose: a worker thread's heap and the 1 MiB read buffer, far from the 256 MiB of the file.
  const growthMiB = (rssPeak - rssBefore) / 2 ** 20
  assert.ok(growthMiB < 96, `resident memory grew by ${growthMiB.toFixed(1)} MiB`)
})

test('a missing file, a folder and a file over the limit are refused with codes', async (t) => {
  const folder = tempFolder(t)
  await assert.rejects(hashFile(path.join(folder, 'missing')), (err: unknown) => err instanceof BitChatError && err.code === 'FILE_ERROR' && /could not be read/.test(err.message))
  await assert.rejects(hashFile(folder), (err: unknown) => err instanceof BitChatError && err.code === 'FILE_ERROR' && /not a file/.test(err.message))
  const huge = path.join(folder, 'huge')
  fs.writeFileSync(huge, '')
  fs.truncateSync(huge, MAX_FILE_BYTES + 1)
  await assert.rejects(hashFile(huge), (err: unknown) => err instanceof BitChatError && err.code === 'FILE_TOO_LARGE')
})

test('hashing stops when aborted', async (t) => {
  const file = path.join(tempFolder(t), 'sparse')
  fs.writeFileSync(file, '')
  fs.truncateSync(file, 8 * 2 ** 30)
  const controller = new AbortController()
  const hashing = hashFile(file, { signal: controller.signal, onProgress: () => { controller.abort(new Error('no longer wanted')) } })
  await assert.rejects(hashing, /no longer wanted/)
  const aborted = new AbortController()
  aborted.abort(new Error('already'))
  await assert.rejects(hashFile(file, { signal: aborted.signal }), /already/)
})

test('a name that cannot be offered is refused before anything is sent', async (t) => {
  const file = path.join(tempFolder(t), 'x')
  fs.writeFileSync(file, 'x')
  await assert.rejects(hashFileForOffer(file, ''), (err: unknown) => err instanceof BitChatError && err.code === 'INVALID_PARAMS')
})

test('the chunk hashing thread gives each chunk its piece-layer hash, many at once, and leaves the bytes to the caller', async (t) => {
  const hasher = new ChunkHasher()
  t.after(async () => { await hasher.close() })
  for (const [size, chunkSize] of [[10, 16384], [16384, 16384], [1_000_000, 65536], [3_000_000, 262144]] as const) {
    const bytes = new Uint8Array(randomBytes(size))
    const chunks = Array.from({ length: Math.ceil(size / chunkSize) }, (_, i) => bytes.subarray(i * chunkSize, i * chunkSize + chunkLength(size, chunkSize, i)))
    const roots = await Promise.all(chunks.map(async chunk => await hasher.hash(chunk, size, chunkSize)))
    assert.deepEqual(roots, chunks.map(chunk => chunkRoot(chunk, size, chunkSize)), `${size} bytes`)
    assert.equal(chunks[0]!.length, chunkLength(size, chunkSize, 0), 'the bytes are still the caller\'s')
  }
})

test('a chunk hashing thread that stopped fails its callers instead of leaving them waiting', async () => {
  const hasher = new ChunkHasher()
  await hasher.close()
  await assert.rejects(hasher.hash(new Uint8Array(1), 1, 16384), (err: unknown) => err instanceof BitChatError && err.code === 'INTERNAL')
})
