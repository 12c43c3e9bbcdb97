// Byte arrays. On the hot path, note that Node's Buffer#slice() makes a view, not a copy, so code
// that calls slice() to own its bytes (the wire decoders) would keep a whole socket read alive
// through a Buffer: what goes up from a connection is plain Uint8Arrays, whose slice() copies.

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

/** `length` bytes, not zeroed (the caller writes every one before use), as a plain Uint8Array. */
export function uninitialized (length: number): Uint8Array {
  const bytes = Buffer.allocUnsafe(length)
  return new Uint8Array(bytes.buffer, bytes.byteOffset, length)
}

/** The same memory as a plain Uint8Array. */
export function plainView (bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)
}
