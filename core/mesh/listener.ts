import net from 'node:net'
import { PeerSession, type SessionTimings } from './peer-session.ts'
import { TcpStream } from '../transport/tcp.ts'
import { admitConnection, admitEstablished, type Admission, type InboundConnection, type InboundLimits } from './inbound-gate.ts'
import { connectionBudget } from './connection-budget.ts'
import { sourceOf } from '../limits/source.ts'
import type { LocalIdentity } from '../session/secure-connection.ts'
import type { Logger } from '../log.ts'

/** A channel as the listener sees it: the PSK a dialler must prove, and where its sessions go. */
export interface ListeningChannel {
  psk: Uint8Array
  accept: (session: PeerSession) => void
}

export interface ListenerOptions {
  identity: LocalIdentity
  channels: () => ListeningChannel[]
  log: Logger
  timings?: SessionTimings
  /** Defaults to the budget of a process allowed 1,024 open files. */
  limits?: InboundLimits
}

// Refusals come in floods: they are logged as a count this often, not one line each.
const REFUSAL_LOG_MS = 10_000

interface Inbound {
  readonly source: string
  readonly openedAt: number
}

/**
 * One TCP port for every joined channel. Which channel a dialler means is learnt only from the
 * PSK that opens its third handshake message, so nothing on the wire names the channel. Every
 * inbound connection is counted until it closes, and the inbound gate decides who may stay.
 */
export class SessionListener {
  readonly #server: net.Server
  readonly #inbound = new Map<PeerSession, Inbound>()
  readonly #opts: ListenerOptions
  readonly #limits: InboundLimits
  #refused = new Map<string, number>()
  #refusalTimer: NodeJS.Timeout | null = null

  constructor (opts: ListenerOptions) {
    this.#opts = opts
    this.#limits = opts.limits ?? connectionBudget(1024).inbound
    this.#server = net.createServer((socket) => { this.#onConnection(socket) })
    this.#server.on('error', (err) => { opts.log.error('listener error', { error: err.message }) })
  }

  get port (): number {
    const address = this.#server.address()
    return address !== null && typeof address === 'object' ? address.port : 0
  }

  /** Inbound connections held now: still handshaking, and established. */
  get counts (): { pending: number; established: number } {
    let established = 0
    for (const session of this.#inbound.keys()) if (session.established) established++
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

  /**
   * Stops accepting. Established sessions belong to their rooms and outlive the port (a new listen
   * port keeps them), so this does not wait for them as net.Server's close callback would.
   */
  async close (): Promise<void> {
    for (const session of [...this.#inbound.keys()]) if (!session.established) session.close('shutting down')
    if (this.#refusalTimer !== null) clearTimeout(this.#refusalTimer)
    this.#refusalTimer = null
    this.#logRefusals()
    if (this.#server.listening) this.#server.close()
  }

  #onConnection (socket: net.Socket): void {
    const channels = this.#opts.channels()
    if (channels.length === 0) {
      socket.destroy()
      return
    }
    const stream = new TcpStream(socket)
    const source = sourceOf(stream.remote.host)
    const admission = admitConnection(this.#snapshot(), source, this.#limits)
    if (!this.#apply(admission, 'another connection needed the room')) {
      stream.destroy()
      return
    }
    const session = new PeerSession({
      stream,
      initiator: false,
      identity: this.#opts.identity,
      psks: channels.map(c => c.psk),
      log: this.#opts.log,
      timings: this.#opts.timings
    })
    this.#inbound.set(session, { source, openedAt: Date.now() })
    // Counted until the socket is gone: a session closed with a word to the peer keeps its descriptor a moment longer.
    stream.once('close', () => { this.#inbound.delete(session) })
    session.once('close', (reason) => {
      if (!session.established) this.#opts.log.debug('incoming handshake failed', { remote: session.address, reason })
    })
    session.once('established', (info) => {
      if (!this.#apply(admitEstablished(this.#snapshot(), session, this.#limits), 'making room for a member from another address')) {
        session.close('too many members connected', true)
        return
      }
      const channel = channels[info.pskIndex]
      if (channel === undefined) session.close('no such channel')
      else channel.accept(session)
    })
  }

  /** Closes what the admission evicts; false when it refuses. */
  #apply (admission: Admission<PeerSession>, evictionReason: string): boolean {
    if (admission.kind === 'refuse') {
      this.#countRefusal(admission.reason)
      return false
    }
    // A half-open victim is destroyed at once: its descriptor is what the newcomer needs.
    for (const victim of admission.evict) victim.close(evictionReason, victim.established)
    return true
  }

  #snapshot (): InboundConnection<PeerSession>[] {
    return [...this.#inbound].map(([session, inbound]) => ({ id: session, source: inbound.source, openedAt: inbound.openedAt, established: session.established, spoke: session.heard }))
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
