import net from 'node:net'
import { PeerSession, type SessionTimings } from './peer-session.ts'
import type { LocalIdentity } from '../session/secure-connection.ts'
import type { Logger } from '../log.ts'

/** A channel as the listener sees it: the PSK a dialler must prove, and where its sessions go. */
export interface ListeningChannel {
  psk: Uint8Array
  accept: (session: PeerSession) => void
}

const MAX_HANDSHAKING = 64

/**
 * One TCP port for every joined channel. Which channel a dialler means is learnt only from the
 * PSK that opens its third handshake message, so nothing on the wire names the channel.
 */
export class SessionListener {
  readonly #server: net.Server
  readonly #handshaking = new Set<PeerSession>()
  readonly #opts: { identity: LocalIdentity; channels: () => ListeningChannel[]; log: Logger; timings?: SessionTimings }

  constructor (opts: { identity: LocalIdentity; channels: () => ListeningChannel[]; log: Logger; timings?: SessionTimings }) {
    this.#opts = opts
    this.#server = net.createServer((socket) => { this.#onConnection(socket) })
    this.#server.on('error', (err) => { opts.log.error('listener error', { error: err.message }) })
  }

  get port (): number {
    const address = this.#server.address()
    return address !== null && typeof address === 'object' ? address.port : 0
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
    for (const session of this.#handshaking) session.close('shutting down')
    if (this.#server.listening) this.#server.close()
  }

  #onConnection (socket: net.Socket): void {
    const channels = this.#opts.channels()
    if (channels.length === 0 || this.#handshaking.size >= MAX_HANDSHAKING) {
      socket.destroy()
      return
    }
    const session = new PeerSession({
      socket,
      initiator: false,
      identity: this.#opts.identity,
      psks: channels.map(c => c.psk),
      log: this.#opts.log,
      timings: this.#opts.timings
    })
    this.#handshaking.add(session)
    session.once('close', (reason) => {
      this.#handshaking.delete(session)
      if (!session.established) this.#opts.log.debug('incoming handshake failed', { remote: session.address, reason })
    })
    session.once('established', (info) => {
      this.#handshaking.delete(session)
      const channel = channels[info.pskIndex]
      if (channel === undefined) session.close('no such channel')
      else channel.accept(session)
    })
  }
}
