import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BitChatError } from '../../core/api/errors.ts'
import type { ErrorCode } from '../../core/api/contract.ts'
import { ChunkStore } from '../../core/transfer/chunk-store.ts'
import { ChunkHasher } from '../../core/transfer/hash-worker.ts'
import { manifestOf, type FileManifest } from '../../core/transfer/file-manifest.ts'
import { chunkLength, fileTree, type PieceLayer } from '../../core/transfer/merkle.ts'
import { numberedName } from '../../core/transfer/download-name.ts'
import { MAX_NAME_SUFFIX } from '../../core/transfer/transfer-limits.ts'
import { mountTinyDisk, tinyDiskUnavailable } from '../helpers/tiny-disk.ts'
import { waitUntil } from '../helpers/wait.ts'

interface Sample { bytes: Uint8Array, manifest: FileManifest, pieceLayer: PieceLayer }

function sample (size: number, name = 'photo.jpg'): Sample {
  const bytes = new Uint8Array(randomBytes(size))
  const tree = fileTree(bytes)
  return { bytes, manifest: manifestOf(name, size, tree), pieceLayer: tree.pieceLayer }
}

function chunk (s: Sample, i: number): Uint8Array {
  const at = i * s.manifest.chunkSize
  return s.bytes.subarray(at, at + chunkLength(s.manifest.size, s.manifest.chunkSize, i))
}

function tempFolder (t: TestContext): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitchat-chunks-'))
  t.after(() => { fs.rmSync(folder, { recursive: true, force: true }) })
  return folder
}

function coded (code: ErrorCode): (err: unknown) => boolean {
  return (err: unknown) => err instanceof BitChatError && err.code === code
}

async function writeAll (store: ChunkStore, s: Sample, order?: number[]): Promise<void> {
  for (const i of order ?? Array.from({ length: store.chunkCount }, (_, i) => i)) await store.write(i, chunk(s, i))
}

test('chunks written in any order make the file, moved into place only once checked whole', async (t) => {
  const folder = tempFolder(t)
  const s = sample(1_000_000)
  const hasher = new ChunkHasher()
  t.after(async () => { await hasher.close() })
  const store = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer, hashChunk: hasher.hash })
  const order = Array.from({ length: store.chunkCount }, (_, i) => i).reverse()
  await writeAll(store, s, order.slice(0, -1))
  assert.deepEqual(fs.readdirSync(folder).filter(f => !f.includes('.part')), [], 'nothing shown as a file before it is complete')
  await store.write(0, chunk(s, 0))
  assert.equal(store.verifiedChunks, store.chunkCount)
  assert.equal(store.verifiedBytes, s.manifest.size)
  const saved = await store.complete()
  assert.equal(saved, path.join(folder, 'photo.jpg'))
  assert.deepEqual(new Uint8Array(fs.readFileSync(saved)), s.bytes)
  assert.deepEqual(fs.readdirSync(folder), ['photo.jpg'], 'no .part file or bitfield left')
  assert.equal(store.state, 'complete')
})

test('a finished download never replaces a file: it takes the next free name', async (t) => {
  const folder = tempFolder(t)
  fs.writeFileSync(path.join(folder, 'photo.jpg'), 'mine')
  fs.writeFileSync(path.join(folder, 'photo (1).jpg'), 'mine too')
  const s = sample(50_000)
  const store = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  await writeAll(store, s)
  assert.equal(await store.complete(), path.join(folder, 'photo (2).jpg'))
  assert.equal(fs.readFileSync(path.join(folder, 'photo.jpg'), 'utf8'), 'mine')
  assert.equal(fs.readFileSync(path.join(folder, 'photo (1).jpg'), 'utf8'), 'mine too')
})

test('a hostile name is saved inside the folder under a safe one', async (t) => {
  const folder = tempFolder(t)
  const s = sample(10, '../../etc/CON.txt')
  const store = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  await writeAll(store, s)
  assert.equal(await store.complete(), path.join(folder, '_CON.txt'))
})

