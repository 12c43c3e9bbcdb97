// Lowercase hex, the one spelling the protocol and the API use for keys and ids.

const HEX = /^(?:[0-9a-f]{2})*$/

export function toHex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** Parses an even number of lowercase hex characters; throws RangeError for anything else. */
export function fromHex (hex: string): Uint8Array {
  if (typeof hex !== 'string' || !HEX.test(hex)) throw new RangeError('expected an even number of lowercase hex characters')
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

/** True for exactly `byteLength` bytes in lowercase hex. */
export function isHex (value: unknown, byteLength: number): value is string {
  return typeof value === 'string' && value.length === byteLength * 2 && HEX.test(value)
}
