import { TRANSPORT_PREFERENCE, type TransportKind } from '../transport/raw-stream.ts'

/** What the duplicate rule needs to know of one connection to a peer. */
export interface ConnectionFacts {
  transport: TransportKind
  /** Who dialled it: the local node or the peer. */
  dialledBy: 'us' | 'them'
  establishedAt: number
  /** Noise's h: the same at both ends, different for every connection. */
  handshakeHash: Uint8Array
}

/** Connections dialled by the same side this close together are a race, not a reconnect. */
export const CONCURRENT_DIAL_WINDOW_MS = 5_000

/**
 * Of two connections to the same peer, whether `candidate` should replace `existing`. Both ends
 * decide alike from what they share (keys, handshake hashes): the better transport first; then the
 * connection dialled by the lower key (hyperswarm's rule); two dialled by the same side at nearly
 * the same moment (the peer was found at two addresses) are settled by the lower handshake hash;
 * otherwise the newer one is a reconnect replacing a connection the other end has already lost.
 */
export function preferCandidate (existing: ConnectionFacts, candidate: ConnectionFacts, keys: { ours: string; theirs: string }): boolean {
  const rank = TRANSPORT_PREFERENCE[candidate.transport] - TRANSPORT_PREFERENCE[existing.transport]
  if (rank !== 0) return rank > 0
  const dialler = (c: ConnectionFacts): string => c.dialledBy === 'us' ? keys.ours : keys.theirs
  const a = dialler(existing)
  const b = dialler(candidate)
  if (a !== b) return b < a
  if (candidate.establishedAt - existing.establishedAt > CONCURRENT_DIAL_WINDOW_MS) return true
  return Buffer.compare(candidate.handshakeHash, existing.handshakeHash) < 0
}
