export type Token = 'e' | 's' | 'ee' | 'es' | 'se' | 'ss' | 'psk'

/** A Noise handshake pattern as data; message i is written by the initiator when i is even. */
export interface HandshakePattern {
  readonly name: string
  /** Static keys known before the handshake (only `s` pre-messages are supported). */
  readonly pre: { readonly initiator: readonly 's'[]; readonly responder: readonly 's'[] }
  readonly messages: readonly (readonly Token[])[]
}

const PATTERNS: readonly HandshakePattern[] = [
  { name: 'NN', pre: { initiator: [], responder: [] }, messages: [['e'], ['e', 'ee']] },
  { name: 'KK', pre: { initiator: ['s'], responder: ['s'] }, messages: [['e', 'es', 'ss'], ['e', 'ee', 'se']] },
  { name: 'IK', pre: { initiator: [], responder: ['s'] }, messages: [['e', 'es', 's', 'ss'], ['e', 'ee', 'se']] },
  { name: 'XX', pre: { initiator: [], responder: [] }, messages: [['e'], ['e', 'ee', 's', 'es'], ['s', 'se']] },
  { name: 'XXpsk3', pre: { initiator: [], responder: [] }, messages: [['e'], ['e', 'ee', 's', 'es'], ['s', 'se', 'psk']] },
  { name: 'XXpsk0', pre: { initiator: [], responder: [] }, messages: [['psk', 'e'], ['e', 'ee', 's', 'es'], ['s', 'se']] },
  { name: 'IKpsk2', pre: { initiator: [], responder: ['s'] }, messages: [['e', 'es', 's', 'ss'], ['e', 'ee', 'se', 'psk']] }
]

export function findPattern (name: string): HandshakePattern | undefined {
  return PATTERNS.find(pattern => pattern.name === name)
}
