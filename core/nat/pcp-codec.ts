// PCP (RFC 6887) MAP messages as bytes: the request we send to have a port forwarded, and the
// gateway's answer, which arrives from the network and so is checked field by field. A packet that
// is too long, not in 4-byte words, of another version, not a response, of another opcode, or that
// answers another mapping (its nonce, protocol or internal port differ) is refused, never half-read;
// options the gateway adds are stepped over within the packet's bounds. A version 0 or 1 answer
// means the gateway does not speak PCP version 2 (§9): a version 0 one is NAT-PMP's, so the caller
// asks by NAT-PMP instead.

/** PCP shares NAT-PMP's port on the gateway. */
export const PCP_PORT = 5351

export type PcpProtocol = 'tcp' | 'udp'

/** The result codes of RFC 6887 §7.4, by their RFC names. */
export type PcpResult =
  | 'SUCCESS'
  | 'UNSUPP_VERSION'
  | 'NOT_AUTHORIZED'
  | 'MALFORMED_REQUEST'
  | 'UNSUPP_OPCODE'
  | 'UNSUPP_OPTION'
  | 'MALFORMED_OPTION'
  | 'NETWORK_FAILURE'
  | 'NO_RESOURCES'
  | 'UNSUPP_PROTOCOL'
  | 'USER_EX_QUOTA'
  | 'CANNOT_PROVIDE_EXTERNAL'
  | 'ADDRESS_MISMATCH'
  | 'EXCESSIVE_REMOTE_PEERS'
  | 'UNRECOGNISED'

export type PcpFailure = Exclude<PcpResult, 'SUCCESS'>

const RESULTS: readonly PcpResult[] = [
  'SUCCESS', 'UNSUPP_VERSION', 'NOT_AUTHORIZED', 'MALFORMED_REQUEST', 'UNSUPP_OPCODE', 'UNSUPP_OPTION', 'MALFORMED_OPTION',
  'NETWORK_FAILURE', 'NO_RESOURCES', 'UNSUPP_PROTOCOL', 'USER_EX_QUOTA', 'CANNOT_PROVIDE_EXTERNAL', 'ADDRESS_MISMATCH', 'EXCESSIVE_REMOTE_PEERS'
]

/** What each result means, in words a user may read. */
export const PCP_RESULT_WORDS: Record<PcpResult, string> = {
  SUCCESS: 'done',
  UNSUPP_VERSION: 'the router does not speak this version of PCP',
  NOT_AUTHORIZED: 'the router refused (PCP may be turned off on it, or the port is held by another program)',
  MALFORMED_REQUEST: 'the router could not read the request',
  UNSUPP_OPCODE: 'the router does not know this request',
  UNSUPP_OPTION: 'the router does not know an option of the request',
  MALFORMED_OPTION: 'the router could not read an option of the request',
  NETWORK_FAILURE: 'the router has no address outside yet',
  NO_RESOURCES: 'the router has no room for another mapping now',
  UNSUPP_PROTOCOL: 'the router cannot forward this protocol',
  USER_EX_QUOTA: 'the router gives this computer no more ports',
  CANNOT_PROVIDE_EXTERNAL: 'the router cannot give the address or port asked for',
  ADDRESS_MISMATCH: 'the router sees this computer under another address (another NAT between them?)',
  EXCESSIVE_REMOTE_PEERS: 'the router cannot filter for that many peers',
  UNRECOGNISED: 'the router answered with an unknown result code'
}

export const PCP_VERSION = 2
const OPCODE_MAP = 1
/** Bit 8 of byte 1: set in responses. */
const RESPONSE_BIT = 0x80
const HEADER_BYTES = 24
const MAP_BODY_BYTES = 36
const MAP_BYTES = HEADER_BYTES + MAP_BODY_BYTES
/** No PCP message is longer (§7). */
export const MAX_PCP_BYTES = 1100
export const NONCE_BYTES = 12
const OPTION_HEADER_BYTES = 4
const IANA: Record<PcpProtocol, number> = { tcp: 6, udp: 17 }
const MAX_U16 = 0xffff
const MAX_U32 = 0xffff_ffff

