// What one connection's mux holds for its peer and its owner, defined once.

export interface MuxLimits {
  /** Streams the peer may hold at once (opening, open or closing); an OPEN beyond is reset (OVERLOADED). */
  maxIncomingStreams: number
  /** Streams this side may hold at once; open() beyond throws. */
  maxOutgoingStreams: number
  /** send() returns false once a stream has this many bytes queued. */
  highWaterMark: number
  /** A producer that queues past this despite false loses its stream (reset, OVERLOADED). */
  maxQueuedBytes: number
  /** The largest receive window one stream may offer: what the owner may have to hold per stream. */
  maxWindow: number
  /**
   * Control frames waiting for the transport. A peer that makes us queue more (PINGs, OPENs to refuse)
   * while it does not read is closed (OVERLOADED): our own frames stay far below it.
   */
  maxControlQueueBytes: number
}

export const DEFAULT_MUX_LIMITS: MuxLimits = {
  maxIncomingStreams: 256,
  maxOutgoingStreams: 256,
  highWaterMark: 256 * 1024,
  maxQueuedBytes: 4 * 1024 * 1024,
  maxWindow: 16 * 1024 * 1024,
  maxControlQueueBytes: 256 * 1024
}

/** Enough for a chat stream's burst and several large sync messages in flight. */
export const DEFAULT_WINDOW = 256 * 1024
