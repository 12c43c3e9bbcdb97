// Strict, bounded bencode (BEP 3) for bytes from files and the network. Only the one
// canonical encoding of a value is accepted, every length is checked against the input
// left before anything is allocated, and nesting and item count are capped, so a hostile
// input costs at most linear time and memory in its own size.
import { isWellFormedText, utf8DecodeStrict, utf8Encode } from './utf8.ts'
import { concatBytes } from './bytes.ts'

/** Decoding yields numbers only; bigint lets a caller encode integers outside the safe range. */
export type BValue = bigint | number | Uint8Array | BValue[] | BDict
/** Keys are the raw key bytes read as UTF-8. Decoded dictionaries have a null prototype. */
export interface BDict { [key: string]: BValue }

export interface DecodeOptions {
  /** Deepest nesting of lists and dictionaries (the outermost container is depth 1). */
  maxDepth?: number
  /** Most values and dictionary keys in all. */
  maxItems?: number
}

export class BencodeError extends Error {
  readonly offset: number

  constructor (problem: string, offset: number) {
    super(`bencode: ${problem} at byte ${offset}`)
    this.name = 'BencodeError'
    this.offset = offset
  }
}

const DEFAULT_MAX_DEPTH = 16
const DEFAULT_MAX_ITEMS = 10_000
// Number.MAX_SAFE_INTEGER has 16 digits: anything longer is out of range without parsing it.
const MAX_DIGITS = 16

const I = 0x69
const L = 0x6c
const D = 0x64
const E = 0x65
const COLON = 0x3a
const MINUS = 0x2d
const ZERO = 0x30
const NINE = 0x39

export function decode (bytes: Uint8Array, opts: DecodeOptions = {}): BValue {
  const decoder = new Decoder(bytes, opts.maxDepth ?? DEFAULT_MAX_DEPTH, opts.maxItems ?? DEFAULT_MAX_ITEMS)
  const value = decoder.value(0)
  if (decoder.pos !== bytes.length) throw new BencodeError(`${bytes.length - decoder.pos} trailing bytes`, decoder.pos)
  return value
}

class Decoder {
  readonly bytes: Uint8Array
  readonly maxDepth: number
  readonly maxItems: number
  pos = 0
  items = 0

  constructor (bytes: Uint8Array, maxDepth: number, maxItems: number) {
    this.bytes = bytes
    this.maxDepth = maxDepth
    this.maxItems = maxItems
  }

  value (depth: number): BValue {
    const c = this.peek()
    this.count()
    if (c === I) return this.integer()
    if (c === L) return this.list(depth + 1)
    if (c === D) return this.dict(depth + 1)
    if (c >= ZERO && c <= NINE) return this.string()
    return this.fail(`unexpected byte 0x${c.toString(16).padStart(2, '0')}`)
  }

  integer (): number {
    this.pos++
    const negative = this.peek() === MINUS
    if (negative) this.pos++
    const start = this.pos
    const value = this.digits('integer')
    if (this.pos - start > 1 && this.bytes[start] === ZERO) this.fail('integer with a leading zero', start)
    if (negative && value === 0) this.fail('negative zero', start - 1)
    this.expect(E, 'integer')
    return negative ? -value : value
  }

  string (): Uint8Array {
    const start = this.pos
    const length = this.digits('string length')
    if (this.pos - start > 1 && this.bytes[start] === ZERO) this.fail('string length with a leading zero', start)
    this.expect(COLON, 'string length')
    const left = this.bytes.length - this.pos
    if (length > left) this.fail(`string of ${length} bytes but only ${left} left`, start)
    const out = this.bytes.slice(this.pos, this.pos + length)
    this.pos += length
    return out
  }

  list (depth: number): BValue[] {
    this.enter(depth)
    const out: BValue[] = []
    while (this.peek() !== E) out.push(this.value(depth))
    this.pos++
    return out
  }

  dict (depth: number): BDict {
    this.enter(depth)
    const out: BDict = Object.create(null)
    let previous: Uint8Array | null = null
    while (this.peek() !== E) {
      const keyStart = this.pos
      const c = this.peek()
      if (c < ZERO || c > NINE) this.fail('dictionary key that is not a byte string')
      this.count()
      const raw = this.string()
      if (previous !== null) {
        const order = Buffer.compare(previous, raw)
        if (order === 0) this.fail('duplicate dictionary key', keyStart)
        if (order > 0) this.fail('dictionary keys out of order', keyStart)
      }
      const key = utf8DecodeStrict(raw)
      if (key === null) return this.fail('dictionary key that is not valid UTF-8', keyStart)
      out[key] = this.value(depth)
      previous = raw
    }
    this.pos++
    return out
  }

  /** Reads 1..MAX_DIGITS decimal digits; the value is exact when it is a safe integer. */
  digits (what: string): number {
    const start = this.pos
    let value = 0
    while (this.pos < this.bytes.length) {
      const c = this.bytes[this.pos]!
      if (c < ZERO || c > NINE) break
      if (this.pos - start === MAX_DIGITS) this.fail(`${what} out of range`, start)
      value = value * 10 + (c - ZERO)
      this.pos++
    }
    if (this.pos === start) this.fail(`${what} without digits`)
    if (value > Number.MAX_SAFE_INTEGER) this.fail(`${what} out of range`, start)
    return value
  }

  enter (depth: number): void {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`)
    this.pos++
  }

  count (): void {
    if (++this.items > this.maxItems) this.fail(`more than ${this.maxItems} items`)
  }

  peek (): number {
    const c = this.bytes[this.pos]
    return c ?? this.fail('unexpected end of input')
  }

  expect (byte: number, what: string): void {
    if (this.peek() !== byte) this.fail(`${what} not followed by '${String.fromCharCode(byte)}'`)
    this.pos++
  }

  fail (problem: string, offset = this.pos): never {
    throw new BencodeError(problem, offset)
  }
}

/** Encodes `value` canonically (dictionary keys sorted by their UTF-8 bytes). */
export function encode (value: BValue): Uint8Array {
  const parts: Uint8Array[] = []
  write(value, parts)
  return concatBytes(parts)
}

function write (value: BValue, parts: Uint8Array[]): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`bencode: cannot encode ${value}: integers must be safe integers or bigints`)
    parts.push(utf8Encode(`i${value}e`))
  } else if (typeof value === 'bigint') {
    parts.push(utf8Encode(`i${value}e`))
  } else if (value instanceof Uint8Array) {
    parts.push(utf8Encode(`${value.length}:`), value)
  } else if (Array.isArray(value)) {
    parts.push(utf8Encode('l'))
    for (const item of value) write(item, parts)
    parts.push(utf8Encode('e'))
  } else if (typeof value === 'object' && value !== null) {
    parts.push(utf8Encode('d'))
    for (const [raw, key] of sortedKeys(value)) {
      parts.push(utf8Encode(`${raw.length}:`), raw)
      write(value[key] as BValue, parts)
    }
    parts.push(utf8Encode('e'))
  } else {
    throw new TypeError(`bencode: cannot encode a value of type ${typeof value}`)
  }
}

function sortedKeys (dict: BDict): Array<[Uint8Array, string]> {
  return Object.keys(dict).map((key): [Uint8Array, string] => {
    if (!isWellFormedText(key)) throw new TypeError('bencode: dictionary key with a lone surrogate')
    return [utf8Encode(key), key]
  }).sort((a, b) => Buffer.compare(a[0], b[0]))
}
