// Why a connection (CLOSE) or one of its streams (RESET) ended, as a number: logic compares codes,
// never text. The numbers are part of the wire protocol and never change meaning.

export const CloseCode = {
  NORMAL: 0,
  SHUTTING_DOWN: 1,
  DUPLICATE: 2,
  NOT_INVITED: 3,
  LEFT_CHANNEL: 4,
  PROTOCOL_ERROR: 5,
  TIMED_OUT: 6,
  TOO_MANY_CONNECTIONS: 7,
  UNEXPECTED_IDENTITY: 8,
  NOT_JOINED: 9,
  OVERLOADED: 10,
  // Relay circuits (PROTOCOL §3.7); numbered apart so codes added for other purposes do not collide.
  RELAY_REFUSED: 20,
  UNREACHABLE: 21,
  TOO_MANY_CIRCUITS: 22,
  CIRCUIT_EXPIRED: 23
} as const

export type CloseCode = typeof CloseCode[keyof typeof CloseCode]

export interface CloseCodeInfo {
  /** Stable, for logs and tests. */
  name: string
  /** Plain words, for people. */
  description: string
}

export const CLOSE_CODES: Readonly<Record<CloseCode, CloseCodeInfo>> = {
  [CloseCode.NORMAL]: { name: 'normal', description: 'The connection was closed.' },
  [CloseCode.SHUTTING_DOWN]: { name: 'shutting down', description: 'The other side is shutting down.' },
  [CloseCode.DUPLICATE]: { name: 'duplicate', description: 'Another connection to the same person is kept instead of this one.' },
  [CloseCode.NOT_INVITED]: { name: 'not invited', description: 'This channel is invite-only and the other side is not on its member list.' },
  [CloseCode.LEFT_CHANNEL]: { name: 'left channel', description: 'The channel was left.' },
  [CloseCode.PROTOCOL_ERROR]: { name: 'protocol error', description: 'The other side sent something the protocol does not allow.' },
  [CloseCode.TIMED_OUT]: { name: 'timed out', description: 'The other side did not answer in time.' },
  [CloseCode.TOO_MANY_CONNECTIONS]: { name: 'too many connections', description: 'The other side already holds as many connections as it can.' },
  [CloseCode.UNEXPECTED_IDENTITY]: { name: 'unexpected identity', description: 'The other side is not the person this address was said to belong to.' },
  [CloseCode.NOT_JOINED]: { name: 'not joined', description: 'The other side has not joined this channel.' },
  [CloseCode.OVERLOADED]: { name: 'overloaded', description: 'The other side is busy and cannot take more right now.' },
  [CloseCode.RELAY_REFUSED]: { name: 'relay refused', description: 'The other side does not relay for others.' },
  [CloseCode.UNREACHABLE]: { name: 'unreachable', description: 'The relay has no connection to that person.' },
  [CloseCode.TOO_MANY_CIRCUITS]: { name: 'too many circuits', description: 'The relay already carries as many connections as it allows.' },
  [CloseCode.CIRCUIT_EXPIRED]: { name: 'circuit expired', description: 'The relay carried this connection for as long as it allows.' }
}

export function isCloseCode (n: number): n is CloseCode {
  return Object.hasOwn(CLOSE_CODES, n)
}

/**
 * A code as read from the wire. A number this version has no name for (a newer peer's) reads as
 * NORMAL: the peer closed for a reason we cannot act on, so nothing special is done, and a frame
 * carrying it is still valid.
 */
export function closeCodeFromWire (n: number): CloseCode {
  return isCloseCode(n) ? n : CloseCode.NORMAL
}

export function describeCloseCode (code: CloseCode): string {
  return CLOSE_CODES[code].description
}
