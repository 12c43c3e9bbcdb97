// The hash worker's thread (started by hash-worker.ts): reads one file HASH_READ_BYTES at a time
// into one buffer and feeds the BEP 52 hasher, so neither the event loop that serves the API waits
// on it nor memory grows with the file. Blocking reads are fine here: this thread does nothing else.
import fs from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { FileHasher, chunkRoot } from './merkle.ts'
import { chunkSizeFor } from './transfer-limits.ts'
import { HASH_PROGRESS_BYTES, HASH_READ_BYTES, MAX_FILE_BYTES } from './transfer-limits.ts'

/** A file to hash once, or (no path) a thread that hashes chunks sent to it until it is terminated. */
export interface HashJob { readonly path?: string }
export interface ChunkJob { readonly id: number, readonly bytes: Uint8Array, readonly size: number, readonly chunkSize: number }
export interface ChunkReply { readonly id: number, readonly root: Uint8Array }
export type HashReply =
  | { readonly type: 'progress', readonly bytesHashed: number, readonly size: number }
  | { readonly type: 'done', readonly size: number, readonly root: Uint8Array, readonly pieceLayer: Uint8Array }
  | { readonly type: 'failed', readonly reason: 'too-large' | 'not-a-file' | 'changed' | 'io', readonly detail: string }

const port = parentPort!
const { path } = workerData as HashJob

function hash (path: string): HashReply {
  const fd = fs.openSync(path, 'r')
  try {
    const before = fs.fstatSync(fd)
    if (!before.isFile()) return { type: 'failed', reason: 'not-a-file', detail: `${path} is not a file` }
    const size = before.size
    if (size > MAX_FILE_BYTES) return { type: 'failed', reason: 'too-large', detail: `${size} bytes` }
    const hasher = new FileHasher(size, chunkSizeFor(size))
    const buffer = new Uint8Array(HASH_READ_BYTES)
    let reported = 0
    while (hasher.bytesHashed < size) {
      const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, size - hasher.bytesHashed), hasher.bytesHashed)
      if (read === 0) return { type: 'failed', reason: 'changed', detail: `ended at ${hasher.bytesHashed} of ${size} bytes` }
      hasher.update(buffer.subarray(0, read))
      if (hasher.bytesHashed - reported >= HASH_PROGRESS_BYTES) {
        reported = hasher.bytesHashed
        port.postMessage({ type: 'progress', bytesHashed: reported, size } satisfies HashReply)
      }
    }
    const after = fs.fstatSync(fd)
    if (after.size !== size || after.mtimeMs !== before.mtimeMs) return { type: 'failed', reason: 'changed', detail: 'written to while it was read' }
    const { root, pieceLayer } = hasher.finish()
    return { type: 'done', size, root, pieceLayer }
  } finally {
    fs.closeSync(fd)
  }
}

function hashOnce (path: string): void {
  let reply: HashReply
  try {
    reply = hash(path)
  } catch (err) {
    reply = { type: 'failed', reason: 'io', detail: (err as Error).message }
  }
  port.postMessage(reply, reply.type === 'done' ? [reply.pieceLayer.buffer as ArrayBuffer] : [])
}

if (path === undefined) {
  port.on('message', ({ id, bytes, size, chunkSize }: ChunkJob) => {
    port.postMessage({ id, root: chunkRoot(bytes, size, chunkSize) } satisfies ChunkReply)
  })
} else {
  hashOnce(path)
}
