// BEP 52 (BitTorrent v2) Merkle trees, without I/O: SHA-256 of each 16 KiB block as the leaves, the
// leaves padded with zero hashes to a power of two, the root ("pieces root") and the piece layer
// (one hash per chunk). PROTOCOL §5.1; checked against libtorrent in test/transfer/merkle.test.ts.
import { hash } from 'node:crypto'
import { BLOCK_BYTES, chunkSizeFor, HASH_BYTES, MAX_CHUNK_BYTES, MAX_CHUNKS, MAX_TREE_DEPTH, MIN_CHUNK_BYTES } from './transfer-limits.ts'

/** A file's chunk hashes, concatenated: hash i is bytes [32·i, 32·i + 32). */
export type PieceLayer = Uint8Array

export function sha256 (data: Uint8Array): Uint8Array {
  return new Uint8Array(hash('sha256', data, 'buffer'))
}

// zeroSubtree[h]: the root of a subtree of 2^h leaves that are all padding (a leaf of padding is 32 zero bytes).
const zeroSubtree: Uint8Array[] = [new Uint8Array(HASH_BYTES)]
for (let h = 1; h <= MAX_TREE_DEPTH; h++) zeroSubtree.push(hashPair(zeroSubtree[h - 1]!, zeroSubtree[h - 1]!))

function hashPair (left: Uint8Array, right: Uint8Array): Uint8Array {
  const pair = new Uint8Array(2 * HASH_BYTES)
  pair.set(left, 0)
  pair.set(right, HASH_BYTES)
  return sha256(pair)
}

/** log2 of the least power of two ≥ n (n ≥ 1). */
function heightFor (n: number): number {
  let height = 0
  while (2 ** height < n) height++
  return height
}

/**
 * The root of a tree whose lowest layer is `nodes` (each the root of a subtree of 2^padHeight
 * leaves), padded with zero subtrees to `width` nodes, a power of two.
 */
function reduceLayer (nodes: readonly Uint8Array[], width: number, padHeight: number): Uint8Array {
  let layer = nodes.slice()
  let h = padHeight
  for (let w = width; w > 1; w /= 2, h++) {
    const next: Uint8Array[] = []
    // Pairs of padding alone are not hashed: the next layer's padding is zeroSubtree[h + 1].
    for (let i = 0; i < layer.length; i += 2) next.push(hashPair(layer[i]!, layer[i + 1] ?? zeroSubtree[h]!))
    layer = next
  }
  return layer[0] ?? zeroSubtree[h]!
}

export function isChunkSize (n: number): boolean {
  return Number.isInteger(n) && n >= MIN_CHUNK_BYTES && n <= MAX_CHUNK_BYTES && (n & (n - 1)) === 0
}


/** Chunks of a file: an empty file has none. */
export function chunkCount (size: number, chunkSize: number): number {
  return Math.ceil(size / chunkSize)
}

/** Bytes in chunk `index` (the last one may be short). */
export function chunkLength (size: number, chunkSize: number, index: number): number {
  return Math.min(chunkSize, size - index * chunkSize)
}

function blockHashes (bytes: Uint8Array): Uint8Array[] {
  const leaves: Uint8Array[] = []
  // The last block is hashed as it is, shorter than 16 KiB, not padded (BEP 52).
  for (let at = 0; at < bytes.length; at += BLOCK_BYTES) leaves.push(sha256(bytes.subarray(at, at + BLOCK_BYTES)))
  return leaves
}

/**
 * The hash a chunk has in the piece layer: the root of its blocks' subtree padded to chunkSize / 16 KiB
 * leaves; when the whole file is this one chunk, the file's own root (its blocks padded only to a power of two).
 */
export function chunkRoot (bytes: Uint8Array, size: number, chunkSize: number): Uint8Array {
  const leaves = blockHashes(bytes)
  const width = size <= chunkSize ? 2 ** heightFor(Math.max(leaves.length, 1)) : chunkSize / BLOCK_BYTES
  return reduceLayer(leaves, width, 0)
}

/** The file's root from its piece layer (padded with zero subtrees of a chunk's height). */
export function rootFromPieceLayer (layer: PieceLayer, size: number, chunkSize: number): Uint8Array {
  const count = chunkCount(size, chunkSize)
  if (layer.length !== count * HASH_BYTES) throw new RangeError(`a piece layer of ${count} chunks is ${count * HASH_BYTES} bytes, not ${layer.length}`)
  if (count === 0) return zeroSubtree[0]!.slice()
  if (count === 1) return layer.slice(0, HASH_BYTES)
  const nodes: Uint8Array[] = []
  for (let i = 0; i < count; i++) nodes.push(layer.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES))
  return reduceLayer(nodes, 2 ** heightFor(count), Math.log2(chunkSize / BLOCK_BYTES))
}

