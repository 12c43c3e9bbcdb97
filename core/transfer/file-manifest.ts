// What identifies an offered file (PROTOCOL §5.1): its name as offered, size, chunk size and Merkle
// root; and its piece layer, a codec of its own so it can travel with the offer or be fetched after.
import { Reader, WireError, Writer } from '../wire/codec.ts'
import { checkPieceLayer, chunkCount, type FileTree, type PieceLayer } from './merkle.ts'
import { chunkSizeFor, HASH_BYTES, MANIFEST_VERSION, MAX_FILE_BYTES, MAX_MANIFEST_BYTES, MAX_OFFERED_NAME_BYTES, MAX_PIECE_LAYER_BYTES } from './transfer-limits.ts'

export interface FileManifest {
  /** As the sender offered it: shown, and made safe (download-name.ts) before anything is saved under it. */
  readonly name: string
  readonly size: number
  /** Always `chunkSizeFor(size)`: one file has one manifest, whoever hashed it. */
  readonly chunkSize: number
  /** The BEP 52 pieces root; 32 zero bytes for an empty file. */
  readonly root: Uint8Array
}

export function manifestOf (name: string, size: number, tree: FileTree): FileManifest {
  const manifest = { name, size, chunkSize: chunkSizeFor(size), root: tree.root }
  // Checks the name and size bounds here rather than at the first encode, far from the cause.
  decodeManifest(encodeManifest(manifest))
  return manifest
}

export function encodeManifest (manifest: FileManifest): Uint8Array {
  checkSize(manifest.size)
  if (manifest.chunkSize !== chunkSizeFor(manifest.size)) throw new WireError(`a file of ${manifest.size} bytes has chunks of ${chunkSizeFor(manifest.size)}, not ${manifest.chunkSize}`)
  if (manifest.name === '') throw new WireError('a file name is not empty')
  return new Writer()
    .u8(MANIFEST_VERSION)
    .string(manifest.name, MAX_OFFERED_NAME_BYTES, 'file name')
    .varint(manifest.size)
    .u8(Math.log2(manifest.chunkSize))
    .fixed(manifest.root, HASH_BYTES, 'root')
    .finish()
}

/** Throws WireError for anything but one well-formed manifest of this version within every bound. */
export function decodeManifest (bytes: Uint8Array): FileManifest {
  if (bytes.length > MAX_MANIFEST_BYTES) throw new WireError(`a manifest is at most ${MAX_MANIFEST_BYTES} bytes, not ${bytes.length}`)
  const reader = new Reader(bytes)
  const version = reader.u8('manifest version')
  if (version !== MANIFEST_VERSION) throw new WireError(`manifest version ${version} is not ${MANIFEST_VERSION}`)
  const name = reader.string(MAX_OFFERED_NAME_BYTES, 'file name')
  if (name === '') throw new WireError('a file name is not empty')
  const size = reader.varint('file size')
  checkSize(size)
  const chunkSize = 2 ** reader.u8('chunk size')
  if (chunkSize !== chunkSizeFor(size)) throw new WireError(`a file of ${size} bytes has chunks of ${chunkSizeFor(size)}, not ${chunkSize}`)
  const root = reader.fixed(HASH_BYTES, 'root')
  if (size === 0 && root.some(b => b !== 0)) throw new WireError('the root of an empty file is 32 zero bytes')
  reader.end()
  return { name, size, chunkSize, root }
}

function checkSize (size: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_FILE_BYTES) throw new WireError(`a file is 0 to ${MAX_FILE_BYTES} bytes, not ${size}`)
}

/** The piece layer as sent: its hashes in chunk order, nothing else (the manifest gives their number). */
export function encodePieceLayer (layer: PieceLayer, manifest: FileManifest): Uint8Array {
  if (!checkPieceLayer(layer, manifest.root, manifest.size, manifest.chunkSize)) throw new WireError('the piece layer does not match the manifest')
  return layer.slice()
}

/** The piece layer of `manifest`'s file, checked against its root; throws WireError otherwise. */
export function decodePieceLayer (bytes: Uint8Array, manifest: FileManifest): PieceLayer {
  const expected = chunkCount(manifest.size, manifest.chunkSize) * HASH_BYTES
  if (bytes.length > MAX_PIECE_LAYER_BYTES || bytes.length !== expected) throw new WireError(`the piece layer is ${bytes.length} bytes, not ${expected}`)
  if (!checkPieceLayer(bytes, manifest.root, manifest.size, manifest.chunkSize)) throw new WireError('the piece layer does not match the root')
  // A copy: a view would keep a whole network read alive for the download's life.
  return new Uint8Array(bytes)
}
