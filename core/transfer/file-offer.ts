// The offer of one or several files in a conversation (PROTOCOL §5.2): the body of a signed group
// entry, read by everyone in the channel or the private conversation. Each file is named by its
// Merkle root; its name, type and thumbnail are what the recipients see before they accept.
import { MAX_BODY_BYTES } from '../wire/group-message.ts'
import { encodeUtf8, Reader, WireError, Writer } from '../wire/codec.ts'
import { bytesEqual } from '../codec/bytes.ts'
import {
  chunkLog2For, fileShape, MAX_CHUNK_LOG2, MAX_FILE_NAME_BYTES, MAX_MIME_BYTES, MAX_OFFER_FILES, MAX_THUMBNAIL_BYTES, MIN_CHUNK_LOG2, ROOT_BYTES
} from './protocol-limits.ts'

export const FILE_OFFER_VERSION = 1

export type ThumbnailType = 'image/jpeg' | 'image/png' | 'image/webp'

export interface OfferedFile {
  /** As the sender's file system names it; the receiver makes it safe before it saves (core/codec/file-name.ts). */
  name: string
  size: number
  /** `type/subtype`, or '' when the sender does not know it. */
  mime: string
  /** The file's Merkle root: what the file is, and the topic of its file streams. */
  root: Uint8Array
  /** log2 of the chunk size: always `chunkLog2For(size)`. */
  chunkLog2: number
  /** A small JPEG, PNG or WebP to show before the file is fetched; empty for none. */
  thumbnail: Uint8Array
}

export interface FileOffer { files: OfferedFile[] }

// version, file count; per file: name length and at least 1 byte, size, mime length, root, chunk log2, thumbnail length.
const MIN_FILE_BYTES = 1 + 1 + 1 + 1 + ROOT_BYTES + 1 + 1
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/

export function encodeFileOffer (offer: FileOffer): Uint8Array {
  checkFileCount(offer.files.length)
  const w = new Writer().u8(FILE_OFFER_VERSION).varint(offer.files.length)
  for (const file of offer.files) {
    checkFile(file)
    w.string(file.name, MAX_FILE_NAME_BYTES, 'file name')
      .varint(file.size)
      .string(file.mime, MAX_MIME_BYTES, 'mime type')
      .fixed(file.root, ROOT_BYTES, 'root')
      .u8(file.chunkLog2)
      .bytes(file.thumbnail, MAX_THUMBNAIL_BYTES, 'thumbnail')
  }
  checkRootsDiffer(offer.files)
  const body = w.finish()
  if (body.length > MAX_BODY_BYTES) throw new WireError(`a file offer is ${body.length} bytes, above an entry body's ${MAX_BODY_BYTES}: send fewer files or smaller thumbnails`)
  return body
}

/** Reads an offer's body; throws WireError for anything outside its rules. */
export function decodeFileOffer (body: Uint8Array): FileOffer {
  if (body.length > MAX_BODY_BYTES) throw new WireError(`a file offer is ${body.length} bytes, above ${MAX_BODY_BYTES}`)
  const r = new Reader(body)
  const version = r.u8('offer version')
  if (version !== FILE_OFFER_VERSION) throw new WireError(`unknown file offer version ${version}`)
  const count = r.count(MAX_OFFER_FILES, MIN_FILE_BYTES, 'offered files')
  checkFileCount(count)
  const files: OfferedFile[] = []
  for (let i = 0; i < count; i++) {
    const file: OfferedFile = {
      name: r.string(MAX_FILE_NAME_BYTES, 'file name'),
      size: r.varint('file size'),
      mime: r.string(MAX_MIME_BYTES, 'mime type'),
      root: r.fixed(ROOT_BYTES, 'root'),
      chunkLog2: r.u8('chunk size'),
      thumbnail: r.bytes(MAX_THUMBNAIL_BYTES, 'thumbnail')
    }
    checkFile(file)
    files.push(file)
  }
  r.end()
  checkRootsDiffer(files)
  return { files }
}

/** What a thumbnail is by its first bytes, or undefined when it is none of the three image types taken. */
export function thumbnailType (bytes: Uint8Array): ThumbnailType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  // RIFF ‖ u32 size ‖ WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && bytes.length >= 12 && startsWith(bytes.subarray(8), [0x57, 0x45, 0x42, 0x50])) return 'image/webp'
  return undefined
}

function checkFileCount (n: number): void {
  if (n < 1 || n > MAX_OFFER_FILES) throw new WireError(`an offer names 1 to ${MAX_OFFER_FILES} files, not ${n}`)
}

function checkFile (file: OfferedFile): void {
  const nameBytes = encodeUtf8(file.name, MAX_FILE_NAME_BYTES, 'file name').length
  if (nameBytes === 0) throw new WireError('a file name is not empty')
  if (file.chunkLog2 < MIN_CHUNK_LOG2 || file.chunkLog2 > MAX_CHUNK_LOG2 || !Number.isInteger(file.chunkLog2)) {
    throw new WireError(`a chunk is 2^${MIN_CHUNK_LOG2} to 2^${MAX_CHUNK_LOG2} bytes, not 2^${file.chunkLog2}`)
  }
  if (file.size === 0) {
    // An empty file: nothing to fetch, its root 32 zero bytes (PROTOCOL §5.1).
    if (file.root.some(b => b !== 0)) throw new WireError('the root of an empty file is 32 zero bytes')
  } else {
    try {
      fileShape(file.size, file.chunkLog2)
    } catch (err) {
      throw new WireError((err as Error).message)
    }
  }
  if (file.chunkLog2 !== chunkLog2For(file.size)) throw new WireError(`a file of ${file.size} bytes has chunks of 2^${chunkLog2For(file.size)} bytes, not 2^${file.chunkLog2}`)
  if (file.mime !== '' && !MIME.test(file.mime)) throw new WireError(`not a mime type: ${JSON.stringify(file.mime.slice(0, 64))}`)
  if (file.root.length !== ROOT_BYTES) throw new WireError(`a root is ${ROOT_BYTES} bytes`)
  if (file.thumbnail.length > MAX_THUMBNAIL_BYTES) throw new WireError(`a thumbnail is at most ${MAX_THUMBNAIL_BYTES} bytes`)
  if (file.thumbnail.length > 0 && thumbnailType(file.thumbnail) === undefined) throw new WireError('a thumbnail is a JPEG, PNG or WebP image')
}

function checkRootsDiffer (files: readonly OfferedFile[]): void {
  for (let i = 1; i < files.length; i++) {
    for (let j = 0; j < i; j++) {
      if (bytesEqual(files[i]!.root, files[j]!.root)) throw new WireError('an offer names one file twice')
    }
  }
}

function startsWith (bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b)
}
