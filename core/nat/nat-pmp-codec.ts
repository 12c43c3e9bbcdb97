// NAT-PMP (RFC 6886) messages as bytes: the external-address and port-map requests we send, and the
// gateway's answers, which arrive from the network and so are checked field by field: a packet of
// the wrong length, version or opcode, or one answering another request than ours is refused, never
// half-read. (Packets from anywhere but the gateway's port 5351 never reach it: the client's socket
// is connected there.)

/** The port a NAT-PMP gateway listens on. */
export const NAT_PMP_PORT = 5351

export type NatPmpProtocol = 'udp' | 'tcp'

/** The result codes of RFC 6886 §3.5, by name; 'unrecognised' for a code the RFC does not define. */
export type NatPmpResult =
  | 'success'
  | 'unsupported-version'
  | 'refused'
  | 'network-failure'
  | 'out-of-resources'
  | 'unsupported-opcode'
  | 'unrecognised'

const RESULTS: readonly NatPmpResult[] = ['success', 'unsupported-version', 'refused', 'network-failure', 'out-of-resources', 'unsupported-opcode']

/** What each result means, in words a user may read. */
export const RESULT_WORDS: Record<NatPmpResult, string> = {
  success: 'done',
  'unsupported-version': 'the router does not speak this version of NAT-PMP',
  refused: 'the router refused (NAT-PMP may be turned off on it)',
  'network-failure': 'the router has no address outside yet',
  'out-of-resources': 'the router has no ports left to give',
  'unsupported-opcode': 'the router does not know this request',
  unrecognised: 'the router answered with an unknown result code'
}

const VERSION = 0
const OP_ADDRESS = 0
const OP: Record<NatPmpProtocol, number> = { udp: 1, tcp: 2 }
/** A response's opcode is its request's plus this. */
const RESPONSE = 128
const ADDRESS_RESPONSE_BYTES = 12
const MAP_RESPONSE_BYTES = 16
/** An error answer may stop after the result code and the epoch (miniupnpd's for a bad version or opcode). */
const SHORT_ERROR_BYTES = 8
const MAX_U16 = 0xffff
const MAX_U32 = 0xffff_ffff

export interface MapRequest {
  protocol: NatPmpProtocol
  internalPort: number
  /** The external port we would like; the gateway may give another. */
  suggestedExternalPort: number
  /** 0 deletes the mapping. */
  lifetimeSeconds: number
}

export type NatPmpRequest = { op: 'address' } | ({ op: 'map' } & MapRequest)

export type NatPmpResponse =
  | { op: 'address'; result: 'success'; epoch: number; externalAddress: string }
  | { op: 'map'; protocol: NatPmpProtocol; result: 'success'; epoch: number; internalPort: number; externalPort: number; lifetimeSeconds: number }
  | { op: 'address'; result: NatPmpFailure; code: number; epoch: number }
  | { op: 'map'; protocol: NatPmpProtocol; result: NatPmpFailure; code: number; epoch: number }

export type NatPmpFailure = Exclude<NatPmpResult, 'success'>

export function encodeRequest (request: NatPmpRequest): Uint8Array {
  if (request.op === 'address') return Uint8Array.of(VERSION, OP_ADDRESS)
  const { protocol, internalPort, suggestedExternalPort, lifetimeSeconds } = request
  checkInteger('internal port', internalPort, 1, MAX_U16)
  checkInteger('suggested external port', suggestedExternalPort, 0, MAX_U16)
  checkInteger('lifetime', lifetimeSeconds, 0, MAX_U32)
  const bytes = new Uint8Array(12)
  const view = new DataView(bytes.buffer)
  view.setUint8(0, VERSION)
  view.setUint8(1, OP[protocol])
  view.setUint16(2, 0)
  view.setUint16(4, internalPort)
  view.setUint16(6, suggestedExternalPort)
  view.setUint32(8, lifetimeSeconds)
  return bytes
}

/** Reads a gateway's packet; a string says why it is not a well-formed NAT-PMP response. */
export function decodeResponse (bytes: Uint8Array): NatPmpResponse | string {
  if (bytes.length < SHORT_ERROR_BYTES) return `too short (${bytes.length} bytes)`
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint8(0)
  if (version !== VERSION) return `version ${version}, not ${VERSION}`
  const opcode = view.getUint8(1)
  if (opcode < RESPONSE) return `opcode ${opcode} is a request's`
  const op = opcode - RESPONSE
  const protocol = op === OP.udp ? 'udp' : op === OP.tcp ? 'tcp' : null
  if (op !== OP_ADDRESS && protocol === null) return `unknown opcode ${opcode}`
  const code = view.getUint16(2)
  const result = RESULTS[code] ?? 'unrecognised'
  const epoch = view.getUint32(4)
  const full = protocol === null ? ADDRESS_RESPONSE_BYTES : MAP_RESPONSE_BYTES
  if (result !== 'success') {
    if (bytes.length !== SHORT_ERROR_BYTES && bytes.length !== full) return `${bytes.length} bytes for an error answer`
    return protocol === null ? { op: 'address', result, code, epoch } : { op: 'map', protocol, result, code, epoch }
  }
  if (bytes.length !== full) return `${bytes.length} bytes, not ${full}`
  if (protocol === null) {
    const externalAddress = [...bytes.subarray(8, 12)].join('.')
    return { op: 'address', result, epoch, externalAddress }
  }
  const internalPort = view.getUint16(8)
  const externalPort = view.getUint16(10)
  const lifetimeSeconds = view.getUint32(12)
  if (internalPort === 0) return 'internal port 0'
  // A deletion's answer has lifetime 0 (and port 0, RFC 6886 §3.4); a mapping that lasts must be to a port.
  if (externalPort === 0 && lifetimeSeconds !== 0) return `external port 0 for ${lifetimeSeconds} seconds`
  return { op: 'map', protocol, result, epoch, internalPort, externalPort, lifetimeSeconds }
}

/**
 * The answer to `request` in a packet from the gateway, or why the packet is not it: an answer with
 * the request's opcode and, for a mapping, its protocol and internal port (RFC 6886 §3.1: anything
 * else is ignored).
 */
export function answerTo (request: NatPmpRequest, bytes: Uint8Array): NatPmpResponse | string {
  const response = decodeResponse(bytes)
  if (typeof response === 'string') return response
  if (response.op !== request.op) return `an answer to a ${response.op} request`
  if (request.op === 'map' && response.op === 'map') {
    if (response.protocol !== request.protocol) return `a ${response.protocol} mapping, not ${request.protocol}`
    if (response.result === 'success' && response.internalPort !== request.internalPort) return `a mapping of port ${response.internalPort}, not ${request.internalPort}`
  }
  return response
}

function checkInteger (what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${what} ${value} is not an integer in ${min}..${max}`)
}
