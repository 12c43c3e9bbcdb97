// Every bound of the file-sharing layer (PROTOCOL §5), defined once: the manifest codec, the
// Merkle tree, the chunk store and the names files are saved under all import them from here.

/** BEP 52's leaf: each 16 KiB block of a file is hashed with SHA-256. */
export const BLOCK_BYTES = 16 * 1024
export const HASH_BYTES = 32

/** Chunks (BEP 52's pieces) are powers of two between these, chosen from the size (`chunkSizeFor`). */
export const MIN_CHUNK_BYTES = BLOCK_BYTES
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024
/** Keeps a file's piece layer (its chunks' hashes) at 512 KiB at most, and its bitfield at 2 KiB. */
export const MAX_CHUNKS = 2 ** 14
/** 256 GiB: the largest file that fits in MAX_CHUNKS chunks of MAX_CHUNK_BYTES. */
export const MAX_FILE_BYTES = MAX_CHUNKS * MAX_CHUNK_BYTES
/** Levels above the leaves in the largest file's tree (2^24 blocks of 16 KiB). */
export const MAX_TREE_DEPTH = Math.log2(MAX_FILE_BYTES / BLOCK_BYTES)
export const MAX_PIECE_LAYER_BYTES = MAX_CHUNKS * HASH_BYTES

/** The manifest's format (PROTOCOL §5.1); a peer's manifest of another version is refused. */
export const MANIFEST_VERSION = 1
/** A name as offered, in UTF-8 bytes: 255 UTF-16 units of a file system's name limit, 4 bytes at most each. */
export const MAX_OFFERED_NAME_BYTES = 1020
/** version ‖ name (a 2-byte length) ‖ size (a varint of 2^38 takes 6 bytes) ‖ chunk size ‖ root: 1,062. */
export const MAX_MANIFEST_BYTES = 1 + 2 + MAX_OFFERED_NAME_BYTES + 6 + 1 + HASH_BYTES

/**
 * A saved file's name, in UTF-8 bytes: common file systems take 255, and the rest leaves room for
 * " (9999)" and the `.part` suffix of a download in progress.
 */
export const MAX_SAVED_NAME_BYTES = 200
/** An extension longer than this is cut with the rest of a long name rather than kept whole. */
export const MAX_KEPT_EXTENSION_BYTES = 32
/** "name (1).ext" … "name (9999).ext": a folder holding all of them is refused, not searched forever. */
export const MAX_NAME_SUFFIX = 9999
export const DEFAULT_SAVED_NAME = 'download'

/** What the hash worker reads at once: a multiple of BLOCK_BYTES, and all it holds of the file. */
export const HASH_READ_BYTES = 1024 * 1024
/** The hash worker reports progress after at least this much more of the file. */
export const HASH_PROGRESS_BYTES = 8 * 1024 * 1024

/**
 * Verified chunks written since the bitfield was last saved, in bytes, before it is saved again: a
 * crash loses at most this much verified data (fetched again), and saving costs one fdatasync.
 */
export const BITFIELD_SAVE_BYTES = 16 * 1024 * 1024

/** The chunk size of a file of `size` bytes: the least power of two ≥ 16 KiB that makes at most MAX_CHUNKS chunks. */
export function chunkSizeFor (size: number): number {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_FILE_BYTES) throw new RangeError(`a file is 0 to ${MAX_FILE_BYTES} bytes, not ${size}`)
  let chunkSize = MIN_CHUNK_BYTES
  while (Math.ceil(size / chunkSize) > MAX_CHUNKS) chunkSize *= 2
  return chunkSize
}
