// A router's port-mapping service on loopback for client tests: a real UDP socket that answers
// NAT-PMP (RFC 6886) and PCP (RFC 6887) on one port as miniupnpd does, or answers PCP as a
// NAT-PMP-only router would (in version 0), or misbehaves as a test tells it to; it keeps the
// mappings it granted, so a test sees what a router would hold.
import dgram from 'node:dgram'
import { once } from 'node:events'
import type { TestContext } from 'node:test'
import { ManualClock } from './manual-clock.ts'
import type { NatPmpProtocol, NatPmpResponse } from '../../core/nat/nat-pmp-codec.ts'
import { ipv4Mapped, type PcpResult } from '../../core/nat/pcp-codec.ts'

/** A NAT-PMP response as a gateway puts it on the wire (the RFC's layouts, §3.2 and §3.3). */
export function encodeResponse (response: NatPmpResponse): Uint8Array {
  const failed = response.result !== 'success'
  const size = response.op === 'address' ? 12 : 16
  const bytes = new Uint8Array(size)
  const view = new DataView(bytes.buffer)
  view.setUint8(0, 0)
  view.setUint8(1, 128 + (response.op === 'address' ? 0 : response.protocol === 'udp' ? 1 : 2))
  view.setUint16(2, failed ? response.code : 0)
  view.setUint32(4, response.epoch)
  if (response.op === 'address' && response.result === 'success') bytes.set(response.externalAddress.split('.').map(Number), 8)
  if (response.op === 'map' && response.result === 'success') {
    view.setUint16(8, response.internalPort)
    view.setUint16(10, response.externalPort)
    view.setUint32(12, response.lifetimeSeconds)
  }
  return bytes
}

const PCP_CODES: readonly PcpResult[] = [
  'SUCCESS', 'UNSUPP_VERSION', 'NOT_AUTHORIZED', 'MALFORMED_REQUEST', 'UNSUPP_OPCODE', 'UNSUPP_OPTION', 'MALFORMED_OPTION',
  'NETWORK_FAILURE', 'NO_RESOURCES', 'UNSUPP_PROTOCOL', 'USER_EX_QUOTA', 'CANNOT_PROVIDE_EXTERNAL', 'ADDRESS_MISMATCH', 'EXCESSIVE_REMOTE_PEERS'
]

export interface PcpMapAnswer {
  result: Exclude<PcpResult, 'UNRECOGNISED'>
  lifetimeSeconds: number
  epoch: number
  nonce: Uint8Array
  /** The IANA number: 6 TCP, 17 UDP. */
  protocol: number
  internalPort: number
  externalPort: number
  externalAddress: string
  /** Raw options (code, reserved, length, padded data) put after the MAP body. */
  options?: Uint8Array
}

/** A PCP MAP response as a gateway puts it on the wire (RFC 6887 §7.2 and §11.1): header, MAP body, options. */
export function encodeMapResponse (answer: PcpMapAnswer): Uint8Array {
  const options = answer.options ?? new Uint8Array(0)
  const bytes = new Uint8Array(60 + options.length)
  const view = new DataView(bytes.buffer)
  view.setUint8(0, 2)
  view.setUint8(1, 0x80 | 1)
  view.setUint8(3, PCP_CODES.indexOf(answer.result))
  view.setUint32(4, answer.lifetimeSeconds)
  view.setUint32(8, answer.epoch)
  bytes.set(answer.nonce, 24)
  view.setUint8(36, answer.protocol)
  view.setUint16(40, answer.internalPort)
  view.setUint16(42, answer.externalPort)
  bytes.set(ipv4Mapped(answer.externalAddress, 'external address'), 44)
  bytes.set(options, 60)
  return bytes
}

export interface Request { op: number; internalPort: number; suggested: number; lifetime: number; from: string }

export interface PcpRequest {
  version: number
  /** Byte 1: the R bit (0 in a request) and the opcode. */
  opcode: number
  lifetime: number
  /** The client address field, read as IPv4-mapped. */
  clientAddress: string
  nonce: Uint8Array
  protocol: number
  internalPort: number
  suggested: number
  suggestedAddress: string
  length: number
  from: string
}

/**
 * What the gateway does with a request: answer as a router would ('answer'), say nothing
 * ('drop'), or send these bytes instead.
 */
export type Behaviour<R = Request> = (request: R, index: number) => 'answer' | 'drop' | Uint8Array

export class FakeGateway {
  readonly socket = dgram.createSocket('udp4')
  /** NAT-PMP requests, in order. */
  readonly requests: Request[] = []
  readonly pcpRequests: PcpRequest[] = []
  /** Live mappings, by `tcp:4000`: the external port and lifetime granted, and the PCP nonce that owns it. */
  readonly mappings = new Map<string, { externalPort: number; lifetime: number; nonce?: string }>()
  externalAddress = '11.0.0.101'
  epoch = 1000
  /** false: answers a PCP request as a NAT-PMP-only router must (RFC 6886 §3.5: version 0, "unsupported version"). */
  pcp = true
  behaviour: Behaviour = () => 'answer'
  pcpBehaviour: Behaviour<PcpRequest> = () => 'answer'

