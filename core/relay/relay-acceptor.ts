import type { Connection } from '../connection/connection.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { Priority, type Stream } from '../connection/mux-stream.ts'
import { TOPIC_BYTES } from '../connection/mux-messages.ts'
import { RelayedStream } from '../transport/relayed.ts'
import type { RawStream } from '../transport/raw-stream.ts'
import { toHex } from '../codec/hex.ts'
import type { Logger } from '../log.ts'
import { RELAYED_LIMITS, type RelayedLimits } from './relay-limits.ts'
import { RELAY_WINDOW } from './relay-protocol.ts'

export interface RelayAcceptorOptions {
  ownKeyHex: string
  isBlocked: (keyHex: string) => boolean
  /** A direct connection to this key is kept already: a relayed one would only lose to it. */
  connectedDirectly: (keyHex: string) => boolean
  /** Runs the responder's side of a handshake over the stream from `source` (the pool keeps the connection once it proves that key). */
  respond: (stream: RawStream, source: string) => Connection
  log: Logger
  limits?: RelayedLimits
}

/**
 * The side a relay reaches (PROTOCOL §3.7): a member we are connected to opens a stream naming who
 * asked for us. We take it as we take a TCP connection on our port: the handshake that follows
 * must prove the PSK of a channel we have joined (a stranger learns nothing, and costs a few hashes),
 * and how many such handshakes run at once is bounded per relay and in all. A blocked key is
 * refused without being told why; `respond` holds the handshake to the key the relay named.
 */
export class RelayAcceptor {
  readonly #opts: RelayAcceptorOptions
  readonly #limits: RelayedLimits
  /** Handshakes in progress, by the relay carrying them. */
  readonly #pending = new Map<string, number>()
  #pendingTotal = 0

  constructor (opts: RelayAcceptorOptions) {
    this.#opts = opts
    this.#limits = opts.limits ?? RELAYED_LIMITS
  }

  handle (via: Connection, stream: Stream): void {
    const relay = via.remoteKeyHex
    if (stream.topic.length !== TOPIC_BYTES) {
      via.reset(stream, CloseCode.PROTOCOL_ERROR, 'a relayed stream names who asked')
      return
    }
    const source = toHex(stream.topic)
    if (source === this.#opts.ownKeyHex || source === relay || this.#opts.isBlocked(source)) {
      via.reset(stream, CloseCode.NORMAL)
      return
    }
    if (this.#opts.connectedDirectly(source)) {
      via.reset(stream, CloseCode.DUPLICATE, 'connected directly already')
      return
    }
    const held = this.#pending.get(relay) ?? 0
    if (held >= this.#limits.pendingPerRelay || this.#pendingTotal >= this.#limits.pending) {
      via.reset(stream, CloseCode.OVERLOADED, 'too many relayed handshakes')
      return
    }
    via.accept(stream, { priority: Priority.SYNC, window: RELAY_WINDOW, manualCredit: true })
    this.#pending.set(relay, held + 1)
    this.#pendingTotal++
    const connection = this.#opts.respond(new RelayedStream(stream, { via: relay, remote: { host: via.remoteHost, port: via.remotePort } }), source)
    let done = false
    const settle = (): void => {
      if (done) return
      done = true
      this.#pendingTotal--
      const left = (this.#pending.get(relay) ?? 1) - 1
      if (left === 0) this.#pending.delete(relay)
      else this.#pending.set(relay, left)
    }
    connection.once('established', settle)
    connection.once('close', settle)
  }
}
