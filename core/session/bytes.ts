// Byte buffers on the hot path. Node's Buffer#slice() makes a view, not a copy, so code that calls
// slice() to own its bytes (the wire decoders) would keep a whole socket read alive through a
// Buffer: what goes up from a connection is plain Uint8Arrays, whose slice() copies.

/** `length` bytes, not zeroed (the caller writes every one before use), as a plain Uint8Array. */
export function uninitialized (length: number): Uint8Array {
  const bytes = Buffer.allocUnsafe(length)
  return new Uint8Array(bytes.buffer, bytes.byteOffset, length)
}

/** The same memory as a plain Uint8Array. */
export function plainView (bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)
}
