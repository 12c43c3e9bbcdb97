/** The parts one after another in a new array (an array of parts, not arguments: there may be very many). */
export function concatBytes (parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Same length and bytes; not constant-time (for public values: keys, ids, fingerprints). */
export function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0
}
