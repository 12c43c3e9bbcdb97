import net from 'node:net'
import { Connection, type ConnectionTimings } from '../connection/connection.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { TcpStream } from '../transport/tcp.ts'
import type { RawStream } from '../transport/raw-stream.ts'
import { admitConnection, admitEstablished, type Admission, type InboundConnection, type InboundLimits } from '../mesh/inbound-gate.ts'
import { connectionBudget } from '../mesh/connection-budget.ts'
import { sourceOf } from '../limits/source.ts'
import type { LocalIdentity } from '../session/secure-connection.ts'
import type { Logger } from '../log.ts'

export interface ListenerOptions {
  identity: LocalIdentity
  /** The PSK of every joined channel: a dialler must prove one of them in its first message. */
  psks: () => Uint8Array[]
  /** An inbound connection finished its handshake and may stay; `pskIndex` is into the list psks() gave. */
  onEstablished: (connection: Connection, psks: Uint8Array[]) => void
  log: Logger
  timings?: ConnectionTimings
  /** Defaults to the budget of a process allowed 1,024 open files. */
  limits?: InboundLimits
  /** False: every connection is closed as it arrives (the node takes none, as if its port were unreachable). */
  accepting?: () => boolean
}

// Refusals come in floods: they are logged as a count this often, not one line each.
const REFUSAL_LOG_MS = 10_000

interface Inbound {
  readonly source: string
  readonly openedAt: number
}

/**
 * One TCP port for every joined channel. Which channel a dialler means is learnt from the PSK that
 * its first handshake message proves, so nothing on the wire names the channel. Every inbound
 * connection is counted until its stream is gone, and the inbound gate decides who may stay.
 */
export class ConnectionListener {
  readonly #server: net.Server
  readonly #inbound = new Map<Connection, Inbound>()
  readonly #opts: ListenerOptions
  readonly #limits: InboundLimits
  #refused = new Map<string, number>()
  #refusalTimer: NodeJS.Timeout | null = null

  constructor (opts: ListenerOptions) {
    this.#opts = opts
    this.#limits = opts.limits ?? connectionBudget(1024).inbound
    this.#server = net.createServer((socket) => { this.accept(new TcpStream(socket)) })
    this.#server.on('error', (err) => { opts.log.error('listener error', { error: err.message }) })
  }

  get port (): number {
    const address = this.#server.address()
    return address !== null && typeof address === 'object' ? address.port : 0
  }

  /** Inbound connections held now: still handshaking, and established. */
  get counts (): { pending: number; established: number } {
    let established = 0
    for (const connection of this.#inbound.keys()) if (connection.established) established++
    return { pending: this.#inbound.size - established, established }
  }

  async listen (port: number, host?: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => { reject(err) }
      this.#server.once('error', onError)
      this.#server.listen({ port, host }, () => {
        this.#server.off('error', onError)
        resolve()
      })
    })
    return this.port
  }

  /** Stops accepting. Established connections belong to the pool and outlive the port (a new listen port keeps them). */
  async close (): Promise<void> {
    for (const connection of [...this.#inbound.keys()]) if (!connection.established) connection.close(CloseCode.SHUTTING_DOWN)
    if (this.#refusalTimer !== null) clearTimeout(this.#refusalTimer)
    this.#refusalTimer = null
    this.#logRefusals()
    if (this.#server.listening) this.#server.close()
  }

  /**
   * A stream someone opened to us (a TCP connection, a UDP stream): handshaken, admitted, handed on.
   * `arranged`: we agreed to it beforehand (a hole punch), so it is taken even when we take no others.
   */
  accept (stream: RawStream, arranged = false): void {
    const psks = this.#opts.psks()
    if (psks.length === 0 || (!arranged && this.#opts.accepting?.() === false)) {
      stream.destroy()
      return
    }
    const source = sourceOf(stream.remote.host)
    if (!this.#apply(admitConnection(this.#snapshot(), source, this.#limits), 'another connection needed the room')) {
      stream.destroy()
      return
    }
    const connection = new Connection({ stream, initiator: false, identity: this.#opts.identity, psks, log: this.#opts.log, timings: this.#opts.timings })
    this.#inbound.set(connection, { source, openedAt: Date.now() })
    // Counted until the stream is gone: a connection closed with a word to the peer keeps its descriptor a moment longer.
    stream.once('close', () => { this.#inbound.delete(connection) })
    connection.once('close', (info) => {
      if (!connection.established) this.#opts.log.debug('incoming handshake failed', { remote: connection.address, code: info.code, text: info.text })
    })
    connection.once('established', () => {
      if (!this.#apply(admitEstablished(this.#snapshot(), connection, this.#limits), 'making room for a member from another address')) {
        connection.close(CloseCode.TOO_MANY_CONNECTIONS, 'too many members connected')
        return
      }
      this.#opts.onEstablished(connection, psks)
    })
  }

  /** Closes what the admission evicts; false when it refuses. */
  #apply (admission: Admission<Connection>, evictionReason: string): boolean {
    if (admission.kind === 'refuse') {
      this.#countRefusal(admission.reason)
      return false
    }
    for (const victim of admission.evict) victim.close(CloseCode.TOO_MANY_CONNECTIONS, evictionReason)
    return true
  }

  #snapshot (): InboundConnection<Connection>[] {
    return [...this.#inbound].map(([connection, inbound]) => ({ id: connection, source: inbound.source, openedAt: inbound.openedAt, established: connection.established, spoke: connection.heard }))
  }

  #countRefusal (reason: string): void {
    this.#refused.set(reason, (this.#refused.get(reason) ?? 0) + 1)
    if (this.#refusalTimer !== null) return
    this.#refusalTimer = setTimeout(() => {
      this.#refusalTimer = null
      this.#logRefusals()
    }, REFUSAL_LOG_MS)
    this.#refusalTimer.unref()
  }

  #logRefusals (): void {
    if (this.#refused.size === 0) return
    this.#opts.log.info('refused incoming connections', Object.fromEntries(this.#refused))
    this.#refused = new Map()
  }
}
