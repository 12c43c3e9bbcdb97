// The bounds of the file offer and the file stream (PROTOCOL §5.2, §5.3), and the shape of a file
// (its size cut into chunks) every codec and policy of the transfer layer checks against. The bounds
// of the file itself (chunk sizes, chunk count, size, name) are transfer-limits.ts's, shared with the
// store. Only pure modules imported, so any layer (and the renderer) may read it.
import { chunkSizeFor, HASH_BYTES, MAX_CHUNK_BYTES, MAX_CHUNKS, MAX_FILE_BYTES, MAX_OFFERED_NAME_BYTES, MIN_CHUNK_BYTES } from './transfer-limits.ts'

export { MAX_CHUNKS, MAX_FILE_BYTES }
/** Chunk sizes are sent as their log2. */
export const MIN_CHUNK_LOG2 = Math.log2(MIN_CHUNK_BYTES)
export const MAX_CHUNK_LOG2 = Math.log2(MAX_CHUNK_BYTES)
export const ROOT_BYTES = HASH_BYTES
export const CHUNK_HASH_BYTES = HASH_BYTES

/** Files one offer names. */
export const MAX_OFFER_FILES = 32
/** A file name as offered, in UTF-8; the receiver shortens it when it saves. */
export const MAX_FILE_NAME_BYTES = MAX_OFFERED_NAME_BYTES
/** `type/subtype` (RFC 6838 limits each to 127 characters; no parameters). */
export const MAX_MIME_BYTES = 255
/** A thumbnail travels inside the offer, which is one signed entry's body (16 KiB): it must leave room for the rest. */
export const MAX_THUMBNAIL_BYTES = 12 * 1024

/**
 * A chunk's bytes travel in PIECE messages of this many bytes (the last of a chunk shorter): a
 * stream message carries at most 61,440 bytes after its type byte, and a PIECE's index and offset
 * take at most 2 + 4 of them.
 */
export const PIECE_BYTES = 60 * 1024 - 16
/** Hashes one LAYER message carries (32 KiB of them). */
export const MAX_LAYER_HASHES = 1024
/** REQUESTs a downloader may have outstanding with one peer on one file: more are answered BUSY. */
export const MAX_REQUESTS_PER_PEER = 16
/** Chunk bytes a downloader asks one peer for at once: what it holds in memory for that peer at most. */
export const MAX_REQUESTED_BYTES_PER_PEER = 16 * 1024 * 1024

/** A file as its offer describes it: its size cut into chunks of one power-of-two size. */
export interface FileShape {
  size: number
  chunkBytes: number
  chunkCount: number
}

/** The shape of a file of `size` bytes in chunks of 2^`chunkLog2`; throws RangeError outside the bounds. */
export function fileShape (size: number, chunkLog2: number): FileShape {
  if (!Number.isInteger(chunkLog2) || chunkLog2 < MIN_CHUNK_LOG2 || chunkLog2 > MAX_CHUNK_LOG2) {
    throw new RangeError(`a chunk is 2^${MIN_CHUNK_LOG2} to 2^${MAX_CHUNK_LOG2} bytes, not 2^${chunkLog2}`)
  }
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_FILE_BYTES) throw new RangeError(`a file is 1 to ${MAX_FILE_BYTES} bytes, not ${size}`)
  const chunkBytes = 2 ** chunkLog2
  const chunkCount = Math.ceil(size / chunkBytes)
  if (chunkCount > MAX_CHUNKS) throw new RangeError(`a file of ${size} bytes in ${chunkBytes}-byte chunks has ${chunkCount} chunks, above ${MAX_CHUNKS}`)
  return { size, chunkBytes, chunkCount }
}

/**
 * The log2 of a file's chunk size (PROTOCOL §5.1): the least power of two from 16 KiB that cuts it
 * into at most MAX_CHUNKS chunks, so one file has one shape whoever hashed it.
 */
export function chunkLog2For (size: number): number {
  return Math.log2(chunkSizeFor(size))
}

/** Bytes in chunk `index` of `shape`: the chunk size, less for the last one. */
export function chunkLength (shape: FileShape, index: number): number {
  return index === shape.chunkCount - 1 ? shape.size - index * shape.chunkBytes : shape.chunkBytes
}

/** Bytes of a bitfield of `shape`'s chunks, one bit each, the first chunk in the high bit of the first byte. */
export function bitfieldBytes (shape: FileShape): number {
  return Math.ceil(shape.chunkCount / 8)
}

export function hasChunk (bitfield: Uint8Array, index: number): boolean {
  return ((bitfield[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0
}

export function setChunk (bitfield: Uint8Array, index: number): void {
  bitfield[index >> 3] = (bitfield[index >> 3] ?? 0) | (0x80 >> (index & 7))
}
