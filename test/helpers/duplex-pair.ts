// Two in-memory RawStreams joined back to back, so sessions and everything above them can be tested
// without sockets. Writes arrive asynchronously (as over a real transport), reading can be paused,
// and a stream reports its unsent bytes, going over its mark like a socket buffer would.
import { EventEmitter } from 'node:events'
import type { RawStream, RawStreamEvents, TransportKind } from '../../core/transport/raw-stream.ts'

class MemoryStream extends EventEmitter<RawStreamEvents> implements RawStream {
  readonly kind: TransportKind = 'tcp'
  readonly remote: { host: string; port: number }
  peer: MemoryStream | null = null
  destroyed = false
  #paused = false
  #inbox: Uint8Array[] = []
  #unsent = 0
  readonly #highWater: number

  constructor (remote: { host: string; port: number }, highWater: number) {
    super()
    this.remote = remote
    this.#highWater = highWater
  }

  get bufferedBytes (): number { return this.#unsent }

  write (chunks: readonly Uint8Array[]): boolean {
    if (this.destroyed) return false
    const bytes = Buffer.concat(chunks.map(c => Buffer.from(c.buffer, c.byteOffset, c.byteLength)))
    this.#unsent += bytes.length
    setImmediate(() => {
      this.#unsent -= bytes.length
      this.peer?.deliver(bytes)
      if (this.#unsent === 0) this.emit('drain')
    })
    return this.#unsent < this.#highWater
  }

  deliver (bytes: Uint8Array): void {
    if (this.destroyed) return
    if (this.#paused) this.#inbox.push(bytes)
    else this.emit('data', bytes)
  }

  pause (): void { this.#paused = true }

  resume (): void {
    this.#paused = false
    const waiting = this.#inbox
    this.#inbox = []
    for (const bytes of waiting) this.emit('data', bytes)
  }

  end (): void { setImmediate(() => { this.destroy() }) }

  destroy (): void {
    if (this.destroyed) return
    this.destroyed = true
    this.emit('close', null)
    this.peer?.destroy()
  }
}

/** Two connected streams: what one writes the other reads. */
export function duplexPair (opts: { highWater?: number } = {}): [RawStream, RawStream] {
  const a = new MemoryStream({ host: '10.0.0.2', port: 2000 }, opts.highWater ?? 64 * 1024)
  const b = new MemoryStream({ host: '10.0.0.1', port: 1000 }, opts.highWater ?? 64 * 1024)
  a.peer = b
  b.peer = a
  return [a, b]
}
