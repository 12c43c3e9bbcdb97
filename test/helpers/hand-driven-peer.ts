// A peer driven by hand from a test: it speaks the real wire protocol over a real socket, sends
// exactly what the test says and records what the node sends back.
import net from 'node:net'
import { SecureConnection } from '../../core/session/secure-connection.ts'
import { generateIdentity, type Identity } from '../../core/identity/identity.ts'
import { decodeFrame, type WireMessage } from '../../core/wire/messages.ts'

export class HandDrivenPeer {
  readonly received: WireMessage[] = []
  readonly identity: Identity
  closed = false
  readonly #socket: net.Socket
  readonly #connection: SecureConnection
  readonly established: Promise<void>

  /** `from`: the loopback address to connect from (any 127.x.y.z), so many peers do not share one source's limits. */
  constructor (port: number, psk: Uint8Array, identity: Identity = generateIdentity(), from = '127.0.0.1') {
    this.identity = identity
    this.#socket = net.connect({ port, host: '127.0.0.1', localAddress: from })
    this.#socket.on('error', () => {})
    this.#socket.on('close', () => { this.closed = true })
    let ready = (): void => {}
    this.established = new Promise(resolve => { ready = resolve })
    this.#connection = new SecureConnection({
      initiator: true,
      identity: this.identity,
      psks: [psk],
      onSend: (chunks) => { for (const c of chunks) this.#socket.write(c) },
      onEstablished: () => { ready() },
      onMessage: (plaintext) => { this.received.push(decodeFrame(plaintext)) }
    })
    this.#socket.on('data', (d: Buffer) => { this.#connection.receive(d) })
    this.#socket.on('connect', () => { this.#connection.start() })
  }

  send (frame: Uint8Array): void { this.#connection.send(frame) }
  /** Stops reading from the socket, as a peer that lets the node's frames pile up would. */
  stopReading (): void { this.#socket.pause() }
  /** Bytes written and not yet taken by the kernel (the node stopped reading us). */
  get unsentBytes (): number { return this.#socket.writableLength }
  destroy (): void { this.#socket.destroy() }
}
