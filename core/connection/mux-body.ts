// A DATA body (the plaintext of one transport frame after its type byte) carries one or more mux
// frames, each `varint length ‖ frame`. Small frames made in one go share a transport frame, so they
// pay for one AEAD call (about 1 µs of fixed cost each) and one write together instead of one each.
import { TAG_LENGTH } from '../session/cipher-state.ts'
import { MAX_FRAME_LENGTH } from '../session/frames.ts'
import { uninitialized } from '../codec/bytes.ts'
import { WireError } from '../wire/codec.ts'

/** A transport frame's plaintext less its type byte. */
export const MAX_DATA_BODY_BYTES = MAX_FRAME_LENGTH - TAG_LENGTH - 1
/** A frame this large gains nothing from company: it leaves at once, with the small frames before it. */
export const GATHER_BELOW_BYTES = 8 * 1024
/** Every length in a body is below 2^21. */
const MAX_LENGTH_BYTES = 3
const INITIAL_SCRATCH_BYTES = 1024

/**
 * Packs frames into bodies for `emit`, each behind `prefix` (room for the transport frame's header,
 * then its DATA type byte), at most MAX_DATA_BODY_BYTES long, and followed by `roomAfter` free bytes
 * (for the tag: the secure connection seals the body where it lies). Small frames wait in a buffer
 * until flush(), a full body or a large frame; a large frame is written straight into its body, so
 * its message is copied only once.
 */
export class BodyWriter {
  readonly #prefix: Uint8Array
  readonly #emit: (body: Uint8Array) => void
  readonly #roomAfter: number
  /** `prefix ‖ framed small frames`; grows to what the traffic needs, so a quiet connection holds little. */
  #scratch: Uint8Array
  #used: number

  constructor (prefix: Uint8Array, emit: (body: Uint8Array) => void, roomAfter = 0) {
    this.#prefix = Uint8Array.from(prefix)
    this.#emit = emit
    this.#roomAfter = roomAfter
    this.#scratch = new Uint8Array(Math.max(INITIAL_SCRATCH_BYTES, prefix.length + MAX_LENGTH_BYTES))
    this.#scratch.set(this.#prefix)
    this.#used = prefix.length
  }

  /** Frames waiting for flush(). */
  get pending (): boolean {
    return this.#used > this.#prefix.length
  }

  /** Whether a frame of `length` bytes still fits the body being gathered. */
  fits (length: number): boolean {
    return this.#used - this.#prefix.length + varintLength(length) + length <= MAX_DATA_BODY_BYTES
  }

  /** A whole encoded frame (a control frame). */
  frame (frame: Uint8Array): void {
    this.#add(frame.length, frame.length, (out, at) => { out.set(frame, at) })
  }

  /** A data frame, `varint stream ‖ message`, built in place. */
  data (stream: number, message: Uint8Array): void {
    const head = varintLength(stream)
    this.#add(head + message.length, message.length, (out, at) => {
      writeVarint(out, at, stream)
      out.set(message, at + head)
    })
  }

  /** Hands on the small frames gathered so far as one body. */
  flush (): void {
    if (!this.pending) return
    const body = uninitialized(this.#used + this.#roomAfter)
    body.set(this.#scratch.subarray(0, this.#used))
    this.#used = this.#prefix.length
    this.#emit(body)
  }

  #add (length: number, payload: number, write: (out: Uint8Array, at: number) => void): void {
    const framed = varintLength(length) + length
    if (framed > MAX_DATA_BODY_BYTES) throw new WireError(`a mux frame of ${length} bytes does not fit a transport frame`)
    if (!this.fits(length)) this.flush()
    if (payload < GATHER_BELOW_BYTES) {
      this.#reserve(framed)
      write(this.#scratch, writeVarint(this.#scratch, this.#used, length))
      this.#used += framed
      return
    }
    // Every byte but the room after is written below, and the room is the tag's.
    const body = uninitialized(this.#used + framed + this.#roomAfter)
    body.set(this.#scratch.subarray(0, this.#used))
    write(body, writeVarint(body, this.#used, length))
    this.#used = this.#prefix.length
    this.#emit(body)
  }

  #reserve (framed: number): void {
    if (this.#used + framed <= this.#scratch.length) return
    let size = this.#scratch.length * 2
    while (size < this.#used + framed) size *= 2
    const next = new Uint8Array(Math.min(size, this.#prefix.length + MAX_DATA_BODY_BYTES))
    next.set(this.#scratch.subarray(0, this.#used))
    this.#scratch = next
  }
}

/** The frames of a body, as views of it; throws WireError at the first malformed length (frames before it were valid). */
export function * framesOf (body: Uint8Array): Generator<Uint8Array> {
  if (body.length === 0) throw new WireError('an empty DATA body')
  let at = 0
  while (at < body.length) {
    let length = 0
    let i = 0
    for (;; i++) {
      if (i === MAX_LENGTH_BYTES) throw new WireError(`a frame length longer than ${MAX_LENGTH_BYTES} bytes`)
      if (at + i >= body.length) throw new WireError('truncated input: a frame length runs past the body')
      const byte = body[at + i]!
      length += (byte & 0x7f) * 2 ** (7 * i)
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) throw new WireError('a frame length is not minimally encoded')
        break
      }
    }
    at += i + 1
    if (length === 0) throw new WireError('a frame of length 0')
    if (length > body.length - at) throw new WireError(`truncated input: a frame of ${length} bytes with ${body.length - at} left in the body`)
    yield body.subarray(at, at + length)
    at += length
  }
}

/** One body holding `frames`, without a prefix: for tests and hand-built peers. */
export function encodeBody (frames: Uint8Array[]): Uint8Array {
  const bodies: Uint8Array[] = []
  const writer = new BodyWriter(new Uint8Array(0), (body) => { bodies.push(body) })
  for (const frame of frames) writer.frame(frame)
  writer.flush()
  if (bodies.length !== 1) throw new WireError(`${frames.length} frames do not fit one body`)
  return bodies[0]!
}

export function varintLength (n: number): number {
  let length = 1
  for (let rest = n; rest >= 0x80; rest = Math.floor(rest / 0x80)) length++
  return length
}

/** Writes `n` as LEB128 at `at`; returns the offset after it. */
export function writeVarint (out: Uint8Array, at: number, n: number): number {
  let rest = n
  let pos = at
  while (rest >= 0x80) {
    out[pos++] = (rest % 0x80) | 0x80
    rest = Math.floor(rest / 0x80)
  }
  out[pos] = rest
  return pos + 1
}
