// One protocol stream inside a connection, as its owner sees it. The Mux holds the state and does the
// work; a Stream is the handle the owner sends, closes and listens on.
import { EventEmitter } from 'node:events'
import { CloseCode } from './close-codes.ts'
import { MAX_MESSAGE_BYTES } from './mux-messages.ts'

/**
 * Local scheduling only (not on the wire): with several streams ready, the transport's next frame
 * goes to the highest number; control frames (stream 0) go before every stream.
 */
export const Priority = { BULK: 0, SYNC: 1, CHAT: 2, CONTROL: 3 } as const
export type Priority = typeof Priority[keyof typeof Priority]
/** What a stream may be given: CONTROL is the connection's own stream 0. */
export type StreamPriority = Exclude<Priority, typeof Priority.CONTROL>

/**
 * `opening`: sent or received OPEN, no ACCEPT yet. `open`: both directions flow. `closing`: close()
 * was called and queued messages are still going out; the stream ends (RESET with the code) after
 * the last one. `closed`: for good.
 */
export type StreamStatus = 'opening' | 'open' | 'closing' | 'closed'

export interface CloseInfo {
  code: CloseCode
  /** The number as sent: differs from `code` only for a code this version does not know. */
  wireCode: number
  text: string
  /** The peer ended it (CLOSE or RESET received), rather than this side or its owner. */
  remote: boolean
}

export interface StreamOptions {
  priority?: StreamPriority
  /** Bytes of messages the peer may send before we have consumed any (our receive window): MIN_WINDOW_BYTES or more. */
  window?: number
  /**
   * Off (the default): a message counts as consumed once its 'message' listeners return, which suits
   * handlers that finish their work synchronously. On: the owner calls consumed(bytes) when it is
   * done with data (e.g. after an asynchronous store), and a slow consumer slows the peer down.
   */
  manualCredit?: boolean
}

export type MuxErrorCode = 'MUX_CLOSED' | 'STREAM_CLOSED' | 'MESSAGE_TOO_LARGE' | 'TOO_MANY_STREAMS' | 'WRONG_STATE'

/** A local misuse of the mux (its owner's mistake); whatever the peer does is reported as a CLOSE code instead. */
export class MuxError extends Error {
  readonly code: MuxErrorCode

  constructor (code: MuxErrorCode, message: string) {
    super(message)
    this.name = 'MuxError'
    this.code = code
  }
}

export interface StreamEvents {
  /** Established: the peer accepted our OPEN, or we accepted theirs. */
  open: []
  /** `u8 type ‖ body`, a view of the body given to Mux.receive (no copy): copy what is kept past the event. */
  message: [Uint8Array]
  /** The send queue is down to half its high-water mark after send() returned false. */
  drain: []
  close: [CloseInfo]
}

/** The stream's state, shared between its handle and the mux that drives it. */
export interface StreamState {
  readonly id: number
  readonly outgoing: boolean
  readonly protocol: string
  readonly topic: Uint8Array
  /** `protocol ‖ topic`: what crossing OPENs are matched on. */
  readonly key: string
  /** The owner's handle, made with the state. */
  stream: Stream
  status: StreamStatus
  /** Both sides have sent what establishes it (OPEN and ACCEPT). */
  established: boolean
  priority: StreamPriority
  manualCredit: boolean
  closeInfo: CloseInfo | null
  // Sending.
  queue: Array<Uint8Array | undefined>
  head: number
  queuedBytes: number
  /** Bytes the peer still lets us send. */
  sendCredit: number
  inRing: boolean
  wantsDrain: boolean
  closeWhenSent: { code: CloseCode; text: string } | null
  // Receiving.
  window: number
  received: number
  consumed: number
  /** All credit granted so far (OPEN/ACCEPT, then CREDIT); the peer may send up to it. */
  granted: number
  creditDue: boolean
}

