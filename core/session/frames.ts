import { plainView, uninitialized } from '../codec/bytes.ts'

export const MAX_FRAME_LENGTH = 65535
export const FRAME_HEADER_LENGTH = 2

export type FrameErrorCode = 'EMPTY_FRAME' | 'FRAME_TOO_LARGE'

export class FrameError extends Error {
  readonly code: FrameErrorCode

  constructor (code: FrameErrorCode, message: string) {
    super(message)
    this.name = 'FrameError'
    this.code = code
  }
}

/** `u16be length ‖ payload` (PROTOCOL §3.1). */
export function encodeFrame (payload: Uint8Array): Uint8Array {
  if (payload.length < 1 || payload.length > MAX_FRAME_LENGTH) throw new RangeError(`a frame carries 1..${MAX_FRAME_LENGTH} bytes, not ${payload.length}`)
  const frame = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + payload.length)
  frame.writeUInt16BE(payload.length, 0)
  frame.set(payload, FRAME_HEADER_LENGTH)
  return frame
}

/**
 * Incremental frame parser. Input chunks are queued untouched; a frame lying whole inside one
 * chunk is returned as a view of it, and a frame spread over chunks is copied once into a body
 * allocated only after its length passed the limit. Frames may therefore alias pushed chunks; they
 * are plain Uint8Arrays, never Buffers (see bytes.ts).
 */
export class FrameDecoder {
  #maxLength: number
  // A head index instead of shift() keeps a long queue linear to drain.
  #queue: Uint8Array[] = []
  #head = 0
  #offset = 0 // into #queue[#head]
  #header = 0
  #headerBytes = 0
  #body: Uint8Array | null = null
  #bodyFilled = 0
  #failure: FrameError | null = null

  constructor (maxLength: number) {
    this.#maxLength = checkMax(maxLength)
  }

  /** Applies to every length prefix not yet read, including ones already buffered. */
  setMaxLength (maxLength: number): void {
    this.#maxLength = checkMax(maxLength)
  }

  /** Queues a chunk; frames come out of `next()`. */
  feed (chunk: Uint8Array): void {
    if (chunk.length > 0) this.#queue.push(chunk)
  }

  /** The next whole frame, or null until more bytes arrive. Throws FrameError, then keeps throwing it. */
  next (): Uint8Array | null {
    if (this.#failure !== null) throw this.#failure
    if (this.#body === null && !this.#readHeader()) return null
    return this.#readBody()
  }

  /** Feeds a chunk and returns every frame it completes. */
  push (chunk: Uint8Array): Uint8Array[] {
    this.feed(chunk)
    const frames: Uint8Array[] = []
    for (let frame = this.next(); frame !== null; frame = this.next()) frames.push(frame)
    return frames
  }

  #readHeader (): boolean {
    while (this.#headerBytes < FRAME_HEADER_LENGTH) {
      const chunk = this.#queue[this.#head]
      if (chunk === undefined) return false
      this.#header = (this.#header << 8) | chunk[this.#offset]!
      this.#headerBytes++
      this.#consume(1)
    }
    const length = this.#header
    this.#header = 0
    this.#headerBytes = 0
    if (length === 0) this.#fail(new FrameError('EMPTY_FRAME', 'frame length 0'))
    if (length > this.#maxLength) this.#fail(new FrameError('FRAME_TOO_LARGE', `frame length ${length} exceeds ${this.#maxLength}`))
    const chunk = this.#queue[this.#head]
    if (chunk !== undefined && chunk.length - this.#offset >= length) {
      this.#body = plainView(chunk.subarray(this.#offset, this.#offset + length))
      this.#bodyFilled = length
      this.#consume(length)
    } else {
      // Every byte is copied in before the body is handed on, so it need not be zeroed first.
      this.#body = uninitialized(length)
      this.#bodyFilled = 0
    }
    return true
  }

  #readBody (): Uint8Array | null {
    const body = this.#body!
    while (this.#bodyFilled < body.length) {
      const chunk = this.#queue[this.#head]
      if (chunk === undefined) return null
      const count = Math.min(body.length - this.#bodyFilled, chunk.length - this.#offset)
      body.set(chunk.subarray(this.#offset, this.#offset + count), this.#bodyFilled)
      this.#bodyFilled += count
      this.#consume(count)
    }
    this.#body = null
    return body
  }

  #consume (count: number): void {
    this.#offset += count
    if (this.#offset < this.#queue[this.#head]!.length) return
    this.#offset = 0
    this.#head++
    if (this.#head === this.#queue.length) {
      this.#queue = []
      this.#head = 0
    }
  }

  #fail (error: FrameError): never {
    this.#failure = error
    throw error
  }
}

function checkMax (maxLength: number): number {
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_FRAME_LENGTH) throw new RangeError(`a frame limit is 1..${MAX_FRAME_LENGTH}`)
  return maxLength
}
