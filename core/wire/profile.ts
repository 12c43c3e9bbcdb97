import { signDetached, verifyDetached } from '../crypto/native.ts'
import { concatBytes } from '../codec/bytes.ts'
import { findNameProblem } from '../channel/name-rule.ts'
import { isVarint, Reader, WireError, Writer } from './codec.ts'
import { AUTHOR_KEY_BYTES, SIGNATURE_BYTES } from './group-message.ts'

export const PROFILE_VERSION = 1
export const MAX_PROFILE_NAME_BYTES = 256
/** version, key, seq and timestamp (8-byte varints at most), a 2-byte name length, name, two ports, signature. */
export const MAX_PROFILE_BYTES = 1 + AUTHOR_KEY_BYTES + 8 + 8 + 2 + MAX_PROFILE_NAME_BYTES + 3 + 3 + SIGNATURE_BYTES

// Domain separation: a profile signature never passes for a message's, nor the reverse.
const SIGNATURE_CONTEXT = new TextEncoder().encode('BitChat profile v1\0')

/**
 * What a member says about itself, signed by the key it speaks for: only that key can name itself,
 * so no other member (nor anyone passing the record on) can give it another name.
 */
export interface Profile {
  /** The exact signed bytes, kept to pass the record on unchanged. */
  raw: Uint8Array
  /** Ed25519 key the record speaks for and is signed by. */
  publicKey: Uint8Array
  /** Grows with every change; of two records for one key, the higher seq wins. */
  seq: number
  /** Unix ms when the record was made (informational). */
  timestamp: number
  name: string
  /** Where the member listens, 0 when it does not. */
  tcpPort: number
  udpPort: number
}

export function createProfile (input: Omit<Profile, 'raw' | 'publicKey'> & { identity: { publicKey: Uint8Array; secretKey: Uint8Array } }): Profile {
  const { identity, seq, timestamp, name, tcpPort, udpPort } = input
  if (!isVarint(seq) || seq < 1) throw new WireError(`profile seq must be a positive integer, got ${seq}`)
  const unsigned = write(identity.publicKey, seq, timestamp, name, tcpPort, udpPort)
  const signature = signDetached(identity.secretKey, signed(unsigned))
  const raw = new Uint8Array(unsigned.length + SIGNATURE_BYTES)
  raw.set(unsigned)
  raw.set(signature, unsigned.length)
  return { raw, publicKey: identity.publicKey.slice(), seq, timestamp, name, tcpPort, udpPort }
}

/** Reads a record and checks its signature; throws WireError for anything malformed or forged. */
export function readProfile (raw: Uint8Array): Profile {
  if (raw.length > MAX_PROFILE_BYTES) throw new WireError(`a profile is ${raw.length} bytes, above the limit of ${MAX_PROFILE_BYTES}`)
  const own = new Uint8Array(raw)
  const r = new Reader(own)
  const version = r.u8('profile version')
  if (version !== PROFILE_VERSION) throw new WireError(`unsupported profile version ${version}`)
  const publicKey = r.fixed(AUTHOR_KEY_BYTES, 'profile key')
  const seq = r.varint('profile seq')
  if (seq < 1) throw new WireError('profile seq must be at least 1')
  const timestamp = r.varint('profile timestamp')
  const name = r.string(MAX_PROFILE_NAME_BYTES, 'profile name')
  const problem = findNameProblem(name)
  if (problem !== null) throw new WireError(`profile name is not a valid name (${problem.kind})`)
  const tcpPort = readPort(r, 'profile tcpPort')
  const udpPort = readPort(r, 'profile udpPort')
  const unsigned = r.consumed()
  const signature = r.fixed(SIGNATURE_BYTES, 'profile signature')
  r.end()
  if (!verifyDetached(publicKey, signed(unsigned), signature)) throw new WireError('the profile is not signed by the key it names')
  return { raw: own, publicKey, seq, timestamp, name, tcpPort, udpPort }
}

/** Whether `incoming` should replace `held` (null when none is held): same key, higher seq. */
export function isNewerProfile (incoming: Profile, held: Profile | null): boolean {
  return held === null || (Buffer.compare(incoming.publicKey, held.publicKey) === 0 && incoming.seq > held.seq)
}

function write (publicKey: Uint8Array, seq: number, timestamp: number, name: string, tcpPort: number, udpPort: number): Uint8Array {
  const problem = findNameProblem(name)
  if (problem !== null) throw new WireError(`profile name is not a valid name (${problem.kind})`)
  for (const port of [tcpPort, udpPort]) if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WireError(`profile port out of range: ${port}`)
  return new Writer()
    .u8(PROFILE_VERSION)
    .fixed(publicKey, AUTHOR_KEY_BYTES, 'profile key')
    .varint(seq)
    .varint(timestamp)
    .string(name, MAX_PROFILE_NAME_BYTES, 'profile name')
    .varint(tcpPort)
    .varint(udpPort)
    .finish()
}

function readPort (r: Reader, field: string): number {
  const port = r.varint(field)
  if (port > 65535) throw new WireError(`${field} out of range: ${port}`)
  return port
}

function signed (unsigned: Uint8Array): Uint8Array {
  return concatBytes([SIGNATURE_CONTEXT, unsigned])
}
