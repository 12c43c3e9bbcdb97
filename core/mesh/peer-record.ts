import { backoffDelay } from './backoff.ts'
import type { PeerSource } from '../api/contract.ts'

export type { PeerSource }

/**
 * One address at which a member of a channel may listen, whose owner no handshake has proved yet.
 * Status is explicit so the dial loop never has to infer it from a tangle of flags; once a dial
 * proves the owner, the address leaves for the peer book (core/peers/peer-book.ts).
 */
export type PeerStatus =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'backoff'; until: number }
  /** Our own address: never dialled again. */
  | { kind: 'self' }

export interface PeerRecord {
  readonly host: string
  readonly port: number
  /** Whom a handshake at this address reached, when the channel was still not linked (the peer has not joined it, or refused us). */
  publicKey: string | null
  /** The key another member says listens here (PEX): expected by the next dial, never trusted before. */
  claimedKey: string | null
  /** The member whose PEX taught us this address, so no one member can fill the book. */
  readonly introducer: string | null
  /** How the address first reached us; `sources` holds every way it has since. */
  readonly origin: PeerSource
  sources: Set<PeerSource>
  status: PeerStatus
  failures: number
  lastSeenAt: number
}

export function newPeerRecord (host: string, port: number, source: PeerSource, now: number, introducer: string | null = null): PeerRecord {
  return { host, port, publicKey: null, claimedKey: null, introducer, origin: source, sources: new Set([source]), status: { kind: 'idle' }, failures: 0, lastSeenAt: now }
}

/** Puts the record into backoff after a failed dial. */
export function scheduleRetry (record: PeerRecord, now: number): void {
  const delay = backoffDelay(record.failures)
  record.failures++
  record.status = { kind: 'backoff', until: now + delay }
}

