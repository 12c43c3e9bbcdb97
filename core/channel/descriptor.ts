// What a channel is, independent of how it travels (a `.chat` file or a `bitchat:` link):
// the fields and the bounds of PROTOCOL §1.1, checked in one place for both forms.
import type { ChannelMode } from '../api/contract.ts'
import { toHex } from '../codec/hex.ts'
import { describeNameProblem, findNameProblem } from './name-rule.ts'
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '../identity/identity.ts'
import { trackerUrlProblem } from './tracker-url.ts'

export { MAX_TRACKER_URL_BYTES } from './tracker-url.ts'

/** The format of `.chat` files and links: 2 added a secret-keyed check, 3 replaced it by the creator's signature (genesis.ts). */
export const FORMAT_VERSION = 3

export interface ChannelDescriptor {
  version: typeof FORMAT_VERSION
  name: string
  /** Tracker tiers (BEP 12), tried in order. */
  trackers: string[][]
  secret: Uint8Array
  mode: ChannelMode
  /** Unix seconds. */
  created: number
  /** Ed25519 public key. */
  creator: Uint8Array
  /** Invite mode only: Ed25519 keys allowed in besides the creator. Empty in open mode. */
  members: Uint8Array[]
  /**
   * The creator's Ed25519 signature over the genesis (genesis.ts). Null only for a channel that is
   * never shared: a private channel (derived by both people) or one stored before format 3 by a
   * node that is not its creator.
   */
  signature: Uint8Array | null
}

export const SECRET_BYTES = 32
export const MAX_TRACKERS = 64
export const MAX_MEMBERS = 1000

export function isChannelMode (value: unknown): value is ChannelMode {
  return value === 'open' || value === 'invite'
}

/**
 * Checks every bound of a descriptor whose fields already have the right types, throwing
 * `toError(problem)` for the first one broken; the problem names the field.
 */
export function validateDescriptor (d: ChannelDescriptor, toError: (problem: string) => Error): ChannelDescriptor {
  const problem = findProblem(d)
  if (problem !== null) throw toError(problem)
  return d
}

function findProblem (d: ChannelDescriptor): string | null {
  if (d.version !== FORMAT_VERSION) return `unknown version ${String(d.version)}`
  const badName = nameProblem(d.name)
  if (badName !== null) return badName
  const trackersProblem = findTrackersProblem(d.trackers)
  if (trackersProblem !== null) return trackersProblem
  if (d.secret.length !== SECRET_BYTES) return `secret must be ${SECRET_BYTES} bytes, not ${d.secret.length}`
  if (!isChannelMode(d.mode)) return 'mode must be open or invite'
  if (!Number.isSafeInteger(d.created) || d.created < 0) return 'created must be a non-negative integer'
  if (d.creator.length !== PUBLIC_KEY_BYTES) return `creator must be a ${PUBLIC_KEY_BYTES}-byte public key, not ${d.creator.length} bytes`
  if (d.signature !== null && d.signature.length !== SIGNATURE_BYTES) return `signature must be ${SIGNATURE_BYTES} bytes, not ${d.signature.length}`
  return findMembersProblem(d)
}

// Characters are code points, so 64 of them are at most the 256 bytes the protocol allows.
function nameProblem (name: string): string | null {
  const problem = findNameProblem(name)
  return problem === null ? null : describeNameProblem(problem, 'name')
}

function findTrackersProblem (tiers: string[][]): string | null {
  let count = 0
  for (const tier of tiers) {
    if (tier.length === 0) return 'empty tracker tier'
    count += tier.length
    if (count > MAX_TRACKERS) return `more than ${MAX_TRACKERS} trackers`
    for (const url of tier) {
      const problem = trackerUrlProblem(url)
      if (problem !== null) return problem
    }
  }
  return null
}

function findMembersProblem (d: ChannelDescriptor): string | null {
  if (d.mode === 'open') return d.members.length === 0 ? null : 'members are only allowed in invite mode'
  if (d.members.length > MAX_MEMBERS) return `more than ${MAX_MEMBERS} members`
  const seen = new Set<string>([toHex(d.creator)])
  for (const [i, key] of d.members.entries()) {
    if (key.length !== PUBLIC_KEY_BYTES) return `member ${i} must be a ${PUBLIC_KEY_BYTES}-byte public key, not ${key.length} bytes`
    const hex = toHex(key)
    if (seen.has(hex)) return `member ${i} repeats the creator or another member`
    seen.add(hex)
  }
  return null
}
