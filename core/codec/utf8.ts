// UTF-8 at the edges where bytes from files and the network become strings. Decoding is
// fatal and keeps a leading BOM, so distinct byte strings never become the same string.

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

export function utf8Encode (text: string): Uint8Array {
  return encoder.encode(text)
}

/** Decodes `bytes`, or returns null when they are not valid UTF-8. */
export function utf8DecodeStrict (bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes)
  } catch {
    return null
  }
}

/** False for strings with lone surrogates, which UTF-8 cannot carry (they would become U+FFFD). */
export function isWellFormedText (text: string): boolean {
  return !/[\uD800-\uDFFF]/u.test(text)
}
