import type { EventEmitter } from 'node:events'

/** How bytes get to a peer. Only TCP today; UDP streams, proxied TCP and relayed tunnels are next. */
export type TransportKind = 'tcp' | 'udp' | 'proxy' | 'relay'

/**
 * How much a path is preferred, higher first: a relay through another member last. Through a proxy
 * ranks as TCP, because the side that accepted it sees TCP: both ends of the duplicate rule must
 * rank a connection alike.
 */
export const TRANSPORT_PREFERENCE: Record<TransportKind, number> = { tcp: 2, udp: 2, proxy: 2, relay: 0 }

/** A host and port: where something was seen, or may be reached. */
export interface Endpoint { host: string; port: number }

/** Where a peer can be reached, and over what. */
export interface Route {
  kind: TransportKind
  host: string
  port: number
}

export interface RawStreamEvents {
  data: [Uint8Array]
  /** Everything written so far has been handed on: a paced writer may write more. */
  drain: []
  /** The stream is gone; `error` says why when it did not end cleanly. */
  close: [Error | null]
}

/**
 * A connected, reliable, ordered byte stream to one peer: what every transport gives the secure
 * session above it. It is connected before anyone gets it, so a handshake never starts early.
 */
export interface RawStream extends EventEmitter<RawStreamEvents> {
  readonly kind: TransportKind
  /** The peer's address as this end sees it (IPv4 in its plain form). */
  readonly remote: { host: string; port: number }
  /** For a relayed stream, the key of the member relaying it. */
  readonly via?: string
  /** Bytes written and not yet handed on. */
  readonly bufferedBytes: number
  readonly destroyed: boolean
  /**
   * Queues the pieces of one frame, in order after everything written before; what is written in one
   * run of JavaScript may leave together. False when the stream is over its buffer mark (wait for `drain`).
   */
  write (chunks: readonly Uint8Array[]): boolean
  /** Stops delivering `data` (the transport then slows the sender) until `resume`. */
  pause (): void
  resume (): void
  /** Ends after what is written has gone. */
  end (): void
  destroy (): void
}

/** Dials one kind of route. The promise settles only once the stream is connected, or with why not. */
export interface Transport {
  readonly kind: TransportKind
  /** `signal`: the dial is no longer wanted (another way got there first); a transport that can stop early does. */
  dial (route: Route, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<RawStream>
}
