// The people a text, reply or edit names (PROTOCOL §4.7): by public key, which no one else can take,
// never by display name, which anyone can. A body that mentions someone begins with the list, marked
// by a zero byte no text may begin with; a body that mentions no one is as it was without mentions.
import { fromHex, isHex, toHex } from '../codec/hex.ts'
import { Reader, WireError, Writer } from './codec.ts'

/** People one entry may mention. */
export const MAX_MENTIONS = 32
export const MENTION_KEY_BYTES = 32
/** First byte of a body that carries a mention list: U+0000, which a text may not begin with. */
const MENTION_MARK = 0

/** The encoded list to put before the text; empty for no mentions. Throws WireError on a bad list. */
export function encodeMentions (keys: readonly string[]): Uint8Array {
  if (keys.length === 0) return new Uint8Array(0)
  if (keys.length > MAX_MENTIONS) throw new WireError(`an entry mentions at most ${MAX_MENTIONS} people, not ${keys.length}`)
  if (new Set(keys).size !== keys.length) throw new WireError('an entry mentions one key twice')
  const w = new Writer().u8(MENTION_MARK).varint(keys.length)
  for (const key of keys) {
    if (!isHex(key, MENTION_KEY_BYTES)) throw new WireError('a mention names a public key: 64 lowercase hex characters')
    w.fixed(fromHex(key), MENTION_KEY_BYTES, 'mentioned key')
  }
  return w.finish()
}

/** Reads the list at the start of `rest` (the body after any target id): the keys, and where the text begins. */
export function decodeMentions (rest: Uint8Array): { mentions: string[]; textStart: number } {
  if (rest[0] !== MENTION_MARK) return { mentions: [], textStart: 0 }
  const r = new Reader(rest)
  r.u8('mention mark')
  const n = r.count(MAX_MENTIONS, MENTION_KEY_BYTES, 'mentions')
  if (n < 1) throw new WireError('a mention list names no one')
  const mentions: string[] = []
  for (let i = 0; i < n; i++) {
    const key = toHex(r.fixed(MENTION_KEY_BYTES, 'mentioned key'))
    if (mentions.includes(key)) throw new WireError('an entry mentions one key twice')
    mentions.push(key)
  }
  return { mentions, textStart: r.consumed().length }
}

/** Bytes a list of `n` mentions takes in a body (a count of at most 32 is one byte). */
export function mentionListBytes (n: number): number {
  return n === 0 ? 0 : 2 + n * MENTION_KEY_BYTES
}

/** A text the list's mark would be read in: refused rather than misread. */
export function checkMentionableText (text: string): void {
  if (text.charCodeAt(0) === MENTION_MARK) throw new WireError('a text may not begin with U+0000')
}
