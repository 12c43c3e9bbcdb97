import { blake2b } from '../crypto/native.ts'

export const ID_BYTES = 32
export const FINGERPRINT_BYTES = 16
const WORDS = ID_BYTES / 4

/**
 * The sum of a set of 32-byte ids read as little-endian integers, modulo 2^256. Addition is
 * order-free and can be undone, so the summary of an author's log is kept up to date one
 * insert (or one replaced conflicting entry) at a time, and summaries of parts add up to the whole.
 */
export class IdSum {
  readonly #words: Uint32Array<ArrayBuffer>

  constructor (words: Uint32Array<ArrayBuffer> = new Uint32Array(WORDS)) {
    this.#words = words
  }

  static fromBytes (bytes: Uint8Array): IdSum {
    if (bytes.length !== ID_BYTES) throw new RangeError(`an id sum is ${ID_BYTES} bytes, got ${bytes.length}`)
    return new IdSum(wordsOf(bytes))
  }

  add (id: Uint8Array): this {
    this.#combine(wordsOf(id), 1)
    return this
  }

  subtract (id: Uint8Array): this {
    this.#combine(wordsOf(id), -1)
    return this
  }

  addSum (other: IdSum): this {
    this.#combine(other.#words, 1)
    return this
  }

  clone (): IdSum {
    return new IdSum(this.#words.slice())
  }

  bytes (): Uint8Array {
    const out = new Uint8Array(ID_BYTES)
    const view = new DataView(out.buffer)
    for (let i = 0; i < WORDS; i++) view.setUint32(i * 4, this.#words[i]!, true)
    return out
  }

  #combine (words: Uint32Array, sign: 1 | -1): void {
    let carry = 0
    for (let i = 0; i < WORDS; i++) {
      const v = this.#words[i]! + sign * words[i]! + carry
      // v is within (-2^33, 2^33): floor division gives the carry (or borrow) in both directions.
      carry = Math.floor(v / 0x1_0000_0000)
      this.#words[i] = v - carry * 0x1_0000_0000
    }
  }
}

function wordsOf (id: Uint8Array): Uint32Array<ArrayBuffer> {
  if (id.length !== ID_BYTES) throw new RangeError(`an id is ${ID_BYTES} bytes, got ${id.length}`)
  const view = new DataView(id.buffer, id.byteOffset, id.byteLength)
  const words = new Uint32Array(WORDS)
  for (let i = 0; i < WORDS; i++) words[i] = view.getUint32(i * 4, true)
  return words
}

/** What one side says it holds in a range: how many entries, and a digest of which. */
export interface RangeSummary {
  count: number
  sum: IdSum
}

export function emptySummary (): RangeSummary {
  return { count: 0, sum: new IdSum() }
}

/**
 * BLAKE2b-16(sum ‖ u64le count): a hash rather than the raw sum, so an author cannot choose ids
 * whose sum matches another set's; the count is inside too, so sets of different sizes never match.
 */
export function fingerprintOf (summary: RangeSummary): Uint8Array {
  const input = new Uint8Array(ID_BYTES + 8)
  input.set(summary.sum.bytes())
  new DataView(input.buffer).setBigUint64(ID_BYTES, BigInt(summary.count), true)
  return blake2b(FINGERPRINT_BYTES, input)
}
