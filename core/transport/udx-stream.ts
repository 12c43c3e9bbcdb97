// A UDX stream (reliable, ordered, congestion-controlled, over UDP) as a RawStream.
import { EventEmitter } from 'node:events'
import type { UdxStream } from 'udx-native'
import type { RawStream, RawStreamEvents } from './raw-stream.ts'

/** Silence after which a UDX stream sends a keepalive: NAT mappings of UDP expire within tens of seconds. */
const KEEPALIVE_MS = 5_000

export class UdxRawStream extends EventEmitter<RawStreamEvents> implements RawStream {
  readonly kind = 'udp' as const
  readonly remote: { host: string; port: number }
  readonly #stream: UdxStream

  constructor (stream: UdxStream) {
    super()
    this.#stream = stream
    this.remote = { host: stream.remoteHost ?? '', port: stream.remotePort }
    stream.setKeepalive(KEEPALIVE_MS)
    stream.on('data', (chunk: Buffer) => { this.emit('data', chunk) })
    stream.on('drain', () => { this.emit('drain') })
    // A stream whose peer ended its side has nothing more to give: end ours too, so it closes.
    stream.on('end', () => { stream.end() })
    let failure: Error | null = null
    stream.on('error', (err: Error) => { failure = err })
    stream.on('close', () => { this.emit('close', failure) })
  }

  get bufferedBytes (): number { return this.#stream._writableState.buffered }
  get destroyed (): boolean { return this.#stream.destroyed }

  write (chunks: readonly Uint8Array[]): boolean {
    if (this.#stream.destroyed) return false
    let room = true
    for (const chunk of chunks) room = this.#stream.write(chunk)
    return room
  }

  pause (): void { this.#stream.pause() }
  resume (): void { this.#stream.resume() }
  end (): void { this.#stream.end() }
  destroy (): void { this.#stream.destroy() }
}
