// A short rendering of a public key for people to compare out of band (read aloud, on a
// call): 160 bits of BLAKE2b in RFC 4648 base32, whose alphabet avoids 0/O and 1/I/L mix-ups.
import { blake2b } from '../crypto/native.ts'
import { PUBLIC_KEY_BYTES } from './identity.ts'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Eight groups of four base32 characters, e.g. `MFRG GZDF MZTW Q2LK NNWG 23TP OBYX E4ZT`. */
export function fingerprintOf (publicKey: Uint8Array): string {
  if (publicKey.length !== PUBLIC_KEY_BYTES) throw new RangeError(`a public key is ${PUBLIC_KEY_BYTES} bytes, not ${publicKey.length}`)
  const digest = blake2b(20, publicKey)
  return base32(digest).match(/.{4}/g)!.join(' ')
}

// 20 bytes are exactly 32 characters, so no padding is ever needed.
function base32 (bytes: Uint8Array): string {
  let out = ''
  let bits = 0
  let buffer = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += ALPHABET[(buffer >>> bits) & 31]
    }
    buffer &= (1 << bits) - 1
  }
  return out
}
