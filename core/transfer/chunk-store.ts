// A download in progress: chunks checked against the piece layer before they are written at their
// offsets in a `.part` file, a bitfield of the verified ones saved beside it (so a restart or a crash
// resumes from what was verified), and the whole file checked against its root before it is moved,
// under a name no file has yet, into the folder. A disk error pauses the download, never loses what
// was verified and never leaves anything that looks finished.
//
// The bitfield is a file beside the `.part` rather than a row in the node's SQLite: it must be saved
// in step with the part's own fdatasync, belongs to those bytes (removed, moved or lost with them, and
// refused when it names another root), and costs the database no write per chunk. Which downloads
// exist and where they go is the node's to keep.
import { hash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { BitChatError } from '../api/errors.ts'
import { toHex } from '../codec/hex.ts'
import { noFreeName, numberedName, safeDownloadName } from './download-name.ts'
import type { FileManifest } from './file-manifest.ts'
import { hashChunkHere, hashFile, type ChunkHashing } from './hash-worker.ts'
import { checkPieceLayer, chunkCount, chunkLength, pieceLayerHash, type PieceLayer } from './merkle.ts'
import { BITFIELD_SAVE_BYTES, HASH_BYTES, MAX_NAME_SUFFIX } from './transfer-limits.ts'

export interface ChunkStoreOptions {
  /** The folder the file is saved in; the `.part` file and its bitfield live there too until it is done. */
  readonly folder: string
  readonly manifest: FileManifest
  /** Checked against the manifest's root before anything is created. */
  readonly pieceLayer: PieceLayer
  /** The name to save under instead of the offered one (made safe all the same). */
  readonly saveAs?: string
  /** Verified bytes written between two saves of the bitfield (BITFIELD_SAVE_BYTES; smaller in tests). */
  readonly saveEveryBytes?: number
  /** Where received chunks are hashed: a node passes its `ChunkHasher`'s thread; by default the calling one. */
  readonly hashChunk?: ChunkHashing
}

export type DownloadState = 'downloading' | 'paused' | 'complete' | 'discarded'

const STATE_MAGIC = new TextEncoder().encode('BitChat part\n')
const STATE_VERSION = 1
// Positioned writes with O_APPEND would go to the end on Linux, and 'w' would truncate: neither.
const OPEN_FOR_WRITING = fs.constants.O_RDWR | fs.constants.O_CREAT
// Hard links refuse an existing name atomically; these say a file system has none (FAT, exFAT, some shares).
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'])

export class ChunkStore {
  readonly manifest: FileManifest
  /** The file's name once saved, before any " (n)" a taken name adds. */
  readonly name: string
  readonly partPath: string
  readonly #statePath: string
  readonly #folder: string
  readonly #pieceLayer: PieceLayer
  readonly #count: number
  readonly #saveEvery: number
  readonly #hashChunk: ChunkHashing
  #bits: Uint8Array
  #verified = 0
  #unsavedBytes = 0
  #file: fs.FileHandle | null = null
  #writing = new Set<number>()
  #saving: Promise<void> = Promise.resolve()
  #state: DownloadState = 'downloading'
  #pausedBy: BitChatError | null = null
  #savedAs: string | null = null

  private constructor (options: ChunkStoreOptions) {
    this.manifest = options.manifest
    this.#pieceLayer = options.pieceLayer.slice()
    this.#folder = options.folder
    this.#count = chunkCount(options.manifest.size, options.manifest.chunkSize)
    this.#saveEvery = options.saveEveryBytes ?? BITFIELD_SAVE_BYTES
    this.#hashChunk = options.hashChunk ?? hashChunkHere
    this.#bits = new Uint8Array(Math.ceil(this.#count / 8))
    this.name = safeDownloadName(options.saveAs ?? options.manifest.name)
    // The root in the name: two files offered under one name download side by side, each resuming its own.
    const base = `${this.name}.${toHex(options.manifest.root).slice(0, 12)}.part`
    this.partPath = path.join(options.folder, base)
    this.#statePath = path.join(options.folder, `${base}.state`)
  }

  /** Starts a download, or resumes the one of the same file in the same folder. */
  static async open (options: ChunkStoreOptions): Promise<ChunkStore> {
    const { manifest, pieceLayer } = options
    if (!checkPieceLayer(pieceLayer, manifest.root, manifest.size, manifest.chunkSize)) {
      throw new BitChatError('INVALID_MANIFEST', `The list of parts of "${manifest.name}" does not match the file it claims to describe.`)
    }
    const store = new ChunkStore(options)
    await store.#load()
    return store
  }

  get state (): DownloadState { return this.#state }
  /** Why the download is paused, when an error paused it. */
  get pausedBy (): BitChatError | null { return this.#pausedBy }
  get chunkCount (): number { return this.#count }
  get verifiedChunks (): number { return this.#verified }
  get verifiedBytes (): number {
    if (this.#count === 0) return 0
    const lastIsVerified = this.has(this.#count - 1)
    return (this.#verified - (lastIsVerified ? 1 : 0)) * this.manifest.chunkSize + (lastIsVerified ? chunkLength(this.manifest.size, this.manifest.chunkSize, this.#count - 1) : 0)
  }

  /** Where the finished file was saved, once complete. */
  get savedAs (): string | null { return this.#savedAs }

  has (index: number): boolean {
    return Number.isInteger(index) && index >= 0 && index < this.#count && (this.#bits[index >> 3]! & (0x80 >> (index & 7))) !== 0
  }

  /** The verified chunks, bit i (high bit first) for chunk i, as BitTorrent's bitfield. */
  bitfield (): Uint8Array {
    return this.#bits.slice()
  }

  /**
   * Verifies `bytes` as chunk `index`, then writes it. A chunk that does not match is refused
   * (CHUNK_REJECTED) and nothing is written; one already held is ignored.
   */
  async write (index: number, bytes: Uint8Array): Promise<void> {
    this.#checkActive()
    const { size, chunkSize, name } = this.manifest
    const rejected = (): BitChatError => new BitChatError('CHUNK_REJECTED', `A part of "${name}" arrived damaged or altered (part ${index}): it was not saved, and will be asked for again.`)
    if (!Number.isInteger(index) || index < 0 || index >= this.#count || bytes.length !== chunkLength(size, chunkSize, index)) throw rejected()
    const root = await this.#hashChunk(bytes, size, chunkSize)
    if (toHex(root) !== toHex(pieceLayerHash(this.#pieceLayer, index))) throw rejected()
    this.#checkActive()
    if (this.has(index) || this.#writing.has(index)) return
    this.#writing.add(index)
    try {
      const file = this.#file!
      for (let done = 0; done < bytes.length;) {
        const { bytesWritten } = await this.#disk(file.write(bytes, done, bytes.length - done, index * chunkSize + done))
        done += bytesWritten
      }
    } finally {
      this.#writing.delete(index)
    }
    this.#bits[index >> 3]! |= 0x80 >> (index & 7)
    this.#verified++
    this.#unsavedBytes += bytes.length
    if (this.#unsavedBytes >= this.#saveEvery) await this.save()
  }

  /** A verified chunk, for serving it to others. */
  async read (index: number): Promise<Uint8Array> {
    this.#checkActive()
    if (!this.has(index)) throw new BitChatError('INVALID_PARAMS', `part ${index} of "${this.manifest.name}" is not here`)
    const length = chunkLength(this.manifest.size, this.manifest.chunkSize, index)
    const bytes = new Uint8Array(length)
    for (let done = 0; done < length;) {
      const { bytesRead } = await this.#disk(this.#file!.read(bytes, done, length - done, index * this.manifest.chunkSize + done))
      if (bytesRead === 0) throw new BitChatError('DOWNLOAD_CORRUPT', `the partly downloaded "${this.name}" is shorter than it was written`)
      done += bytesRead
    }
    return bytes
  }

  /**
   * Makes what was written durable, then saves the bitfield: the saved bitfield never names a chunk
   * the disk does not hold, whatever stops the process or the machine.
   */
  async save (): Promise<void> {
    const run = this.#saving.then(async () => {
      if (this.#file === null) return
      const unsaved = this.#unsavedBytes
      const bits = this.#bits.slice()
      await this.#disk(this.#file.datasync())
      await this.#disk(writeAtomically(this.#statePath, encodeState(this.manifest, bits)))
      this.#unsavedBytes -= unsaved
    })
    this.#saving = run.catch(() => {})
    await run
  }

  /** Saves what was verified and lets go of the file; `resume()` takes it up again. */
  async pause (): Promise<void> {
    if (this.#state !== 'downloading') return
    await this.save().catch(() => {})
    this.#state = 'paused'
    await this.#closeFile()
  }

  /** Takes a paused download up again from what was saved on disk (what the error may have cost is fetched again). */
  async resume (): Promise<void> {
    if (this.#state !== 'paused') return
    this.#pausedBy = null
    this.#state = 'downloading'
    await this.#load()
  }

  /**
   * Checks the whole file against its root, then moves it into the folder under a free name and
   * returns the path. Chunks found changed on disk are forgotten (DOWNLOAD_CORRUPT) to be fetched again.
   */
  async complete (): Promise<string> {
    if (this.#state === 'complete') return this.#savedAs!
    this.#checkActive()
    if (this.#verified < this.#count) {
      throw new BitChatError('DOWNLOAD_INCOMPLETE', `"${this.name}" is not finished: ${this.#count - this.#verified} of ${this.#count} parts are missing.`)
    }
    await this.#disk(this.#file!.truncate(this.manifest.size))
    await this.save()
    await this.#disk(fs.stat(this.#folder))
    const onDisk = await hashFile(this.partPath).catch(async (err: unknown) => {
      await this.#disk(fs.stat(this.partPath))
      throw err
    })
    if (toHex(onDisk.root) !== toHex(this.manifest.root)) await this.#forgetChanged(onDisk.pieceLayer)
    await this.#closeFile()
    const target = await this.#disk(this.#moveIntoPlace())
    await fs.rm(this.#statePath, { force: true })
    this.#state = 'complete'
    this.#savedAs = target
    return target
  }

  /** Stops for good: the `.part` file and its bitfield are removed. */
  async discard (): Promise<void> {
    await this.#closeFile()
    this.#state = 'discarded'
    await fs.rm(this.partPath, { force: true })
    await fs.rm(this.#statePath, { force: true })
  }

  /** Saves what was verified and lets go of the file (the node is stopping): later calls find it paused. */
  async close (): Promise<void> {
    if (this.#state !== 'downloading') return
    await this.save().catch(() => {})
    this.#state = 'paused'
    await this.#closeFile()
  }

  async #load (): Promise<void> {
    this.#bits.fill(0)
    this.#verified = 0
    this.#unsavedBytes = 0
    const saved = await readState(this.#statePath, this.manifest, this.#count)
    const existed = await fs.stat(this.partPath).then(() => true, () => false)
    this.#file = await this.#disk(fs.open(this.partPath, OPEN_FOR_WRITING, 0o644))
    // A bitfield without its part file (removed by hand) names nothing that is still there.
    if (saved !== null && existed) {
      this.#bits.set(saved)
      for (let i = 0; i < this.#count; i++) if (this.has(i)) this.#verified++
    }
    // Sparse: the space is taken as chunks arrive, and a full disk says so at the write that needs it.
    await this.#disk(this.#file.truncate(this.manifest.size))
  }

  async #forgetChanged (onDisk: PieceLayer): Promise<void> {
    let changed = 0
    for (let i = 0; i < this.#count; i++) {
      const same = onDisk.length === this.#pieceLayer.length && toHex(pieceLayerHash(onDisk, i)) === toHex(pieceLayerHash(this.#pieceLayer, i))
      if (same || !this.has(i)) continue
      this.#bits[i >> 3]! &= ~(0x80 >> (i & 7))
      this.#verified--
      changed++
    }
    await this.#disk(writeAtomically(this.#statePath, encodeState(this.manifest, this.#bits)))
    throw new BitChatError('DOWNLOAD_CORRUPT', `"${this.name}" changed on disk after it was checked: ${changed} of its parts will be downloaded again.`)
  }

  async #moveIntoPlace (): Promise<string> {
    for (let n = 0; n <= MAX_NAME_SUFFIX; n++) {
      const target = path.join(this.#folder, numberedName(this.name, n))
      try {
        await fs.link(this.partPath, target)
        await fs.unlink(this.partPath)
        return target
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? ''
        if (code === 'EEXIST') continue
        if (!NO_HARD_LINKS.has(code)) throw err
      }
      // Without hard links, a rename after a look: another process could take the name in between.
      const taken = await fs.lstat(target).then(() => true, (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false
        throw err
      })
      if (taken) continue
      await fs.rename(this.partPath, target)
      return target
    }
    throw noFreeName(this.name)
  }

  #checkActive (): void {
    if (this.#state === 'complete' || this.#state === 'discarded') throw new BitChatError('INVALID_PARAMS', `the download of "${this.name}" is ${this.#state}`)
    if (this.#state === 'paused') {
      throw this.#pausedBy ?? new BitChatError('DOWNLOAD_PAUSED', `The download of "${this.name}" is paused: resume it first.`)
    }
  }

  /** Runs a disk operation; an error from the disk pauses the download and comes out in plain words. */
  async #disk<T> (operation: Promise<T>): Promise<T> {
    try {
      return await operation
    } catch (err) {
      // A write that was under way when another one paused the download ends with that one's reason.
      if (this.#state === 'paused' && this.#pausedBy !== null) throw this.#pausedBy
      const coded = err instanceof BitChatError ? err : diskError(err as NodeJS.ErrnoException, this.#folder, this.name)
      if (this.#state === 'downloading') {
        this.#state = 'paused'
        this.#pausedBy = coded
        await this.#closeFile()
      }
      throw coded
    }
  }

  async #closeFile (): Promise<void> {
    const file = this.#file
    this.#file = null
    await file?.close().catch(() => {})
  }
}

/** A disk error in plain words, with its code; the system's own words follow for the curious. */
export function diskError (err: NodeJS.ErrnoException, folder: string, name: string): BitChatError {
  const detail = `(${err.code ?? 'error'}: ${err.message})`
  switch (err.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new BitChatError('DISK_FULL', `The disk holding ${folder} is full: "${name}" is paused. Free some space, then resume it. ${detail}`)
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return new BitChatError('DOWNLOAD_FOLDER_READ_ONLY', `${folder} cannot be written to: "${name}" is paused. Choose another folder or allow writing there, then resume it. ${detail}`)
    case 'ENOENT':
    case 'ENOTDIR':
      return new BitChatError('DOWNLOAD_FOLDER_MISSING', `${folder} is not there any more (a drive unplugged, or the folder moved): "${name}" is paused until it is back. ${detail}`)
    default:
      return new BitChatError('FILE_ERROR', `"${name}" could not be saved in ${folder}: it is paused. ${detail}`)
  }
}

/**
 * The bitfield file: magic ‖ u8 version ‖ root (32) ‖ u64 size ‖ bitfield ‖ SHA-256 of all before.
 * The root and size tie it to its file; the hash refuses one cut short or altered.
 */
function encodeState (manifest: FileManifest, bits: Uint8Array): Uint8Array {
  const body = new Uint8Array(STATE_MAGIC.length + 1 + HASH_BYTES + 8 + bits.length)
  body.set(STATE_MAGIC, 0)
  let at = STATE_MAGIC.length
  body[at++] = STATE_VERSION
  body.set(manifest.root, at)
  at += HASH_BYTES
  new DataView(body.buffer).setBigUint64(at, BigInt(manifest.size))
  body.set(bits, at + 8)
  const out = new Uint8Array(body.length + HASH_BYTES)
  out.set(body, 0)
  out.set(hash('sha256', body, 'buffer'), body.length)
  return out
}

/** The saved bitfield, or null when there is none or it is not this file's or not whole. */
async function readState (statePath: string, manifest: FileManifest, count: number): Promise<Uint8Array | null> {
  const bitsLength = Math.ceil(count / 8)
  const expected = encodeState(manifest, new Uint8Array(bitsLength))
  const bytes = await fs.readFile(statePath).catch(() => null)
  if (bytes === null || bytes.length !== expected.length) return null
  const bodyLength = bytes.length - HASH_BYTES
  const headerLength = bodyLength - bitsLength
  if (Buffer.compare(bytes.subarray(0, headerLength), expected.subarray(0, headerLength)) !== 0) return null
  if (Buffer.compare(bytes.subarray(bodyLength), hash('sha256', bytes.subarray(0, bodyLength), 'buffer')) !== 0) return null
  const bits = new Uint8Array(bytes.subarray(headerLength, bodyLength))
  // Bits past the last chunk are zero in a bitfield we wrote.
  if (count % 8 !== 0 && (bits[bitsLength - 1]! & (0xff >> (count % 8))) !== 0) return null
  return bits
}

/** Replaces `file` with `bytes` as one step: a crash leaves the old content or the new, never a mix. */
async function writeAtomically (file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.new`
  const handle = await fs.open(temporary, 'w', 0o644)
  try {
    await handle.writeFile(bytes)
    await handle.datasync()
  } finally {
    await handle.close()
  }
  await fs.rename(temporary, file)
}
