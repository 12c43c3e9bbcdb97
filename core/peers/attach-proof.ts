import { blake2b } from '../crypto/native.ts'

const LABEL = new TextEncoder().encode('bitchat v3 attach')
export const ATTACH_PROOF_BYTES = 32

/**
 * How a channel is named on a connection (PROTOCOL §3.5): a MAC keyed by the channel's PSK over the
 * connection's handshake hash. Only holders of the PSK can make it; it differs on every connection,
 * so it links nothing across connections; and both ends compute the same value.
 */
export function attachProof (psk: Uint8Array, handshakeHash: Uint8Array): Uint8Array {
  const message = new Uint8Array(LABEL.length + handshakeHash.length)
  message.set(LABEL)
  message.set(handshakeHash, LABEL.length)
  return blake2b(ATTACH_PROOF_BYTES, message, psk)
}
