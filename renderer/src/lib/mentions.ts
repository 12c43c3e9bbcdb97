// Mentions in the composer and in messages: a person is named by key (PROTOCOL §4.7) and written
// `@Name` in the text. Pure: what is being typed after an '@', whom it may name, what picking one
// makes of the text, which picked people the text still names, and where names sit in a message.
import type { Hex } from '../../../core/api/contract.ts'

/** People one message may mention (the core's bound, PROTOCOL §4.7). */
export const MAX_MENTIONS = 32
/** Rows the picker lists at once. */
export const MAX_CANDIDATES = 8

export interface MentionQuery {
  /** Where the '@' is. */
  start: number
  /** What follows it up to the caret. */
  query: string
}

export interface MentionCandidate {
  publicKey: Hex
  /** Your name for them if they are a contact, else the name they chose. */
  name: string
  contact: boolean
}

/** The '@' being typed at `caret`: at the start or after a space or an opening bracket, with no space since. */
export function mentionQueryAt (text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret)
  const at = before.lastIndexOf('@')
  if (at < 0) return null
  const query = before.slice(at + 1)
  if (/\s/.test(query) || query.length > 64) return null
  if (at > 0 && !/[\s([{"'«“]/.test(before[at - 1] ?? '')) return null
  return { start: at, query }
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })
const fold = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase()

/** Whom `query` may name: names that begin with it first, then names with a word that does; contacts before others. */
export function mentionCandidates (people: readonly MentionCandidate[], query: string): MentionCandidate[] {
  const q = fold(query)
  const rank = (p: MentionCandidate): number => {
    const name = fold(p.name)
    if (name.startsWith(q)) return 0
    return name.split(/\s+/).some(word => word.startsWith(q)) ? 1 : 2
  }
  return people
    .map(p => ({ p, r: rank(p) }))
    .filter(({ r }) => r < 2)
    .sort((a, b) => a.r - b.r || Number(b.p.contact) - Number(a.p.contact) || collator.compare(a.p.name, b.p.name) || a.p.publicKey.localeCompare(b.p.publicKey))
    .slice(0, MAX_CANDIDATES)
    .map(({ p }) => p)
}

/** The text with the '@' being typed replaced by `@name ` and where the caret goes after it. */
export function insertMention (text: string, query: MentionQuery, caret: number, name: string): { text: string; caret: number } {
  const inserted = `@${name} `
  const after = text.slice(caret).replace(/^ /, '')
  return { text: text.slice(0, query.start) + inserted + after, caret: query.start + inserted.length }
}

/** The picked people (key → the name written for them) whose `@name` the text still holds, at most MAX_MENTIONS. */
export function mentionsInText (text: string, picked: ReadonlyMap<Hex, string>): Hex[] {
  return [...picked].filter(([, name]) => findName(text, name, 0) >= 0).map(([key]) => key).slice(0, MAX_MENTIONS)
}

export type TextPart = { kind: 'text'; text: string } | { kind: 'mention'; publicKey: Hex; written: string }

/**
 * A message's text cut at each `@name` of a person it mentions (`namesOf` gives the names they may
 * be written as, longest tried first); `unplaced` are the mentioned people whose name the text does not hold.
 */
export function splitMentions (text: string, mentions: readonly Hex[], namesOf: (publicKey: Hex) => readonly string[]): { parts: TextPart[]; unplaced: Hex[] } {
  const found: Array<{ at: number; length: number; publicKey: Hex }> = []
  const placed = new Set<Hex>()
  const names = mentions.flatMap(publicKey => namesOf(publicKey).filter(n => n !== '').map(name => ({ publicKey, name })))
    .sort((a, b) => b.name.length - a.name.length)
  for (const { publicKey, name } of names) {
    for (let from = 0, at = findName(text, name, from); at >= 0; from = at + 1, at = findName(text, name, from)) {
      const end = at + name.length + 1
      if (found.some(f => at < f.at + f.length && f.at < end)) continue
      found.push({ at, length: name.length + 1, publicKey })
      placed.add(publicKey)
    }
  }
  found.sort((a, b) => a.at - b.at)
  const parts: TextPart[] = []
  let pos = 0
  for (const f of found) {
    if (f.at > pos) parts.push({ kind: 'text', text: text.slice(pos, f.at) })
    parts.push({ kind: 'mention', publicKey: f.publicKey, written: text.slice(f.at, f.at + f.length) })
    pos = f.at + f.length
  }
  if (pos < text.length) parts.push({ kind: 'text', text: text.slice(pos) })
  return { parts, unplaced: mentions.filter(key => !placed.has(key)) }
}

// `@name` where it stands as a word: after the start or a non-word character, and not running on into letters.
function findName (text: string, name: string, from: number): number {
  const needle = `@${name}`
  for (let at = text.indexOf(needle, from); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = at === 0 ? '' : text[at - 1] ?? ''
    const after = text[at + needle.length] ?? ''
    if (!/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) return at
  }
  return -1
}
