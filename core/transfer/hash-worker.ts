// Hashing a file on disk into its manifest and piece layer in a worker thread (hash-worker-thread.ts),
// streamed: the event loop that serves the API goes on while a large file is read and hashed.
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { BitChatError } from '../api/errors.ts'
import { manifestOf, type FileManifest } from './file-manifest.ts'
import { chunkRoot, type PieceLayer } from './merkle.ts'
import type { ChunkJob, ChunkReply, HashJob, HashReply } from './hash-worker-thread.ts'
import { MAX_FILE_BYTES } from './transfer-limits.ts'

export interface HashProgress {
  readonly bytesHashed: number
  readonly size: number
}

export interface HashOptions {
  /** At most one call per HASH_PROGRESS_BYTES read. */
  readonly onProgress?: (progress: HashProgress) => void
  /** Stops the thread; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal
}

export interface FileHashes {
  readonly size: number
  readonly root: Uint8Array
  readonly pieceLayer: PieceLayer
}

export interface HashedFile {
  readonly manifest: FileManifest
  readonly pieceLayer: PieceLayer
}

// The thread's module beside this one, .ts when run from the sources and .js from the build.
const THREAD_URL = new URL(`./hash-worker-thread${path.extname(new URL(import.meta.url).pathname)}`, import.meta.url)

/** The BEP 52 root and piece layer of the file at `filePath`, as it is now. */
export async function hashFile (filePath: string, options: HashOptions = {}): Promise<FileHashes> {
  const { signal, onProgress } = options
  signal?.throwIfAborted()
  const worker = new Worker(THREAD_URL, { workerData: { path: filePath } satisfies HashJob })
  return await new Promise<FileHashes>((resolve, reject) => {
    let settled = false
    const settle = (finish: () => void): void => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      finish()
      void worker.terminate()
    }
    const onAbort = (): void => { settle(() => { reject(signal?.reason) }) }
    signal?.addEventListener('abort', onAbort, { once: true })
    worker.on('message', (reply: HashReply) => {
      if (reply.type === 'progress') {
        if (!settled) onProgress?.({ bytesHashed: reply.bytesHashed, size: reply.size })
        return
      }
      if (reply.type === 'failed') {
        settle(() => { reject(hashError(filePath, reply.reason, reply.detail)) })
        return
      }
      settle(() => {
        onProgress?.({ bytesHashed: reply.size, size: reply.size })
        resolve({ size: reply.size, root: reply.root, pieceLayer: reply.pieceLayer })
      })
    })
    worker.on('error', (err) => { settle(() => { reject(hashError(filePath, 'io', err.message)) }) })
    worker.on('exit', (code) => { settle(() => { reject(hashError(filePath, 'io', `the hashing thread stopped (exit code ${code})`)) }) })
  })
}

/** The manifest (offered as `name`, the file's own name unless given) and piece layer of a file to send. */
export async function hashFileForOffer (filePath: string, name = path.basename(filePath), options: HashOptions = {}): Promise<HashedFile> {
  const { size, root, pieceLayer } = await hashFile(filePath, options)
  try {
    return { manifest: manifestOf(name, size, { root, pieceLayer }), pieceLayer }
  } catch (err) {
    throw new BitChatError('INVALID_PARAMS', `"${name}" cannot be offered as a file name: ${(err as Error).message}`)
  }
}

function hashError (filePath: string, reason: Extract<HashReply, { type: 'failed' }>['reason'], detail: string): BitChatError {
  const name = path.basename(filePath)
  switch (reason) {
    case 'too-large': return new BitChatError('FILE_TOO_LARGE', `"${name}" is larger than ${MAX_FILE_BYTES / 2 ** 30} GiB, the most a file sent may be (${detail}).`)
    case 'not-a-file': return new BitChatError('FILE_ERROR', `"${name}" is not a file: only files can be sent.`)
    case 'changed': return new BitChatError('FILE_ERROR', `"${name}" changed while it was being read: try again once it is saved (${detail}).`)
    case 'io': return new BitChatError('FILE_ERROR', `"${name}" could not be read: ${detail}`)
  }
}

/** Computes a received chunk's hash for the piece layer (`chunkRoot`): what a chunk store checks before writing. */
export type ChunkHashing = (bytes: Uint8Array, size: number, chunkSize: number) => Promise<Uint8Array>

/** On the calling thread: for tests and small files. */
export const hashChunkHere: ChunkHashing = async (bytes, size, chunkSize) => chunkRoot(bytes, size, chunkSize)

/**
 * A thread that hashes received chunks, so that checking a download (up to 16 MiB a chunk) takes no
 * time from the event loop that serves the API. One thread is shared by every download of a node.
 */
export class ChunkHasher {
  readonly #worker: Worker
  readonly #pending = new Map<number, { resolve: (root: Uint8Array) => void, reject: (err: Error) => void }>()
  #nextId = 0
  #failure: Error | null = null

  constructor () {
    this.#worker = new Worker(THREAD_URL, { workerData: {} satisfies HashJob })
    // Only work waiting keeps the process alive.
    this.#worker.unref()
    this.#worker.on('message', ({ id, root }: ChunkReply) => {
      const job = this.#pending.get(id)
      this.#pending.delete(id)
      if (this.#pending.size === 0) this.#worker.unref()
      job?.resolve(root)
    })
    const fail = (err: Error): void => {
      this.#failure = err
      for (const job of this.#pending.values()) job.reject(err)
      this.#pending.clear()
    }
    this.#worker.on('error', fail)
    this.#worker.on('exit', (code) => { fail(new BitChatError('INTERNAL', `the chunk hashing thread stopped (exit code ${code})`)) })
  }

  readonly hash: ChunkHashing = async (bytes, size, chunkSize) => {
    if (this.#failure !== null) throw this.#failure
    const id = this.#nextId++
    return await new Promise<Uint8Array>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      if (this.#pending.size === 1) this.#worker.ref()
      // A copy goes to the thread: the caller keeps its bytes to write once they are found good.
      this.#worker.postMessage({ id, bytes, size, chunkSize } satisfies ChunkJob)
    })
  }

  async close (): Promise<void> {
    await this.#worker.terminate()
  }
}
