// The name a received file is saved under: a peer's offered name made safe on every OS (it stays a
// name inside the download folder, never a path, a device or something that hides its extension),
// then a name no file in the folder has yet. PROTOCOL §5.1 says what is refused and what is changed.
import fs from 'node:fs/promises'
import path from 'node:path'
import { BitChatError } from '../api/errors.ts'
import { isReservedWindowsName } from '../codec/file-name.ts'
import { utf8Encode } from '../codec/utf8.ts'
import { DEFAULT_SAVED_NAME, MAX_KEPT_EXTENSION_BYTES, MAX_NAME_SUFFIX, MAX_SAVED_NAME_BYTES } from './transfer-limits.ts'

// Invisible characters that reorder or hide text: "photo\u202Egpj.exe" shows as "photoexe.jpg".
const HIDDEN_CHARACTERS = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/gu
// Control characters (NUL, newline, DEL, C1), line and paragraph separators, and what Windows forbids.
const FORBIDDEN_CHARACTERS = /[\p{Cc}\u2028\u2029<>:"|?*]/gu
// What String.prototype.toWellFormed replaces (not in this build's ES2023 library): UTF-8 cannot carry them.
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' })

/** A safe name for a file offered as `offered`: one path component, bounded, never empty. */
export function safeDownloadName (offered: string): string {
  // Only the last component of anything that looks like a path: "../../x", "/etc/passwd" and "C:\x" save as "x", "passwd", "x".
  const lastComponent = offered.replace(LONE_SURROGATES, '\ufffd').normalize('NFC').split(/[/\\]/u).filter(part => part !== '').pop() ?? ''
  const cleaned = trimEnds(lastComponent.replace(HIDDEN_CHARACTERS, '').replace(FORBIDDEN_CHARACTERS, '_'))
  const { stem, extension } = splitExtension(cleaned)
  const keptExtension = utf8Encode(extension).length <= MAX_KEPT_EXTENSION_BYTES ? extension : ''
  const whole = keptExtension === '' ? cleaned : stem
  const cut = cutToBytes(whole, MAX_SAVED_NAME_BYTES - utf8Encode(keptExtension).length)
  // A cut may leave the stem ending in dots or spaces; an uncut stem keeps its own ("NUL .txt").
  const cutStem = cut === whole ? cut : trimEnds(cut)
  let name = keptExtension === '' ? cutStem : `${cutStem === '' ? DEFAULT_SAVED_NAME : cutStem}${keptExtension}`
  if (name === '') name = DEFAULT_SAVED_NAME
  return isReservedWindowsName(name) ? `_${name}` : name
}

/** Leading dots hide a file (and make "." and ".."); Windows drops trailing dots and spaces. */
function trimEnds (name: string): string {
  return name.replace(/^[\s.]+/u, '').replace(/[\s.]+$/u, '')
}

/** "a.tar.gz" → "a.tar" and ".gz"; a name without a dot after its first character has no extension. */
function splitExtension (name: string): { stem: string, extension: string } {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? { stem: name.slice(0, dot), extension: name.slice(dot) } : { stem: name, extension: '' }
}

/** The longest start of `text` within `maxBytes` of UTF-8 that ends between two characters as people see them. */
function cutToBytes (text: string, maxBytes: number): string {
  if (utf8Encode(text).length <= maxBytes) return text
  let kept = ''
  let bytes = 0
  for (const { segment } of graphemes.segment(text)) {
    const length = utf8Encode(segment).length
    if (bytes + length > maxBytes) break
    kept += segment
    bytes += length
  }
  return kept
}

/** `name` for n = 0, then "name (n).ext": the candidates, in order, for a free name. */
export function numberedName (name: string, n: number): string {
  if (n === 0) return name
  const { stem, extension } = splitExtension(name)
  return `${stem} (${n})${extension}`
}

/**
 * The first of `numberedName(name, 0…)` that nothing in `folder` has. Only a hint: another process
 * may take it before it is used, so whoever creates the file must still refuse to replace one.
 */
export async function freeName (folder: string, name: string): Promise<string> {
  // Every name is free in a folder that is not there: say so (ENOENT) instead.
  await fs.stat(folder)
  for (let n = 0; n <= MAX_NAME_SUFFIX; n++) {
    const candidate = numberedName(name, n)
    try {
      await fs.lstat(path.join(folder, candidate))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return candidate
      throw err
    }
  }
  throw noFreeName(name)
}

export function noFreeName (name: string): BitChatError {
  return new BitChatError('NO_FREE_NAME', `The folder already has "${name}" and ${MAX_NAME_SUFFIX} numbered copies of it: choose another folder.`)
}
