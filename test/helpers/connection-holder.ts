// An attacker that holds TCP connections open against a node: idle ones that never send a byte,
// or members (the channel's PSK, a fresh identity each) that finish the handshake and then say
// nothing. Every connection the node closes is opened again, so the pressure never lets up.
import net from 'node:net'
import { SecureConnection } from '../../core/session/secure-connection.ts'
import { generateIdentity } from '../../core/identity/identity.ts'

export interface HolderOptions {
  port: number
  host?: string
  /** Source addresses the connections come from, used in turn (any 127.x.y.z works on Linux loopback). */
  from: string[]
  count: number
  /** With a PSK each connection completes the handshake as a new member; without, it stays silent. */
  psk?: Uint8Array
  /** Wait before reopening a connection the node closed. */
  reopenMs?: number
}

export class ConnectionHolder {
  /** Connections the node accepted and has not closed. */
  open = 0
  /** Connections whose handshake completed and that are still open. */
  established = 0
  /** Every connection attempt so far. */
  attempts = 0
  readonly #opts: Required<Omit<HolderOptions, 'psk'>> & { psk?: Uint8Array }
  readonly #sockets = new Set<net.Socket>()
  readonly #timers = new Set<NodeJS.Timeout>()
  #closed = false

  constructor (opts: HolderOptions) {
    this.#opts = { host: '127.0.0.1', reopenMs: 500, ...opts }
    for (let i = 0; i < opts.count; i++) this.#connect(opts.from[i % opts.from.length]!)
  }

  close (): void {
    this.#closed = true
    for (const t of this.#timers) clearTimeout(t)
    for (const s of this.#sockets) s.destroy()
  }

  #connect (localAddress: string): void {
    if (this.#closed) return
    this.attempts++
    const socket = net.connect({ port: this.#opts.port, host: this.#opts.host, localAddress })
    this.#sockets.add(socket)
    let connected = false
    let established = false
    socket.on('error', () => {})
    socket.on('connect', () => {
      connected = true
      this.open++
      const psk = this.#opts.psk
      if (psk === undefined) {
        // Reading (and dropping) is what lets the node's hang-up be seen at once.
        socket.resume()
        return
      }
      const connection = new SecureConnection({
        initiator: true,
        identity: generateIdentity(),
        psks: [psk],
        onSend: (chunks) => { for (const c of chunks) socket.write(c) },
        onEstablished: () => { established = true; this.established++ },
        onMessage: () => {}
      })
      socket.on('data', (d: Buffer) => { try { connection.receive(d) } catch { socket.destroy() } })
      connection.start()
    })
    socket.on('close', () => {
      this.#sockets.delete(socket)
      if (connected) this.open--
      if (established) this.established--
      if (this.#closed) return
      const timer = setTimeout(() => { this.#timers.delete(timer); this.#connect(localAddress) }, this.#opts.reopenMs)
      this.#timers.add(timer)
    })
  }
}

/** `count` distinct loopback addresses 127.<b>.x.y, to play that many hosts. */
export function loopbackHosts (count: number, b = 50): string[] {
  return Array.from({ length: count }, (_, i) => `127.${b}.${Math.floor(i / 250)}.${(i % 250) + 1}`)
}
