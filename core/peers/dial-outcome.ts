import type { CloseCode } from '../connection/close-codes.ts'

/** How a dial through the pool ended. */
export type DialOutcome =
  /** The channel is linked with `keyHex` (on this dial's connection, or on one kept instead of it). */
  | { kind: 'connected'; keyHex: string }
  /** The address is ours. */
  | { kind: 'self' }
  /** The node holds as many dialled connections as it may: try again later. */
  | { kind: 'busy' }
  /** `keyHex` is whom the handshake reached, when it got that far. */
  | { kind: 'failed'; code: CloseCode | null; reason: string; keyHex?: string }