export interface PcpMapRequest {
  /** Chosen at random for a mapping and sent again to renew or delete it: only its holder can (§11.1). */
  nonce: Uint8Array
  protocol: PcpProtocol
  internalPort: number
  /** The port we would like outside; 0 for any. */
  suggestedExternalPort: number
  /** The address we would like outside; '0.0.0.0' for any. */
  suggestedExternalAddress: string
  /** Our address as the gateway sees it, which it checks against the packet's source (§8.1). */
  clientAddress: string
  /** 0 deletes the mapping. */
  lifetimeSeconds: number
}

export type PcpResponse =
  | { kind: 'map'; result: 'SUCCESS'; lifetimeSeconds: number; epoch: number; nonce: Uint8Array; protocol: PcpProtocol; internalPort: number; externalPort: number; externalAddress: string }
  /** A refusal; the mapping fields are there when the gateway copied them back, as it should (§7.2). */
  | { kind: 'map'; result: PcpFailure; code: number; lifetimeSeconds: number; epoch: number; nonce?: Uint8Array; protocol?: PcpProtocol; internalPort?: number }
  /** The gateway speaks only this older version: 0 is NAT-PMP. */
  | { kind: 'older-version'; version: number }

export function encodeMapRequest (request: PcpMapRequest): Uint8Array {
  const { nonce, protocol, internalPort, suggestedExternalPort, lifetimeSeconds } = request
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`a mapping nonce is ${NONCE_BYTES} bytes, not ${nonce.length}`)
  checkInteger('internal port', internalPort, 1, MAX_U16)
  checkInteger('suggested external port', suggestedExternalPort, 0, MAX_U16)
  checkInteger('lifetime', lifetimeSeconds, 0, MAX_U32)
  const bytes = new Uint8Array(MAP_BYTES)
  const view = new DataView(bytes.buffer)
  view.setUint8(0, PCP_VERSION)
  view.setUint8(1, OPCODE_MAP)
  view.setUint32(4, lifetimeSeconds)
  bytes.set(ipv4Mapped(request.clientAddress, 'client address'), 8)
  bytes.set(nonce, HEADER_BYTES)
  view.setUint8(HEADER_BYTES + 12, IANA[protocol])
  view.setUint16(HEADER_BYTES + 16, internalPort)
  view.setUint16(HEADER_BYTES + 18, suggestedExternalPort)
  bytes.set(ipv4Mapped(request.suggestedExternalAddress, 'suggested external address'), HEADER_BYTES + 20)
  return bytes
}