/** What a Stream asks of the mux that owns it. */
export interface StreamDriver {
  send (s: StreamState, message: Uint8Array): boolean
  close (s: StreamState, code: CloseCode, text: string): void
  reset (s: StreamState, code: CloseCode, text: string): void
  consumed (s: StreamState, bytes: number): void
}

export class Stream extends EventEmitter<StreamEvents> {
  readonly #state: StreamState
  readonly #driver: StreamDriver

  constructor (state: StreamState, driver: StreamDriver) {
    super()
    this.#state = state
    this.#driver = driver
  }

  /** Odd when the connection's initiator opened it, even for the responder; never reused on a connection. */
  get id (): number { return this.#state.id }
  get protocol (): string { return this.#state.protocol }
  get topic (): Uint8Array { return this.#state.topic }
  /** This side opened it. */
  get outgoing (): boolean { return this.#state.outgoing }
  get status (): StreamStatus { return this.#state.status }
  get priority (): StreamPriority { return this.#state.priority }
  /** Why it closed, once it has. */
  get closeInfo (): CloseInfo | null { return this.#state.closeInfo }
  /** Bytes queued and not yet handed to the transport. */
  get queuedBytes (): number { return this.#state.queuedBytes }
  /** Bytes the peer lets us send right now. */
  get sendCredit (): number { return this.#state.sendCredit }
  /** Bytes received and not yet consumed. */
  get unconsumedBytes (): number { return this.#state.received - this.#state.consumed }

  /**
   * Queues one message (`u8 type ‖ body`, 1..MAX_MESSAGE_BYTES; kept by reference until sent, so do
   * not reuse the buffer). False when the queue is over its high-water mark: wait for 'drain'. A
   * larger message could never fit a frame nor the peer's window (never below one largest message),
   * so it throws: the protocol must split it.
   */
  send (message: Uint8Array): boolean {
    return this.#driver.send(this.#state, message)
  }

  /** Ends the stream once every queued message is sent (RESET with `code` after the last). */
  close (code: CloseCode = CloseCode.NORMAL, text = ''): void {
    this.#driver.close(this.#state, code, text)
  }

  /** Ends the stream now: queued messages are dropped. */
  reset (code: CloseCode, text = ''): void {
    this.#driver.reset(this.#state, code, text)
  }

  /** With manualCredit: the owner is done with `bytes` of received messages, so the peer may send more. */
  consumed (bytes: number): void {
    this.#driver.consumed(this.#state, bytes)
  }
}

/**
 * How much consumed-but-not-yet-granted credit is worth a CREDIT frame (`window` ≥ MAX_MESSAGE_BYTES).
 * Half the window keeps frames few, but never so much that what is left to the sender could be smaller
 * than one largest message: a sender waiting for room for its next message would then wait for ever
 * once everything was read.
 */
export function creditThreshold (window: number): number {
  return Math.min(Math.ceil(window / 2), window - MAX_MESSAGE_BYTES + 1)
}

export interface StreamInit {
  id: number
  outgoing: boolean
  protocol: string
  topic: Uint8Array
  priority: StreamPriority
  window: number
  manualCredit: boolean
}

/** A new stream's state, `opening`, with its handle. */
export function createStream (init: StreamInit, driver: StreamDriver): StreamState {
  const s: StreamState = {
    ...init,
    key: streamKey(init.protocol, init.topic),
    stream: undefined as unknown as Stream,
    status: 'opening',
    established: false,
    closeInfo: null,
    queue: [],
    head: 0,
    queuedBytes: 0,
    sendCredit: 0,
    inRing: false,
    wantsDrain: false,
    closeWhenSent: null,
    received: 0,
    consumed: 0,
    granted: 0,
    creditDue: false
  }
  s.stream = new Stream(s, driver)
  return s
}

export function streamKey (protocol: string, topic: Uint8Array): string {
  return `${protocol} ${Buffer.from(topic.buffer, topic.byteOffset, topic.length).toString('hex')}`
}