test('a chunk that does not match is refused before anything is written', async (t) => {
  const folder = tempFolder(t)
  const s = sample(200_000)
  const hasher = new ChunkHasher()
  t.after(async () => { await hasher.close() })
  const store = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer, hashChunk: hasher.hash })
  const bad = chunk(s, 2).slice()
  bad[7]! ^= 0x40
  await assert.rejects(store.write(2, bad), coded('CHUNK_REJECTED'))
  await assert.rejects(store.write(2, chunk(s, 3)), coded('CHUNK_REJECTED'))
  await assert.rejects(store.write(2, chunk(s, 2).subarray(1)), coded('CHUNK_REJECTED'))
  await assert.rejects(store.write(99, chunk(s, 2)), coded('CHUNK_REJECTED'))
  assert.equal(store.has(2), false)
  assert.equal(store.state, 'downloading', 'a bad chunk is the peer\'s fault, not a reason to pause')
  const at = 2 * s.manifest.chunkSize
  assert.deepEqual(new Uint8Array(fs.readFileSync(store.partPath).subarray(at, at + bad.length)), new Uint8Array(bad.length), 'nothing of it on disk')
  await store.write(2, chunk(s, 2))
  assert.equal(store.has(2), true)
  assert.deepEqual(await store.read(2), chunk(s, 2))
  await store.close()
})

test('a piece layer that does not match the root is refused before anything is created', async (t) => {
  const folder = tempFolder(t)
  const s = sample(200_000)
  const wrong = s.pieceLayer.slice()
  wrong[0]! ^= 1
  await assert.rejects(ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: wrong }), coded('INVALID_MANIFEST'))
  assert.deepEqual(fs.readdirSync(folder), [])
})

test('a download that is not finished cannot be completed', async (t) => {
  const s = sample(100_000)
  const store = await ChunkStore.open({ folder: tempFolder(t), manifest: s.manifest, pieceLayer: s.pieceLayer })
  await store.write(0, chunk(s, 0))
  await assert.rejects(store.complete(), coded('DOWNLOAD_INCOMPLETE'))
  await store.close()
})

test('a restart resumes from the chunks saved, and a bitfield of another file is not taken', async (t) => {
  const folder = tempFolder(t)
  const s = sample(300_000)
  const first = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  await writeAll(first, s, [0, 3, 5])
  await first.close()
  const second = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].filter(i => second.has(i)), [0, 3, 5])
  assert.equal(second.bitfield()[0], 0b10010100)
  await writeAll(second, s, [1, 2, 4, ...Array.from({ length: second.chunkCount - 6 }, (_, i) => i + 6)])
  assert.deepEqual(new Uint8Array(fs.readFileSync(await second.complete())), s.bytes)
})

test('a damaged bitfield file starts the download over rather than trusting it', async (t) => {
  const folder = tempFolder(t)
  const s = sample(300_000)
  const first = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  await writeAll(first, s, [0, 1])
  await first.close()
  const statePath = `${first.partPath}.state`
  const state = fs.readFileSync(statePath)
  state[state.length - 40]! ^= 0x01
  fs.writeFileSync(statePath, state)
  const second = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  assert.equal(second.verifiedChunks, 0)
  await second.close()
})

test('a file changed on disk after its chunks were checked is not moved into place, and the changed chunks are fetched again', async (t) => {
  const folder = tempFolder(t)
  const s = sample(300_000)
  const store = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  await writeAll(store, s)
  const fd = fs.openSync(store.partPath, 'r+')
  fs.writeSync(fd, Uint8Array.of(0xff ^ s.bytes[5 * s.manifest.chunkSize + 9]!), 0, 1, 5 * s.manifest.chunkSize + 9)
  fs.closeSync(fd)
  await assert.rejects(store.complete(), coded('DOWNLOAD_CORRUPT'))
  assert.deepEqual(fs.readdirSync(folder).filter(f => !f.includes('.part')), [])
  assert.equal(store.has(5), false)
  assert.equal(store.verifiedChunks, store.chunkCount - 1)
  await store.write(5, chunk(s, 5))
  assert.deepEqual(new Uint8Array(fs.readFileSync(await store.complete())), s.bytes)
})

