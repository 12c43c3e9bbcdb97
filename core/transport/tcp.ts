import { EventEmitter } from 'node:events'
import net from 'node:net'
import type { RawStream, RawStreamEvents, Route, Transport } from './raw-stream.ts'

/** A TCP socket as a RawStream: straight to the peer, or a tunnel through a proxy (`kind` 'proxy'). */
export class TcpStream extends EventEmitter<RawStreamEvents> implements RawStream {
  readonly kind: 'tcp' | 'proxy'
  readonly remote: { host: string; port: number }
  readonly #socket: net.Socket
  #corked = false

  constructor (socket: net.Socket, remote?: { host: string; port: number }, kind: 'tcp' | 'proxy' = 'tcp') {
    super()
    this.kind = kind
    this.#socket = socket
    this.remote = remote ?? { host: normalizeHost(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 }
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => { this.emit('data', chunk) })
    socket.on('drain', () => { this.emit('drain') })
    let failure: Error | null = null
    socket.on('error', (err) => { failure = err })
    socket.on('close', () => { this.emit('close', failure) })
  }

  get bufferedBytes (): number { return this.#socket.writableLength }
  get destroyed (): boolean { return this.#socket.destroyed }

  write (chunks: readonly Uint8Array[]): boolean {
    if (this.#socket.destroyed) return false
    // Everything written in one run of JavaScript (an I/O callback and the microtasks it queued) leaves
    // in one writev: a system call per frame cost small frames more than their encryption. Not later
    // (setImmediate, after the loop's other reads): a CREDIT held back that long starves the sender.
    if (!this.#corked) {
      this.#corked = true
      this.#socket.cork()
      process.nextTick(this.#uncork)
    }
    let room = true
    for (const chunk of chunks) room = this.#socket.write(chunk)
    return room
  }

  readonly #uncork = (): void => {
    if (!this.#corked) return
    this.#corked = false
    this.#socket.uncork()
  }

  pause (): void { this.#socket.pause() }
  resume (): void { this.#socket.resume() }
  end (): void { this.#socket.end() }

  /** What was written just before still goes first, as it did when every frame left at once. */
  destroy (): void {
    this.#uncork()
    this.#socket.destroy()
  }
}

/** Dials TCP routes; a connect that takes longer than its timeout fails (a silent tarpit holds no slot). */
export const tcpTransport: Transport = {
  kind: 'tcp',
  async dial (route: Route, { timeoutMs }): Promise<RawStream> {
    return await new Promise((resolve, reject) => {
      const socket = net.connect({ host: route.host, port: route.port })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(Object.assign(new Error(`connect timeout after ${timeoutMs} ms`), { code: 'ETIMEDOUT' }))
      }, timeoutMs)
      timer.unref()
      socket.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        resolve(new TcpStream(socket, { host: route.host, port: route.port }))
      })
    })
  }
}

/** Node reports IPv4 peers on dual-stack sockets as '::ffff:1.2.3.4'; we want the plain form. */
export function normalizeHost (host: string): string {
  return host.startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host
}
