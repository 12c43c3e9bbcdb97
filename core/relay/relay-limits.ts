// What a node relaying for others allows (PROTOCOL §3.7), defined once: the relay service enforces
// them and the API shows them to users. No imports, so any layer may read it.

export interface RelayLimits {
  /** Circuits one requesting peer may hold through us at once (being set up or running). */
  circuitsPerPeer: number
  /** Circuits through us at once, from everyone. */
  circuits: number
  /** How long one circuit lasts; the two ends then reconnect, through us or another way. */
  lifetimeMs: number
  /** Bytes a second one circuit may carry, both directions together. */
  bytesPerSecondPerCircuit: number
  /** Bytes a second all circuits together may carry. */
  bytesPerSecond: number
  /** How long the person to reach has to accept a circuit. */
  answerMs: number
}

export const RELAY_LIMITS: RelayLimits = {
  circuitsPerPeer: 4,
  circuits: 32,
  lifetimeMs: 60 * 60 * 1000,
  bytesPerSecondPerCircuit: 256 * 1024,
  bytesPerSecond: 1024 * 1024,
  answerMs: 10_000
}

/** What the person reached through a relay takes at once: circuits still in their handshake. */
export interface RelayedLimits {
  /** Through one relay. */
  pendingPerRelay: number
  /** Through all relays together. */
  pending: number
}

export const RELAYED_LIMITS: RelayedLimits = { pendingPerRelay: 4, pending: 16 }
