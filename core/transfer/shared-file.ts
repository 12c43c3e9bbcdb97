// A file we serve to others: our own original, read where it lies (and checked to be the file we
// hashed: a file changed since stops being shared), or a download's verified chunks, read through its
// chunk store. Either way the file's manifest and piece layer say what it is.
import fs from 'node:fs/promises'
import { BitChatError } from '../api/errors.ts'
import type { ChunkStore } from './chunk-store.ts'
import type { FileManifest } from './file-manifest.ts'
import type { PieceLayer } from './merkle.ts'
import { bitfieldBytes, fileShape, setChunk, type FileShape } from './protocol-limits.ts'

/** How often an original is looked at again (size and modification time) while it is read. */
export const RECHECK_MS = 1_000
/** Whole chunks of a download kept read for the PIECEs that follow: one per peer being served, about. */
const CACHED_CHUNKS = 4

type Source =
  | { kind: 'original'; path: string; size: number; mtimeMs: number }
  | { kind: 'store'; store: ChunkStore }

export class SharedFile {
  readonly manifest: FileManifest
  readonly pieceLayer: PieceLayer
  readonly shape: FileShape
  readonly #source: Source
  readonly #now: () => number
  #handle: Promise<fs.FileHandle> | null = null
  #checkedAt = -Infinity
  readonly #chunks = new Map<number, Promise<Uint8Array>>()

  private constructor (manifest: FileManifest, pieceLayer: PieceLayer, source: Source, now: () => number) {
    this.manifest = manifest
    this.pieceLayer = pieceLayer
    this.shape = fileShape(manifest.size, Math.log2(manifest.chunkSize))
    this.#source = source
    this.#now = now
  }

  /**
   * Our own file at `filePath`, as hashed into `manifest` and `pieceLayer`: its size and modification
   * time now are what later reads are checked against.
   */
  static async original (filePath: string, manifest: FileManifest, pieceLayer: PieceLayer, now: () => number = Date.now): Promise<SharedFile> {
    const stat = await fs.stat(filePath).catch((err: NodeJS.ErrnoException) => { throw unreadable(filePath, manifest, err) })
    if (!stat.isFile() || stat.size !== manifest.size) {
      throw new BitChatError('FILE_ERROR', `"${manifest.name}" is not the file that was offered any more: it is ${stat.size} bytes, not ${manifest.size}.`)
    }
    return new SharedFile(manifest, pieceLayer, { kind: 'original', path: filePath, size: stat.size, mtimeMs: stat.mtimeMs }, now)
  }

  /** The verified chunks of a download in progress. */
  static fromStore (store: ChunkStore, pieceLayer: PieceLayer): SharedFile {
    return new SharedFile(store.manifest, pieceLayer, { kind: 'store', store }, Date.now)
  }

  /** The saved path of an original; undefined for a download's chunks. */
  get path (): string | undefined { return this.#source.kind === 'original' ? this.#source.path : undefined }

  has (index: number): boolean {
    return this.#source.kind === 'original' ? index >= 0 && index < this.shape.chunkCount : this.#source.store.has(index)
  }

  /** The chunks we hold, verified: what our BITFIELD says. */
  bitfield (): Uint8Array {
    if (this.#source.kind === 'store') return this.#source.store.bitfield()
    const bits = new Uint8Array(bitfieldBytes(this.shape))
    for (let i = 0; i < this.shape.chunkCount; i++) setChunk(bits, i)
    return bits
  }

  /**
   * `length` bytes of chunk `index` from `offset`. Throws BitChatError (FILE_ERROR) when the
   * original changed or cannot be read: it is no longer the file offered.
   */
  async read (index: number, offset: number, length: number): Promise<Uint8Array> {
    const source = this.#source
    if (source.kind === 'store') {
      let chunk = this.#chunks.get(index)
      if (chunk === undefined) {
        chunk = source.store.read(index)
        this.#chunks.set(index, chunk)
        chunk.catch(() => { this.#chunks.delete(index) })
        if (this.#chunks.size > CACHED_CHUNKS) this.#chunks.delete(this.#chunks.keys().next().value!)
      }
      return (await chunk).subarray(offset, offset + length)
    }
    await this.#check(source)
    this.#handle ??= fs.open(source.path, 'r')
    const handle = await this.#handle.catch((err: NodeJS.ErrnoException) => {
      this.#handle = null
      throw unreadable(source.path, this.manifest, err)
    })
    const bytes = new Uint8Array(length)
    const at = index * this.shape.chunkBytes + offset
    for (let done = 0; done < length;) {
      const { bytesRead } = await handle.read(bytes, done, length - done, at + done).catch((err: NodeJS.ErrnoException) => { throw unreadable(source.path, this.manifest, err) })
      if (bytesRead === 0) throw changed(this.manifest)
      done += bytesRead
    }
    return bytes
  }

  async close (): Promise<void> {
    const handle = this.#handle
    this.#handle = null
    this.#chunks.clear()
    await handle?.then(async h => { await h.close() }, () => {})
  }

  async #check (source: Extract<Source, { kind: 'original' }>): Promise<void> {
    const now = this.#now()
    if (now - this.#checkedAt < RECHECK_MS) return
    const stat = await fs.stat(source.path).catch((err: NodeJS.ErrnoException) => { throw unreadable(source.path, this.manifest, err) })
    if (stat.size !== source.size || stat.mtimeMs !== source.mtimeMs) throw changed(this.manifest)
    this.#checkedAt = now
  }
}

function changed (manifest: FileManifest): BitChatError {
  return new BitChatError('FILE_ERROR', `"${manifest.name}" changed since it was offered: it is no longer shared. Send it again to share it as it is now.`)
}

function unreadable (filePath: string, manifest: FileManifest, err: NodeJS.ErrnoException): BitChatError {
  return new BitChatError('FILE_ERROR', `"${manifest.name}" cannot be read any more, so it is no longer shared (${err.code ?? 'error'}: ${err.message}; ${filePath}).`)
}
