/** Anything malformed on the wire, or a value that cannot be put on it. */
export class WireError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'WireError'
  }
}

/** 8 LEB128 groups carry 56 bits, enough for every value below 2^53. */
export const MAX_VARINT_BYTES = 8

const utf8Encoder = new TextEncoder()
// fatal: a peer's invalid UTF-8 is an error, not a string quietly patched with U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

export function encodeUtf8 (s: string, maxBytes: number, field = 'string'): Uint8Array {
  const bytes = utf8Encoder.encode(s)
  // TextEncoder turns lone surrogates into U+FFFD; refuse rather than send something else than asked.
  if (utf8Decoder.decode(bytes) !== s) throw new WireError(`${field} is not well-formed Unicode`)
  if (bytes.length > maxBytes) throw new WireError(`${field} is ${bytes.length} bytes, above the limit of ${maxBytes}`)
  return bytes
}

export function decodeUtf8 (bytes: Uint8Array, field = 'string'): string {
  try {
    return utf8Decoder.decode(bytes)
  } catch {
    throw new WireError(`${field} is not valid UTF-8`)
  }
}

export function isVarint (n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0
}

export class Writer {
  #buf = new Uint8Array(64)
  #len = 0

  #reserve (n: number): void {
    if (this.#len + n <= this.#buf.length) return
    let size = this.#buf.length * 2
    while (size < this.#len + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.#buf.subarray(0, this.#len))
    this.#buf = next
  }

  u8 (n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new WireError(`u8 out of range: ${n}`)
    this.#reserve(1)
    this.#buf[this.#len++] = n
    return this
  }

  varint (n: number): this {
    if (!isVarint(n)) throw new WireError(`varint out of range: ${n}`)
    this.#reserve(MAX_VARINT_BYTES)
    let rest = n
    while (rest >= 0x80) {
      this.#buf[this.#len++] = (rest % 0x80) | 0x80
      rest = Math.floor(rest / 0x80)
    }
    this.#buf[this.#len++] = rest
    return this
  }

  fixed (b: Uint8Array, len: number, field = 'fixed-size field'): this {
    if (b.length !== len) throw new WireError(`${field} must be ${len} bytes, got ${b.length}`)
    this.#reserve(len)
    this.#buf.set(b, this.#len)
    this.#len += len
    return this
  }

  bytes (b: Uint8Array, max: number, field = 'byte string'): this {
    if (b.length > max) throw new WireError(`${field} is ${b.length} bytes, above the limit of ${max}`)
    this.varint(b.length)
    return this.fixed(b, b.length, field)
  }

  string (s: string, maxBytes: number, field = 'string'): this {
    return this.bytes(encodeUtf8(s, maxBytes, field), maxBytes, field)
  }

  finish (): Uint8Array {
    return this.#buf.slice(0, this.#len)
  }
}

export class Reader {
  readonly #buf: Uint8Array
  #pos = 0

  constructor (buf: Uint8Array) {
    this.#buf = buf
  }

  get remaining (): number {
    return this.#buf.length - this.#pos
  }

  /** The bytes consumed so far (a view, no copy). */
  consumed (): Uint8Array {
    return this.#buf.subarray(0, this.#pos)
  }

  #need (n: number, field: string): void {
    if (n > this.remaining) throw new WireError(`truncated input: ${field} needs ${n} bytes, ${this.remaining} left`)
  }

  u8 (field = 'u8'): number {
    this.#need(1, field)
    return this.#buf[this.#pos++] as number
  }

  varint (field = 'varint'): number {
    let value = 0
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      this.#need(1, field)
      const byte = this.#buf[this.#pos++] as number
      value += (byte & 0x7f) * 2 ** (7 * i)
      if ((byte & 0x80) === 0) {
        // A zero last group means the same value fits in fewer bytes: one value, one encoding.
        if (byte === 0 && i > 0) throw new WireError(`${field} is not minimally encoded`)
        if (value > Number.MAX_SAFE_INTEGER) throw new WireError(`${field} is 2^53 or more`)
        return value
      }
    }
    throw new WireError(`${field} is longer than ${MAX_VARINT_BYTES} bytes`)
  }

  /** A varint count of items, each at least `minItemBytes` long, checked before any item is read. */
  count (max: number, minItemBytes: number, field = 'count'): number {
    const n = this.varint(field)
    if (n > max) throw new WireError(`${field} is ${n}, above the limit of ${max}`)
    this.#need(n * minItemBytes, field)
    return n
  }

  fixed (len: number, field = 'fixed-size field'): Uint8Array {
    this.#need(len, field)
    // A copy whatever the input is: a Buffer's slice() would be a view keeping a whole socket read alive.
    const out = new Uint8Array(this.#buf.subarray(this.#pos, this.#pos + len))
    this.#pos += len
    return out
  }

  bytes (max: number, field = 'byte string'): Uint8Array {
    const len = this.varint(`${field} length`)
    if (len > max) throw new WireError(`${field} is ${len} bytes, above the limit of ${max}`)
    return this.fixed(len, field)
  }

  string (maxBytes: number, field = 'string'): string {
    return decodeUtf8(this.bytes(maxBytes, field), field)
  }

  end (): void {
    if (this.remaining !== 0) throw new WireError(`${this.remaining} trailing bytes`)
  }
}
