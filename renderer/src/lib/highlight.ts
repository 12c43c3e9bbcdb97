// Where a search's words show in a message: each word of the query matches the beginning of a word of
// the text, as messages.search matches them. Parts, never markup: the text is drawn as text.
import { foldText, queryWords, WORD_CHAR } from './fold.ts'

export interface TextPart { text: string; match: boolean }

/** [start, end) ranges of `text` that a word of `query` begins, in order, not overlapping. */
export function matchRanges (text: string, query: string): Array<[number, number]> {
  const words = queryWords(query)
  if (words.length === 0) return []
  const folded = foldText(text)
  const ranges: Array<[number, number]> = []
  let i = 0
  while (i < folded.text.length) {
    const wordStart = i === 0 || !WORD_CHAR.test(folded.text[i - 1]!)
    const word = wordStart ? words.find(w => folded.text.startsWith(w, i)) : undefined
    if (word === undefined) {
      i++
      continue
    }
    const start = folded.starts[i]!
    const end = folded.ends[i + word.length - 1]!
    const previous = ranges[ranges.length - 1]
    if (previous !== undefined && previous[1] >= start) previous[1] = Math.max(previous[1], end)
    else ranges.push([start, end])
    i += word.length
  }
  return ranges
}

/** `text` cut into its matching and other parts, in order; joined they are `text`. */
export function highlightParts (text: string, query: string): TextPart[] {
  const parts: TextPart[] = []
  let at = 0
  for (const [start, end] of matchRanges(text, query)) {
    if (start > at) parts.push({ text: text.slice(at, start), match: false })
    parts.push({ text: text.slice(start, end), match: true })
    at = end
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), match: false })
  return parts
}

/** How much of a message a result shows before its first match. */
const LEAD_CHARS = 40

/**
 * The part of a message a search result shows: on one line, from a little before its first match,
 * at most `max` characters, with an ellipsis where text was left out on either side.
 */
export function snippet (text: string, query: string, max = 180): string {
  const line = text.replace(/\s+/g, ' ').trim()
  const first = matchRanges(line, query)[0]?.[0] ?? 0
  const lead = Math.min(LEAD_CHARS, Math.floor(max / 4))
  let start = 0
  if (first > lead) {
    // From the first whole word within the lead.
    const space = line.indexOf(' ', first - lead)
    start = space >= 0 && space < first ? space + 1 : first - lead
    // Never start on the second half of a character written with two UTF-16 units.
    if (/[\uDC00-\uDFFF]/.test(line[start] ?? '')) start++
  }
  // Never cut a character in two (emoji and other astral characters are two UTF-16 units).
  const chars = Array.from(line.slice(start))
  const cut = chars.length > max ? `${chars.slice(0, max).join('').trimEnd()}…` : chars.join('')
  return `${start > 0 ? '…' : ''}${cut}`
}