test('killed with SIGKILL mid-way, a download resumes from what was verified and saved', async (t) => {
  const folder = tempFolder(t)
  const s = sample(24 * 1024 * 1024, 'crash.bin')
  const source = path.join(tempFolder(t), 'source.bin')
  fs.writeFileSync(source, s.bytes)
  const saveEvery = 1024 * 1024
  const child = spawn(process.execPath, [new URL('./chunk-store-writer.ts', import.meta.url).pathname, folder, source, String(saveEvery)], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.after(() => { child.kill('SIGKILL') })
  const half = Math.floor(s.manifest.size / s.manifest.chunkSize / 2)
  let wrote = -1
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    for (const match of text.matchAll(/wrote (\d+)/g)) wrote = Number(match[1])
    // Killed from here, as soon as it says so: still writing, half-way through.
    if (wrote >= half) child.kill('SIGKILL')
  })
  await waitUntil(() => wrote >= half, 60_000, 'the writer to write half the chunks')
  await exited
  const resumed = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  const chunksPerSave = saveEvery / s.manifest.chunkSize
  assert.ok(wrote < resumed.chunkCount - 1, 'killed before the end')
  assert.ok(resumed.verifiedChunks >= half + 1 - chunksPerSave, `resumed with ${resumed.verifiedChunks} chunks, wrote at least ${half + 1}`)
  assert.ok(resumed.verifiedChunks <= wrote + 2, `resumed with ${resumed.verifiedChunks} chunks, wrote ${wrote + 1} (one more may have been written unreported)`)
  let refetched = 0
  for (let i = 0; i < resumed.chunkCount; i++) {
    if (resumed.has(i)) continue
    await resumed.write(i, chunk(s, i))
    refetched++
  }
  assert.ok(refetched < resumed.chunkCount / 2 + chunksPerSave, `${refetched} of ${resumed.chunkCount} chunks fetched again`)
  assert.deepEqual(new Uint8Array(fs.readFileSync(await resumed.complete())), s.bytes)
})

const noTinyDisk = tinyDiskUnavailable()

test('a full disk pauses the download with DISK_FULL, and it resumes once there is space', { skip: noTinyDisk ?? false }, async (t) => {
  const disk = mountTinyDisk(t, 2)
  const s = sample(3 * 1024 * 1024)
  const store = await ChunkStore.open({ folder: disk.dir, manifest: s.manifest, pieceLayer: s.pieceLayer, saveEveryBytes: 64 * 1024 })
  let failure: unknown = null
  for (let i = 0; i < store.chunkCount && failure === null; i++) await store.write(i, chunk(s, i)).catch((err: unknown) => { failure = err })
  assert.ok(coded('DISK_FULL')(failure), String(failure))
  assert.match((failure as Error).message, /full.*paused/s)
  assert.equal(store.state, 'paused')
  assert.ok(coded('DISK_FULL')(store.pausedBy))
  await assert.rejects(store.write(store.chunkCount - 1, chunk(s, store.chunkCount - 1)), coded('DISK_FULL'))
  await assert.rejects(store.complete(), coded('DISK_FULL'))
  assert.deepEqual(fs.readdirSync(disk.dir).filter(f => !f.includes('.part')), [], 'no half-written file shown as complete')
  const held = store.verifiedChunks
  execFileSync('mount', ['-o', 'remount,size=8m', disk.dir])
  await store.resume()
  assert.equal(store.state, 'downloading')
  assert.ok(store.verifiedChunks > 0 && store.verifiedChunks <= held, `${store.verifiedChunks} of the ${held} verified chunks kept`)
  for (let i = 0; i < store.chunkCount; i++) if (!store.has(i)) await store.write(i, chunk(s, i))
  assert.deepEqual(new Uint8Array(fs.readFileSync(await store.complete())), s.bytes)
})

