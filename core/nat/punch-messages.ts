// The rendezvous before a hole punch (PROTOCOL §3.8): two members already connected (through a relay,
// most often) tell each other, end to end, where their UDP sockets can be reached and how their NATs
// map, then agree when to start. No I/O: one codec per message, bounded before anything is allocated.
import type { NatType } from '../api/contract.ts'
import { Reader, WireError, Writer } from '../wire/codec.ts'
import { COMPACT_IPV4_BYTES, decodeCompactIPv4, encodeCompactIPv4 } from '../wire/address.ts'
import type { Endpoint } from '../transport/raw-stream.ts'

/** The stream the rendezvous runs on, opened by the member whose key sorts first; empty topic. */
export const PUNCH_PROTOCOL = 'bitchat/punch/1'

export const PunchType = { CANDIDATES: 1, GO: 2 } as const

export const TOKEN_BYTES = 16
/** Addresses one side offers at most: its public one(s), a port mapping, its own on the local network. */
export const MAX_CANDIDATES = 8
/** A GO's delay is at most this: half a round trip that long means the path is useless for punching. */
export const MAX_GO_DELAY_MS = 5_000
/** The largest message: a CANDIDATES with every address. */
export const MAX_PUNCH_MESSAGE_BYTES = 1 + 1 + TOKEN_BYTES + 1 + MAX_CANDIDATES * COMPACT_IPV4_BYTES

const NAT_CODES: readonly NatType[] = ['unknown', 'open', 'consistent', 'random']

export type PunchMessage =
  /** Where the sender's UDP socket may be reached. `token` is the opener's, echoed by the other side. */
  | { type: typeof PunchType.CANDIDATES; nat: NatType; token: Uint8Array; addresses: Endpoint[] }
  /** From the opener: it starts probing `delayMs` after sending this; the other side starts on receipt. */
  | { type: typeof PunchType.GO; delayMs: number }

export function encodePunchMessage (message: PunchMessage): Uint8Array {
  const w = new Writer().u8(message.type)
  if (message.type === PunchType.GO) {
    if (!Number.isInteger(message.delayMs) || message.delayMs < 0 || message.delayMs > MAX_GO_DELAY_MS) throw new WireError(`a GO delay is 0..${MAX_GO_DELAY_MS} ms`)
    return w.u8(message.delayMs >> 8).u8(message.delayMs & 0xff).finish()
  }
  if (message.addresses.length > MAX_CANDIDATES) throw new WireError(`at most ${MAX_CANDIDATES} candidates`)
  w.u8(NAT_CODES.indexOf(message.nat)).fixed(message.token, TOKEN_BYTES, 'punch token').u8(message.addresses.length)
  for (const { host, port } of message.addresses) {
    let compact: Uint8Array
    try {
      compact = encodeCompactIPv4(host, port)
    } catch (err) {
      throw new WireError(`a candidate is an IPv4 address and a port 1..65535: ${(err as Error).message}`)
    }
    w.fixed(compact, COMPACT_IPV4_BYTES, 'candidate')
  }
  return w.finish()
}

/** The message, or WireError for anything else: an unknown type, a wrong length, port 0, too many addresses. */
export function decodePunchMessage (bytes: Uint8Array): PunchMessage {
  if (bytes.length > MAX_PUNCH_MESSAGE_BYTES) throw new WireError(`a punch message is at most ${MAX_PUNCH_MESSAGE_BYTES} bytes`)
  const r = new Reader(bytes)
  const type = r.u8('punch message type')
  if (type === PunchType.GO) {
    const delayMs = (r.u8('GO delay') << 8) | r.u8('GO delay')
    r.end()
    if (delayMs > MAX_GO_DELAY_MS) throw new WireError(`a GO delay is at most ${MAX_GO_DELAY_MS} ms`)
    return { type, delayMs }
  }
  if (type !== PunchType.CANDIDATES) throw new WireError(`unknown punch message type ${type}`)
  const nat = NAT_CODES[r.u8('NAT type')]
  if (nat === undefined) throw new WireError('unknown NAT type')
  const token = r.fixed(TOKEN_BYTES, 'punch token')
  const count = r.u8('candidate count')
  if (count > MAX_CANDIDATES) throw new WireError(`at most ${MAX_CANDIDATES} candidates`)
  const addresses: Endpoint[] = []
  for (let i = 0; i < count; i++) {
    const candidate = decodeCompactIPv4(r.fixed(COMPACT_IPV4_BYTES, 'candidate'))
    if (candidate.port === 0) throw new WireError('a candidate with port 0')
    addresses.push(candidate)
  }
  r.end()
  return { type, nat, token, addresses }
}
