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
  publicKey: string | null
  sources: Set<PeerSource>
  status: PeerStatus
  failures: number
  lastSeenAt: number
}

export function newPeerRecord (host: string, port: number, source: PeerSource, now: number): PeerRecord {
  return { host, port, publicKey: null, sources: new Set([source]), status: { kind: 'idle' }, failures: 0, lastSeenAt: now }
}

/** Puts the record into backoff after a failed dial or a lost session; returns the delay. */
export function scheduleRetry (record: PeerRecord, now: number): number {
  const delay = backoffDelay(record.failures)
  record.failures++
  record.status = { kind: 'backoff', until: now + delay }
  return delay
}

export function isDialable (record: PeerRecord, now: number): boolean {
  switch (record.status.kind) {
    case 'idle': return true
    case 'backoff': return record.status.until <= now
    case 'connecting':
    case 'connected':
    case 'self': return false
  }
}
