import { backoffDelay } from './backoff.ts'
import type { PeerSource } from '../api/contract.ts'

export type { PeerSource }

/**
 * What we know of one address at which a member of a channel may listen. Status is explicit so
 * the dial loop never has to infer it from a tangle of flags.
 */
export type PeerStatus =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'backoff'; until: number }
  /** Our own address: never dialled again. */
  | { kind: 'self' }

export interface PeerRecord {
  readonly host: string
  readonly port: number
  /** The key a handshake at this address proved (or, for a stored address, proved before). */
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
  /** When a session at this address last completed its handshake; null if none ever did. */
  succeededAt: number | null
  lastSeenAt: number
}

export function newPeerRecord (host: string, port: number, source: PeerSource, now: number, introducer: string | null = null): PeerRecord {
  return { host, port, publicKey: null, claimedKey: null, introducer, origin: source, sources: new Set([source]), status: { kind: 'idle' }, failures: 0, succeededAt: null, lastSeenAt: now }
}

/** A session at this address completed its handshake. */
export function markConnected (record: PeerRecord, publicKeyHex: string, now: number): void {
  record.publicKey = publicKeyHex
  record.failures = 0
  record.succeededAt = now
  record.status = { kind: 'connected' }
}

/** Puts the record into backoff after a failed dial or a lost session; returns the delay. */
export function scheduleRetry (record: PeerRecord, now: number): number {
  const delay = backoffDelay(record.failures)
  record.failures++
  record.status = { kind: 'backoff', until: now + delay }
  return delay
}

