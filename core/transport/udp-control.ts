// The datagrams that set up a UDP stream between two nodes, without I/O (PROTOCOL §3.7). A dialler
// sends OPEN with the id of the stream it made; the listener answers ACCEPT with the id of its own,
// or REFUSE with why. Both then carry the stream (udx) between those ids, and the ordinary Noise
// handshake runs over it. The first two bytes set them apart from UDX packets (0xff…) and the
// DHT's bencoded messages ('d…') on the same socket.

export const UDP_CONTROL_MAGIC = 0xbc
export const UDP_CONTROL_VERSION = 1

export const OPEN = 1
export const ACCEPT = 2
export const REFUSE = 3
/** Hole punching (PROTOCOL §3.8): both sides send these to each other's candidates; one arriving proves a path. */
export const PROBE = 4

export const NONCE_BYTES = 16
/** The largest control datagram: ACCEPT. Anything longer is not one. */
export const MAX_UDP_CONTROL_BYTES = 3 + 4 + 4 + NONCE_BYTES

/** Why a listener refused an OPEN. */
export const RefuseCode = {
  /** Too many streams being opened, from this source or in all. */
  BUSY: 1,
  /** The node is not taking UDP streams now (shutting down, or behind a proxy). */
  CLOSED: 2
} as const
export type RefuseCode = typeof RefuseCode[keyof typeof RefuseCode]

export type UdpControl =
  | { type: typeof OPEN; streamId: number; nonce: Uint8Array }
  | { type: typeof ACCEPT; streamId: number; dialerStreamId: number; nonce: Uint8Array }
  | { type: typeof REFUSE; code: number; nonce: Uint8Array }
  /** `nonce`: the punch's token, agreed through the connection both sides already share. `reply`: sent because one arrived (never answered). */
  | { type: typeof PROBE; nonce: Uint8Array; reply: boolean }

export function isUdpControl (datagram: Uint8Array): boolean {
  return datagram.length >= 2 && datagram[0] === UDP_CONTROL_MAGIC && datagram[1] === UDP_CONTROL_VERSION
}

export function encodeUdpControl (message: UdpControl): Uint8Array {
  const out = new Uint8Array(message.type === OPEN ? 23 : message.type === ACCEPT ? 27 : 20)
  const view = new DataView(out.buffer)
  out[0] = UDP_CONTROL_MAGIC
  out[1] = UDP_CONTROL_VERSION
  out[2] = message.type
  if (message.nonce.length !== NONCE_BYTES) throw new RangeError(`a nonce is ${NONCE_BYTES} bytes`)
  switch (message.type) {
    case OPEN:
      view.setUint32(3, checkId(message.streamId))
      out.set(message.nonce, 7)
      break
    case ACCEPT:
      view.setUint32(3, checkId(message.streamId))
      view.setUint32(7, checkId(message.dialerStreamId))
      out.set(message.nonce, 11)
      break
    case REFUSE:
      if (!Number.isInteger(message.code) || message.code < 1 || message.code > 255) throw new RangeError('a refusal code is 1..255')
      out[3] = message.code
      out.set(message.nonce, 4)
      break
    case PROBE:
      out[3] = message.reply ? 1 : 0
      out.set(message.nonce, 4)
      break
  }
  return out
}

/** The control message, or null for anything that is not exactly one (it is dropped, never answered). */
export function decodeUdpControl (datagram: Uint8Array): UdpControl | null {
  if (!isUdpControl(datagram) || datagram.length > MAX_UDP_CONTROL_BYTES) return null
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength)
  switch (datagram[2]) {
    case OPEN:
      if (datagram.length !== 23 || view.getUint32(3) === 0) return null
      return { type: OPEN, streamId: view.getUint32(3), nonce: datagram.slice(7, 23) }
    case ACCEPT:
      if (datagram.length !== 27 || view.getUint32(3) === 0 || view.getUint32(7) === 0) return null
      return { type: ACCEPT, streamId: view.getUint32(3), dialerStreamId: view.getUint32(7), nonce: datagram.slice(11, 27) }
    case REFUSE:
      if (datagram.length !== 20 || datagram[3] === 0) return null
      return { type: REFUSE, code: datagram[3]!, nonce: datagram.slice(4, 20) }
    case PROBE:
      if (datagram.length !== 20 || datagram[3]! > 1) return null
      return { type: PROBE, nonce: datagram.slice(4, 20), reply: datagram[3] === 1 }
    default:
      return null
  }
}

function checkId (id: number): number {
  if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) throw new RangeError('a stream id is 1..2^32-1')
  return id
}