test('a folder made read-only pauses the download with a code, and it resumes once writable', { skip: noTinyDisk ?? false }, async (t) => {
  const disk = mountTinyDisk(t, 4)
  const s = sample(600_000)
  const store = await ChunkStore.open({ folder: disk.dir, manifest: s.manifest, pieceLayer: s.pieceLayer })
  await store.write(0, chunk(s, 0))
  await store.pause()
  execFileSync('mount', ['-o', 'remount,ro', disk.dir])
  await assert.rejects(store.resume(), coded('DOWNLOAD_FOLDER_READ_ONLY'))
  assert.equal(store.state, 'paused')
  await assert.rejects(store.write(1, chunk(s, 1)), coded('DOWNLOAD_FOLDER_READ_ONLY'))
  const other = sample(10)
  await assert.rejects(ChunkStore.open({ folder: disk.dir, manifest: other.manifest, pieceLayer: other.pieceLayer }), coded('DOWNLOAD_FOLDER_READ_ONLY'))
  execFileSync('mount', ['-o', 'remount,rw', disk.dir])
  await store.resume()
  assert.equal(store.has(0), true)
  await writeAll(store, s, Array.from({ length: store.chunkCount - 1 }, (_, i) => i + 1))
  assert.deepEqual(new Uint8Array(fs.readFileSync(await store.complete())), s.bytes)
})

test('a read-only folder is refused at the start with a code', { skip: noTinyDisk ?? false }, async (t) => {
  const disk = mountTinyDisk(t, 1)
  execFileSync('mount', ['-o', 'remount,ro', disk.dir])
  const s = sample(1000)
  await assert.rejects(ChunkStore.open({ folder: disk.dir, manifest: s.manifest, pieceLayer: s.pieceLayer }), coded('DOWNLOAD_FOLDER_READ_ONLY'))
})

test('a missing folder is refused with a code, and one removed mid-way pauses the download', async (t) => {
  const s = sample(100_000)
  await assert.rejects(ChunkStore.open({ folder: '/nonexistent-bitchat/downloads', manifest: s.manifest, pieceLayer: s.pieceLayer }), coded('DOWNLOAD_FOLDER_MISSING'))
  const folder = path.join(tempFolder(t), 'downloads')
  fs.mkdirSync(folder)
  const store = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  await writeAll(store, s)
  fs.rmSync(folder, { recursive: true })
  await assert.rejects(store.complete(), coded('DOWNLOAD_FOLDER_MISSING'))
  assert.equal(store.state, 'paused')
  assert.equal(fs.existsSync(folder), false, 'nothing made in its place')
  await assert.rejects(store.resume(), coded('DOWNLOAD_FOLDER_MISSING'))
  fs.mkdirSync(folder)
  await store.resume()
  assert.equal(store.verifiedChunks, 0, 'what was in the removed folder is fetched again')
  await writeAll(store, s)
  assert.deepEqual(new Uint8Array(fs.readFileSync(await store.complete())), s.bytes)
})

test('an empty file completes at once, and discarding removes the part file and its bitfield', async (t) => {
  const folder = tempFolder(t)
  const empty = sample(0, 'empty.txt')
  const store = await ChunkStore.open({ folder, manifest: empty.manifest, pieceLayer: empty.pieceLayer })
  assert.equal(fs.readFileSync(await store.complete()).length, 0)
  const s = sample(100_000, 'other.bin')
  const other = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  await other.write(1, chunk(s, 1))
  await other.save()
  await other.discard()
  assert.deepEqual(fs.readdirSync(folder), ['empty.txt'])
  await assert.rejects(other.write(0, chunk(s, 0)), coded('INVALID_PARAMS'))
})

test('a folder where every numbered name is taken pauses the download with NO_FREE_NAME, and nothing is replaced', async (t) => {
  const folder = tempFolder(t)
  for (let n = 0; n <= MAX_NAME_SUFFIX; n++) fs.writeFileSync(path.join(folder, numberedName('photo.jpg', n)), '')
  const s = sample(40_000)
  const store = await ChunkStore.open({ folder, manifest: s.manifest, pieceLayer: s.pieceLayer })
  await writeAll(store, s)
  await assert.rejects(store.complete(), coded('NO_FREE_NAME'))
  assert.equal(store.state, 'paused')
  assert.equal(fs.readFileSync(path.join(folder, 'photo (77).jpg')).length, 0)
  fs.rmSync(path.join(folder, 'photo (77).jpg'))
  await store.resume()
  assert.equal(store.verifiedChunks, store.chunkCount)
  assert.equal(await store.complete(), path.join(folder, 'photo (77).jpg'))
  assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(folder, 'photo (77).jpg'))), s.bytes)
})