/** Reads a gateway's packet; a string says why it is not a well-formed PCP MAP response. */
export function decodeResponse (bytes: Uint8Array): PcpResponse | string {
  if (bytes.length > MAX_PCP_BYTES) return `${bytes.length} bytes, more than ${MAX_PCP_BYTES}`
  if (bytes.length < 4) return `too short (${bytes.length} bytes)`
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint8(0)
  const isResponse = (view.getUint8(1) & RESPONSE_BIT) !== 0
  if (!isResponse) return 'a request, not a response'
  // An older server answers in its own version and layout (NAT-PMP's is 8 bytes): only the version is read.
  if (version < PCP_VERSION) return { kind: 'older-version', version }
  if (version !== PCP_VERSION) return `version ${version}, not ${PCP_VERSION}`
  if (bytes.length < HEADER_BYTES) return `too short (${bytes.length} bytes)`
  if (bytes.length % 4 !== 0) return `${bytes.length} bytes, not a multiple of 4`
  const opcode = view.getUint8(1) & ~RESPONSE_BIT
  if (opcode !== OPCODE_MAP) return `opcode ${opcode}, not MAP`
  const code = view.getUint8(3)
  const result = RESULTS[code] ?? 'UNRECOGNISED'
  const lifetimeSeconds = view.getUint32(4)
  const epoch = view.getUint32(8)
  if (result !== 'SUCCESS' && bytes.length === HEADER_BYTES) return { kind: 'map', result, code, lifetimeSeconds, epoch }
  if (bytes.length < MAP_BYTES) return `${bytes.length} bytes, too short for a MAP response`
  const options = skipOptions(view, MAP_BYTES)
  if (options !== null) return options
  // A copy, and a plain Uint8Array: a socket hands us Buffers, whose slice() shares the memory.
  const nonce = new Uint8Array(bytes.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES))
  const protocolNumber = view.getUint8(HEADER_BYTES + 12)
  const protocol = protocolNumber === IANA.tcp ? 'tcp' : protocolNumber === IANA.udp ? 'udp' : null
  if (protocol === null) return `protocol ${protocolNumber}, neither TCP nor UDP`
  const internalPort = view.getUint16(HEADER_BYTES + 16)
  if (internalPort === 0) return 'internal port 0'
  if (result !== 'SUCCESS') return { kind: 'map', result, code, lifetimeSeconds, epoch, nonce, protocol, internalPort }
  const externalPort = view.getUint16(HEADER_BYTES + 18)
  const externalAddress = fromIpv4Mapped(bytes.subarray(HEADER_BYTES + 20, MAP_BYTES))
  if (externalAddress === null) return 'an external address that is not IPv4'
  // A deletion's answer may carry port and address 0; a mapping that lasts must be to somewhere.
  if (lifetimeSeconds !== 0 && (externalPort === 0 || externalAddress === '0.0.0.0')) return `external ${externalAddress}:${externalPort} for ${lifetimeSeconds} seconds`
  return { kind: 'map', result, lifetimeSeconds, epoch, nonce, protocol, internalPort, externalPort, externalAddress }
}

/**
 * The answer to `request` in a packet from the gateway, or why the packet is not it: a MAP response
 * with the request's nonce, protocol and internal port (§11.4: anything else is ignored). A refusal
 * without the mapping fields is taken as it stands: it can only make us ask another way.
 */
export function answerTo (request: PcpMapRequest, bytes: Uint8Array): PcpResponse | string {
  const response = decodeResponse(bytes)
  if (typeof response === 'string' || response.kind === 'older-version') return response
  if (response.nonce !== undefined && !sameBytes(response.nonce, request.nonce)) return 'an answer for another mapping nonce'
  if (response.protocol !== undefined && response.protocol !== request.protocol) return `a ${response.protocol} mapping, not ${request.protocol}`
  if (response.internalPort !== undefined && response.internalPort !== request.internalPort) return `a mapping of port ${response.internalPort}, not ${request.internalPort}`
  return response
}

/** Steps over the options from `offset` to the end; a string says which one runs past it. */
function skipOptions (view: DataView, offset: number): string | null {
  while (offset < view.byteLength) {
    if (view.byteLength - offset < OPTION_HEADER_BYTES) return `an option header cut short at byte ${offset}`
    const length = view.getUint16(offset + 2)
    // The data is padded to a 4-byte word; the length does not count the padding (§7.3).
    const padded = Math.ceil(length / 4) * 4
    if (offset + OPTION_HEADER_BYTES + padded > view.byteLength) return `option ${view.getUint8(offset)} of ${length} bytes runs past the end`
    offset += OPTION_HEADER_BYTES + padded
  }
  return null
}

/** An IPv4 address as PCP carries every address: IPv4-mapped IPv6, ::ffff:a.b.c.d (§5). */
export function ipv4Mapped (address: string, what: string): Uint8Array {
  const parts = address.split('.')
  if (parts.length !== 4 || !parts.every(p => /^\d{1,3}$/.test(p) && Number(p) <= 255)) throw new RangeError(`${what} ${address} is not an IPv4 address`)
  return Uint8Array.of(...new Array<number>(10).fill(0), 0xff, 0xff, ...parts.map(Number))
}

function fromIpv4Mapped (bytes: Uint8Array): string | null {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return null
  if (bytes[10] !== 0xff || bytes[11] !== 0xff) return null
  return [...bytes.subarray(12, 16)].join('.')
}

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}

function checkInteger (what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${what} ${value} is not an integer in ${min}..${max}`)
}
