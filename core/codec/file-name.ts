// A name people gave (a channel's, a person's) made into the stem of a file name that every common
// file system takes and that cannot reach outside the folder it is saved in.
import { utf8Encode } from './utf8.ts'

// Leaves room for an extension within the 255-byte file name limit of common file systems.
const MAX_STEM_BYTES = 200

export function safeFileStem (name: string, fallback: string): string {
  let stem = name.normalize('NFC')
    // Path separators, characters Windows forbids, control and bidi-override characters.
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069/\\<>:"|?*]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+|[\s.]+$/gu, '')
  while (utf8Encode(stem).length > MAX_STEM_BYTES) stem = [...stem].slice(0, -1).join('').trimEnd()
  if (stem === '') stem = fallback
  if (isReservedWindowsName(stem)) stem = `_${stem}`
  return stem
}

/**
 * Names Windows keeps for devices: `CON`, `NUL.txt` and `nul .tar.gz` all open the device, whatever
 * follows the first dot (spaces before it are dropped).
 */
export function isReservedWindowsName (name: string): boolean {
  const base = name.split('.', 1)[0]!.trimEnd()
  return /^(?:con|prn|aux|nul|conin\$|conout\$|com[\d¹²³]|lpt[\d¹²³])$/iu.test(base)
}
