// What a name may be: a display name or a channel name, typed by a person or read from a
// `.chat` file. Pure (no imports), so the core's checks and the renderer's forms share one rule.

/** Characters, counted as Unicode code points: an emoji is one, as people count it. */
export const MAX_NAME_CHARS = 64

export type NameProblem =
  | { kind: 'empty' }
  | { kind: 'too-long'; chars: number }
  | { kind: 'malformed' }
  | { kind: 'control' }
  | { kind: 'invisible' }

const LONE_SURROGATE = /[\uD800-\uDFFF]/u
// C0 and C1 controls (line breaks, tabs, escapes) and the line/paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/u
// Invisible characters that reorder or hide the text around them: bidi embeddings, overrides,
// isolates and marks, zero-width spaces, fillers and other characters with no visible form. A
// name shown inline ("ask Bob to add you") must not turn its neighbours around or pass for
// another name. Zero-width joiners stay allowed: emoji sequences and several scripts need them.
const INVISIBLE = /[\u00AD\u061C\u115F\u1160\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]/u

/** The first thing wrong with `name`, or null when it is a valid name. */
export function findNameProblem (name: string): NameProblem | null {
  if (LONE_SURROGATE.test(name)) return { kind: 'malformed' }
  if (CONTROL.test(name)) return { kind: 'control' }
  if (INVISIBLE.test(name)) return { kind: 'invisible' }
  if (name.trim() === '') return { kind: 'empty' }
  const chars = countChars(name)
  if (chars > MAX_NAME_CHARS) return { kind: 'too-long', chars }
  return null
}

/** Code points in well-formed text: every UTF-16 unit but the second half of a surrogate pair. */
export function countChars (text: string): number {
  let chars = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0xDC00 || unit > 0xDFFF) chars++
  }
  return chars
}

/** The problem in plain words, starting with `what` ("Display name", "params.name"). */
export function describeNameProblem (problem: NameProblem, what: string): string {
  switch (problem.kind) {
    case 'empty': return `${what} is required`
    case 'too-long': return `${what} must be at most ${MAX_NAME_CHARS} characters (it has ${problem.chars})`
    case 'malformed': return `${what} is not valid Unicode text`
    case 'control': return `${what} must not contain control characters such as line breaks or tabs`
    case 'invisible': return `${what} must not contain invisible characters, such as ones that change the direction of text`
  }
}