export function pieceLayerHash (layer: PieceLayer, index: number): Uint8Array {
  return layer.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES)
}

function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** Whether `layer` is the piece layer of the file with this root, size and chunk size. */
export function checkPieceLayer (layer: PieceLayer, root: Uint8Array, size: number, chunkSize: number): boolean {
  if (layer.length !== chunkCount(size, chunkSize) * HASH_BYTES) return false
  return equalBytes(rootFromPieceLayer(layer, size, chunkSize), root)
}

/** Whether `bytes` are chunk `index` of the file whose (already checked) piece layer this is. */
export function checkChunk (layer: PieceLayer, index: number, bytes: Uint8Array, size: number, chunkSize: number): boolean {
  const count = chunkCount(size, chunkSize)
  if (!Number.isInteger(index) || index < 0 || index >= count) return false
  if (bytes.length !== chunkLength(size, chunkSize, index)) return false
  return equalBytes(chunkRoot(bytes, size, chunkSize), pieceLayerHash(layer, index))
}

export interface FileTree {
  readonly root: Uint8Array
  readonly pieceLayer: PieceLayer
}

/**
 * Hashes a file fed in order, in pieces of any length, holding only the chunk being hashed and the
 * piece layer: what the hash worker runs over a file on disk.
 */
export class FileHasher {
  readonly #size: number
  readonly #chunkSize: number
  readonly #layer: Uint8Array
  readonly #block = new Uint8Array(BLOCK_BYTES)
  #blockFill = 0
  #leaves: Uint8Array[] = []
  #chunks = 0
  #fed = 0

  constructor (size: number, chunkSize: number) {
    if (!isChunkSize(chunkSize)) throw new RangeError(`not a chunk size: ${chunkSize}`)
    if (chunkCount(size, chunkSize) > MAX_CHUNKS) throw new RangeError(`${size} bytes make more than ${MAX_CHUNKS} chunks of ${chunkSize}`)
    this.#size = size
    this.#chunkSize = chunkSize
    this.#layer = new Uint8Array(chunkCount(size, chunkSize) * HASH_BYTES)
  }

  get bytesHashed (): number {
    return this.#fed
  }

  update (bytes: Uint8Array): void {
    if (this.#fed + bytes.length > this.#size) throw new RangeError(`more than the ${this.#size} bytes announced`)
    this.#fed += bytes.length
    let at = 0
    while (at < bytes.length) {
      // Whole blocks straight from the input, without copying.
      if (this.#blockFill === 0 && bytes.length - at >= BLOCK_BYTES) {
        this.#addLeaf(sha256(bytes.subarray(at, at + BLOCK_BYTES)))
        at += BLOCK_BYTES
        continue
      }
      const take = Math.min(BLOCK_BYTES - this.#blockFill, bytes.length - at)
      this.#block.set(bytes.subarray(at, at + take), this.#blockFill)
      this.#blockFill += take
      at += take
      if (this.#blockFill === BLOCK_BYTES) {
        this.#blockFill = 0
        this.#addLeaf(sha256(this.#block))
      }
    }
  }

  #addLeaf (leaf: Uint8Array): void {
    this.#leaves.push(leaf)
    if (this.#leaves.length === this.#chunkSize / BLOCK_BYTES) this.#endChunk()
  }

  #endChunk (): void {
    const width = this.#size <= this.#chunkSize ? 2 ** heightFor(this.#leaves.length) : this.#chunkSize / BLOCK_BYTES
    this.#layer.set(reduceLayer(this.#leaves, width, 0), this.#chunks * HASH_BYTES)
    this.#chunks++
    this.#leaves = []
  }

  finish (): FileTree {
    if (this.#fed !== this.#size) throw new RangeError(`${this.#fed} bytes hashed of ${this.#size}`)
    if (this.#blockFill > 0) this.#addLeaf(sha256(this.#block.subarray(0, this.#blockFill)))
    this.#blockFill = 0
    if (this.#leaves.length > 0) this.#endChunk()
    return { root: rootFromPieceLayer(this.#layer, this.#size, this.#chunkSize), pieceLayer: this.#layer }
  }
}

/** The whole tree of a file held in memory (tests, small files). */
export function fileTree (bytes: Uint8Array, chunkSize = chunkSizeFor(bytes.length)): FileTree {
  const hasher = new FileHasher(bytes.length, chunkSize)
  hasher.update(bytes)
  return hasher.finish()
}
