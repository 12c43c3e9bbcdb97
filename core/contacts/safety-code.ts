// The safety code two people compare to know they hold each other's real keys (PROTOCOL §1.6): the
// construction of Signal's safety numbers. Each key gives 30 digits from a hash iterated 5,200 times
// (so grinding for a key whose digits match someone else's costs 5,200 hashes a try); the two halves
// are put in ascending order, so both sides see the same 60 digits.
import { createHash } from 'node:crypto'
import { PUBLIC_KEY_BYTES } from '../identity/identity.ts'

const DOMAIN = new TextEncoder().encode('BitChat safety code v1')
const ITERATIONS = 5200
const GROUPS_PER_KEY = 6

/** 12 groups of 5 digits separated by spaces, the same whichever key is `ours`. */
export function safetyCode (ours: Uint8Array, theirs: Uint8Array): string {
  const halves = [digitsOf(ours), digitsOf(theirs)].sort()
  return [...halves[0]!, ...halves[1]!].join(' ')
}

function digitsOf (publicKey: Uint8Array): string[] {
  if (publicKey.length !== PUBLIC_KEY_BYTES) throw new RangeError(`a public key is ${PUBLIC_KEY_BYTES} bytes, not ${publicKey.length}`)
  let hash = createHash('sha512').update(DOMAIN).update(publicKey).digest()
  for (let i = 1; i < ITERATIONS; i++) hash = createHash('sha512').update(hash).update(publicKey).digest()
  const groups: string[] = []
  for (let g = 0; g < GROUPS_PER_KEY; g++) {
    // Five bytes (40 bits) read big-endian, reduced to five digits.
    const chunk = hash.readUIntBE(g * 5, 5)
    groups.push(String(chunk % 100_000).padStart(5, '0'))
  }
  return groups
}
