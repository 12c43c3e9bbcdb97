// Text compared as people read it: without case or accents ("Zoë" is found by "zoe", "ÉTÉ" by "été"),
// the way the core's search index (SQLite FTS5, remove_diacritics) compares words.

const MARKS = /\p{M}/gu

/** Folded text, and for each of its UTF-16 units where the character it came from starts and ends in the original. */
export interface FoldedText {
  text: string
  starts: number[]
  ends: number[]
}

export function foldText (text: string): FoldedText {
  let folded = ''
  const starts: number[] = []
  const ends: number[] = []
  let at = 0
  for (const char of text) {
    const part = char.normalize('NFD').replace(MARKS, '').toLowerCase()
    // A combining mark on its own folds to nothing: it belongs to the character before it.
    if (part === '' && ends.length > 0) ends[ends.length - 1] = at + char.length
    folded += part
    for (let i = 0; i < part.length; i++) {
      starts.push(at)
      ends.push(at + char.length)
    }
    at += char.length
  }
  return { text: folded, starts, ends }
}

export const fold = (text: string): string => foldText(text).text

/** Letters, digits and marks make words, as the core's tokenizer has them. */
export const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u

/** The words of a query, folded, longest first (so "anna" is marked before its prefix "an"), each once. */
export function queryWords (query: string): string[] {
  const words = fold(query).match(/[\p{L}\p{N}\p{M}_]+/gu) ?? []
  return [...new Set(words)].sort((a, b) => b.length - a.length)
}