  static async start (): Promise<FakeGateway> {
    const gateway = new FakeGateway()
    gateway.socket.on('message', (msg, rinfo) => { gateway.#receive(msg, rinfo) })
    gateway.socket.bind(0, '127.0.0.1')
    await once(gateway.socket, 'listening')
    return gateway
  }

  get port (): number { return this.socket.address().port }

  close (): void { this.socket.close() }

  #receive (msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const reply = msg[0] === 0 ? this.#natPmp(msg, rinfo) : this.#pcp(msg, rinfo)
    if (reply !== null) this.socket.send(reply, rinfo.port, rinfo.address)
  }

  #natPmp (msg: Buffer, rinfo: dgram.RemoteInfo): Uint8Array | null {
    const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength)
    const request: Request = {
      op: msg[1] ?? -1,
      internalPort: msg.length >= 12 ? view.getUint16(4) : 0,
      suggested: msg.length >= 12 ? view.getUint16(6) : 0,
      lifetime: msg.length >= 12 ? view.getUint32(8) : 0,
      from: `${rinfo.address}:${rinfo.port}`
    }
    const index = this.requests.push(request) - 1
    const what = this.behaviour(request, index)
    if (what === 'drop') return null
    return what === 'answer' ? this.#natPmpAnswer(request) : what
  }

  #natPmpAnswer (request: Request): Uint8Array {
    if (request.op === 0) return encodeResponse({ op: 'address', result: 'success', epoch: this.epoch, externalAddress: this.externalAddress })
    const protocol: NatPmpProtocol = request.op === 1 ? 'udp' : 'tcp'
    const key = `${protocol}:${request.internalPort}`
    if (request.lifetime === 0) {
      this.mappings.delete(key)
      return encodeResponse({ op: 'map', protocol, result: 'success', epoch: this.epoch, internalPort: request.internalPort, externalPort: 0, lifetimeSeconds: 0 })
    }
    const externalPort = this.mappings.get(key)?.externalPort ?? (request.suggested === 0 ? request.internalPort : request.suggested)
    // A router may shorten what was asked for.
    const lifetime = Math.min(request.lifetime, 7200)
    this.mappings.set(key, { externalPort, lifetime })
    return encodeResponse({ op: 'map', protocol, result: 'success', epoch: this.epoch, internalPort: request.internalPort, externalPort, lifetimeSeconds: lifetime })
  }

  #pcp (msg: Buffer, rinfo: dgram.RemoteInfo): Uint8Array | null {
    if (msg.length < 60) return null
    const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength)
    const request: PcpRequest = {
      version: view.getUint8(0),
      opcode: view.getUint8(1),
      lifetime: view.getUint32(4),
      clientAddress: [...msg.subarray(20, 24)].join('.'),
      nonce: Uint8Array.from(msg.subarray(24, 36)),
      protocol: view.getUint8(36),
      internalPort: view.getUint16(40),
      suggested: view.getUint16(42),
      suggestedAddress: [...msg.subarray(56, 60)].join('.'),
      length: msg.length,
      from: `${rinfo.address}:${rinfo.port}`
    }
    const index = this.pcpRequests.push(request) - 1
    const what = this.pcpBehaviour(request, index)
    if (what === 'drop') return null
    return what === 'answer' ? this.#pcpAnswer(request, rinfo) : what
  }

  #pcpAnswer (request: PcpRequest, rinfo: dgram.RemoteInfo): Uint8Array {
    if (!this.pcp) {
      const bytes = Uint8Array.of(0, 0x80 | request.opcode, 0, 1, 0, 0, 0, 0)
      new DataView(bytes.buffer).setUint32(4, this.epoch)
      return bytes
    }
    const protocol = request.protocol === 6 ? 'tcp' : 'udp'
    const key = `${protocol}:${request.internalPort}`
    const nonce = Buffer.from(request.nonce).toString('hex')
    const held = this.mappings.get(key)
    const answer = (result: PcpMapAnswer['result'], lifetimeSeconds: number, externalPort: number): Uint8Array =>
      encodeMapResponse({ result, lifetimeSeconds, epoch: this.epoch, nonce: request.nonce, protocol: request.protocol, internalPort: request.internalPort, externalPort, externalAddress: this.externalAddress })
    // As miniupnpd: the client must name the address it sends from, and only a mapping's nonce may change it.
    if (request.clientAddress !== rinfo.address) return answer('ADDRESS_MISMATCH', 0, 0)
    if (held?.nonce !== undefined && held.nonce !== nonce) return answer('NOT_AUTHORIZED', 0, 0)
    if (request.lifetime === 0) {
      this.mappings.delete(key)
      return answer('SUCCESS', 0, held?.externalPort ?? request.suggested)
    }
    const externalPort = held?.externalPort ?? (request.suggested === 0 ? request.internalPort : request.suggested)
    const lifetime = Math.min(request.lifetime, 7200)
    this.mappings.set(key, { externalPort, lifetime, nonce })
    return answer('SUCCESS', lifetime, externalPort)
  }
}

/**
 * A fake gateway, a manual clock and a client `open` makes for them, all stopped after the test (the
 * clock moved on so the client's deletions give up on an unanswered one).
 */
export async function gatewayAndClient<C extends { stop: () => Promise<void> }> (t: TestContext, open: (port: number, clock: ManualClock) => Promise<C>): Promise<{ gateway: FakeGateway; clock: ManualClock; client: C }> {
  const gateway = await FakeGateway.start()
  const clock = new ManualClock()
  const client = await open(gateway.port, clock)
  t.after(async () => {
    const stopping = client.stop()
    clock.advance(5_000)
    await stopping
    gateway.close()
  })
  return { gateway, clock, client }
}
