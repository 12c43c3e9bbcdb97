// A NAT-PMP gateway on loopback for client tests: a real UDP socket that answers as RFC 6886 says
// (or as a test tells it to misbehave), keeping the mappings it granted, so a test sees what a
// router would hold.
import dgram from 'node:dgram'
import { once } from 'node:events'
import type { NatPmpProtocol, NatPmpResponse } from '../../core/nat/nat-pmp-codec.ts'

/** A response as a gateway puts it on the wire (the RFC's layouts, §3.2 and §3.3). */
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

export interface Request { op: number; internalPort: number; suggested: number; lifetime: number; from: string }

/**
 * What the gateway does with a request: answer as a router would ('answer'), say nothing
 * ('drop'), or send these bytes instead.
 */
export type Behaviour = (request: Request, index: number) => 'answer' | 'drop' | Uint8Array

export class FakeNatPmpGateway {
  readonly socket = dgram.createSocket('udp4')
  readonly requests: Request[] = []
  /** Live mappings, by `tcp:4000`: the external port and lifetime granted. */
  readonly mappings = new Map<string, { externalPort: number; lifetime: number }>()
  externalAddress = '11.0.0.101'
  epoch = 1000
  behaviour: Behaviour = () => 'answer'

  static async start (): Promise<FakeNatPmpGateway> {
    const gateway = new FakeNatPmpGateway()
    gateway.socket.on('message', (msg, rinfo) => { gateway.#receive(msg, rinfo) })
    gateway.socket.bind(0, '127.0.0.1')
    await once(gateway.socket, 'listening')
    return gateway
  }

  get port (): number { return this.socket.address().port }

  close (): void { this.socket.close() }

  #receive (msg: Buffer, rinfo: dgram.RemoteInfo): void {
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
    if (what === 'drop') return
    const reply = what === 'answer' ? this.#answer(request) : what
    this.socket.send(reply, rinfo.port, rinfo.address)
  }

  #answer (request: Request): Uint8Array {
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
}
