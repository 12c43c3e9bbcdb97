// The streams of one connection, without I/O: decrypted DATA bodies go into receive(), bodies for the
// secure connection come out of `send`. Streams, credit and crossing OPENs here; what goes out when
// in mux-sender.ts; frame and body layouts in mux-messages.ts and mux-body.ts. Bounded everywhere.
import { EventEmitter } from 'node:events'
import { CloseCode, closeCodeFromWire } from './close-codes.ts'
import {
  ACCEPT, clipText, CLOSE, decodeMuxFrame, isProtocolName, MAX_MESSAGE_BYTES, MIN_WINDOW_BYTES,
  OBSERVED, OPEN, PING, PROFILE, RESET, TOPIC_BYTES, type ControlFrame, type MuxFrame
} from './mux-messages.ts'
import {
  createStream, creditThreshold, MuxError, Priority, streamKey, type CloseInfo, type Stream, type StreamDriver, type StreamOptions, type StreamPriority, type StreamState
} from './mux-stream.ts'
import { framesOf } from './mux-body.ts'
import { DEFAULT_MUX_LIMITS, DEFAULT_WINDOW, type MuxLimits } from './mux-limits.ts'
import { MuxSender } from './mux-sender.ts'
import { WireError } from '../wire/codec.ts'

export interface MuxOptions {
  /** This side dialled the connection: its streams get odd ids and win crossing OPENs. */
  initiator: boolean
  /**
   * One DATA body for the secure connection (one or more mux frames, see mux-body.ts), as
   * `bodyPrefix ‖ body ‖ bodyRoomAfter free bytes`, the body at most MAX_DATA_BODY_BYTES; called
   * synchronously, the buffer is the callee's.
   */
  send: (body: Uint8Array) => void
  /**
   * Bytes put in front of every body handed to `send`: room for the transport frame's header and its
   * DATA type byte, so that the frame is built in one piece instead of copied again below. Empty by default.
   */
  bodyPrefix?: Uint8Array
  /** Free bytes after every body handed to `send`: room for the tag it is sealed with. None by default. */
  bodyRoomAfter?: number
  /** Whether the transport below takes another frame now; when it says no, call drained() once it does. */
  writable: () => boolean
  limits?: Partial<MuxLimits>
  /** Milliseconds, for round-trip times. */
  now?: () => number
  /**
   * Runs a flush later, so that frames made in one go (a burst of send() calls, what one received
   * body sets off) share bodies: e.g. queueMicrotask. By default a flush runs at once.
   */
  defer?: (flush: () => void) => void
  /** Called for every frame received: one body may carry many, and what a peer may make us handle is counted by frame. */
  onFrame?: () => void
}

export interface MuxEvents {
  /** The peer opened a stream: answer with accept() or reset() (an unknown protocol is reset). */
  stream: [Stream]
  /** The connection is over (CLOSE sent or received, protocol error, or destroy()): close the transport. */
  close: [CloseInfo]
  /** Milliseconds from our PING to its PONG. */
  rtt: [number]
  /** The peer's signed profile record, unchecked. */
  profile: [Uint8Array]
  /** How the peer sees our address, unchecked. */
  observed: [string]
}

export class Mux extends EventEmitter<MuxEvents> {
  readonly initiator: boolean
  readonly #limits: MuxLimits
  readonly #now: () => number
  readonly #streams = new Map<number, StreamState>()
  /** Our streams waiting for ACCEPT, by protocol and topic: what a crossing OPEN is checked against. */
  readonly #opening = new Map<string, StreamState>()
  readonly #driver: StreamDriver
  readonly #sender: MuxSender
  readonly #onFrame: (() => void) | undefined
  #nextId: number
  /** Ids only rise, so "was it ever opened" needs no memory of closed streams. */
  #lastPeerId = 0
  #incoming = 0
  #outgoing = 0
  #pingNonce = 0
  #pingOutstanding: { nonce: number; sentAt: number } | null = null
  #closeInfo: CloseInfo | null = null

  constructor (opts: MuxOptions) {
    super()
    this.initiator = opts.initiator
    this.#limits = { ...DEFAULT_MUX_LIMITS, ...opts.limits }
    this.#now = opts.now ?? Date.now
    this.#nextId = opts.initiator ? 1 : 2
    this.#onFrame = opts.onFrame
    this.#sender = new MuxSender({
      send: opts.send,
      writable: opts.writable,
      bodyPrefix: opts.bodyPrefix ?? new Uint8Array(0),
      bodyRoomAfter: opts.bodyRoomAfter ?? 0,
      defer: opts.defer,
      maxControlBytes: this.#limits.maxControlQueueBytes,
      sent: (s) => { this.#sent(s) }
    })
    this.#driver = {
      send: (s, message) => this.#streamSend(s, message),
      close: (s, code, text) => { this.#streamClose(s, code, text) },
      reset: (s, code, text) => { this.#localReset(s, code, text) },
      consumed: (s, bytes) => { this.#streamConsumed(s, bytes) }
    }
  }

  get closed (): boolean { return this.#closeInfo !== null }
  get closeInfo (): CloseInfo | null { return this.#closeInfo }
  /** Streams not yet closed, both directions. */
  get streamCount (): number { return this.#streams.size }

  /** Opens a stream; messages may be queued at once and go out once the peer accepts. */
  open (protocol: string, topic: Uint8Array, opts: StreamOptions = {}): Stream {
    this.#checkOpen()
    if (!isProtocolName(protocol)) throw new RangeError(`a protocol name is 1..64 printable ASCII characters without spaces: ${JSON.stringify(protocol.slice(0, 80))}`)
    if (topic.length !== 0 && topic.length !== TOPIC_BYTES) throw new RangeError(`a topic is 0 or ${TOPIC_BYTES} bytes`)
    if (this.#outgoing >= this.#limits.maxOutgoingStreams) throw new MuxError('TOO_MANY_STREAMS', `${this.#outgoing} streams already open on this connection`)
    const { priority, window, manualCredit } = this.#streamOptions(opts)
    const id = this.#nextId
    this.#nextId += 2
    const s = this.#newStream(id, true, protocol, Uint8Array.from(topic), priority, window, manualCredit)
    s.granted = window
    this.#opening.set(s.key, s)
    this.#outgoing++
    this.#queueControl(OPEN.encode({ id, protocol, topic, credit: window }))
    this.#sender.requestFlush()
    return s.stream
  }

  /** Answers an incoming OPEN: the stream is open both ways. */
  accept (stream: Stream, opts: StreamOptions = {}): void {
    const s = this.#own(stream)
    if (s.outgoing || s.established || s.status !== 'opening') throw new MuxError('WRONG_STATE', `stream ${s.id} is not an incoming stream waiting for an answer`)
    const { priority, window, manualCredit } = this.#streamOptions(opts)
    s.priority = priority
    s.window = window
    s.manualCredit = manualCredit
    s.granted = window
    s.established = true
    s.status = 'open'
    this.#queueControl(ACCEPT.encode({ id: s.id, credit: window }))
    this.#sender.markReady(s)
    s.stream.emit('open')
    this.#sender.requestFlush()
  }

  /** Refuses an incoming OPEN, or ends any stream at once (nothing if it already ended). */
  reset (stream: Stream, code: CloseCode, text = ''): void {
    if (stream.status !== 'closed') this.#localReset(this.#own(stream), code, text)
  }

  /** Sends a PING; its PONG raises 'rtt'. A PING still unanswered is forgotten. Nothing once closed, as for the two below. */
  ping (): void {
    if (this.closed) return
    const nonce = ++this.#pingNonce
    this.#pingOutstanding = { nonce, sentAt: this.#now() }
    this.#queueControl(PING.encode({ nonce }))
    this.#sender.requestFlush()
  }

  sendProfile (record: Uint8Array): void {
    if (this.closed) return
    this.#queueControl(PROFILE.encode({ record }))
    this.#sender.requestFlush()
  }

  sendObserved (address: string): void {
    if (this.closed) return
    this.#queueControl(OBSERVED.encode({ address }))
    this.#sender.requestFlush()
  }

  /** Tells the peer why and ends every stream; the CLOSE frame is handed on at once, ahead of anything queued. */
  close (code: CloseCode, text = ''): void {
    if (this.closed) return
    const clipped = clipText(text)
    this.#sender.stop(CLOSE.encode({ code, text: clipped }))
    this.#terminate({ code, wireCode: code, text: clipped, remote: false })
  }

  /** The transport is gone: ends every stream without sending anything. */
  destroy (code: CloseCode, text = ''): void {
    if (!this.closed) this.#terminate({ code, wireCode: code, text, remote: false })
  }

  /** The transport below took its backlog: write more. */
  drained (): void {
    this.#sender.flush()
  }

  /**
   * One decrypted DATA body (messages handed on are views of it). Anything the peer gets wrong ends
   * the connection (PROTOCOL_ERROR) and never throws; what the owner's listeners throw goes to the caller.
   */
  receive (body: Uint8Array): void {
    if (this.closed) return
    const frames = framesOf(body)
    for (;;) {
      let decoded: MuxFrame
      try {
        const next = frames.next()
        if (next.done === true) break
        decoded = decodeMuxFrame(next.value)
      } catch (err) {
        if (!(err instanceof WireError)) throw err
        this.#protocolError(`malformed frame: ${err.message}`)
        return
      }
      this.#onFrame?.()
      if (decoded.kind === 'data') this.#onData(decoded.stream, decoded.message)
      else this.#onControl(decoded.frame)
      if (this.closed) return
    }
    this.#sender.requestFlush()
  }

  #onControl (frame: ControlFrame): void {
    switch (frame.type) {
      case 'ping':
        this.#sender.answerPing(frame.nonce)
        return
      case 'pong':
        if (this.#pingOutstanding?.nonce === frame.nonce) {
          const rtt = this.#now() - this.#pingOutstanding.sentAt
          this.#pingOutstanding = null
          this.emit('rtt', rtt)
        }
        return
      case 'close':
        this.#terminate({ code: closeCodeFromWire(frame.code), wireCode: frame.code, text: frame.text, remote: true })
        return
      case 'open':
        this.#onOpen(frame.id, frame.protocol, frame.topic, frame.credit)
        return
      case 'accept':
        this.#onAccept(frame.id, frame.credit)
        return
      case 'reset': {
        const s = this.#streamFor(frame.id, 'RESET')
        if (s !== undefined) this.#closeStream(s, { code: closeCodeFromWire(frame.code), wireCode: frame.code, text: frame.text, remote: true }, false)
        return
      }
      case 'credit': {
        const s = this.#streamFor(frame.id, 'CREDIT')
        if (s === undefined) return
        if (s.sendCredit + frame.bytes > Number.MAX_SAFE_INTEGER) {
          this.#protocolError(`stream ${s.id}: credit beyond 2^53`)
          return
        }
        s.sendCredit += frame.bytes
        this.#sender.markReady(s)
        return
      }
      case 'profile':
        this.emit('profile', frame.record)
        return
      case 'observed':
        this.emit('observed', frame.address)
    }
  }

  #onOpen (id: number, protocol: string, topic: Uint8Array, credit: number): void {
    if (this.#isOurs(id)) {
      this.#protocolError(`OPEN of stream ${id}, an id of this side's`)
      return
    }
    if (id <= this.#lastPeerId) {
      this.#protocolError(`OPEN of stream ${id}, not above the last one (${this.#lastPeerId})`)
      return
    }
    this.#lastPeerId = id
    const key = streamKey(protocol, topic)
    const mine = this.#opening.get(key)
    // Both ends apply the same rule, so both keep the initiator's stream without another round trip.
    if (mine !== undefined) {
      const text = 'crossing OPENs: the initiator\'s stream stays'
      if (this.initiator) {
        this.#queueControl(RESET.encode({ id, code: CloseCode.DUPLICATE, text }))
        return
      }
      this.#closeStream(mine, { code: CloseCode.DUPLICATE, wireCode: CloseCode.DUPLICATE, text, remote: false }, true)
    }
    if (this.#incoming >= this.#limits.maxIncomingStreams) {
      this.#queueControl(RESET.encode({ id, code: CloseCode.OVERLOADED, text: `at most ${this.#limits.maxIncomingStreams} streams` }))
      return
    }
    const s = this.#newStream(id, false, protocol, topic, Priority.SYNC, DEFAULT_WINDOW, false)
    s.sendCredit = credit
    this.#incoming++
    this.emit('stream', s.stream)
  }

  #onAccept (id: number, credit: number): void {
    const s = this.#streamFor(id, 'ACCEPT')
    if (s === undefined) return
    if (!s.outgoing || s.established) {
      this.#protocolError(`ACCEPT of stream ${id}, which is not waiting for one`)
      return
    }
    s.established = true
    s.sendCredit += credit
    if (this.#opening.get(s.key) === s) this.#opening.delete(s.key)
    // A stream closed before the peer accepted it is still 'closing': its queued messages go out first.
    if (s.status === 'opening') {
      s.status = 'open'
      s.stream.emit('open')
    }
    this.#sender.markReady(s)
  }

  #onData (id: number, message: Uint8Array): void {
    const s = this.#streamFor(id, 'data frame')
    if (s === undefined) return
    if (!s.established) {
      this.#protocolError(`data on stream ${id} before it was accepted`)
      return
    }
    const credit = s.granted - s.received
    if (message.length > credit) {
      this.#protocolError(`stream ${id}: a message of ${message.length} bytes with ${credit} bytes of credit`)
      return
    }
    s.received += message.length
    if (s.manualCredit) {
      s.stream.emit('message', message)
      return
    }
    try {
      s.stream.emit('message', message)
    } finally {
      this.#consume(s, message.length)
    }
  }

  /** The open stream `id`; undefined for one that existed and closed (frames in flight); a protocol error for an id never opened. */
  #streamFor (id: number, what: string): StreamState | undefined {
    const s = this.#streams.get(id)
    if (s !== undefined) return s
    const existed = this.#isOurs(id) ? id < this.#nextId : id <= this.#lastPeerId
    if (!existed) this.#protocolError(`${what} for stream ${id}, which was never opened`)
    return undefined
  }

  #isOurs (id: number): boolean {
    return id % 2 === (this.initiator ? 1 : 0)
  }

  #streamSend (s: StreamState, message: Uint8Array): boolean {
    if (s.status === 'closing' || s.status === 'closed') throw new MuxError('STREAM_CLOSED', `stream ${s.id} is ${s.status}`)
    if (message.length < 1 || message.length > MAX_MESSAGE_BYTES) throw new MuxError('MESSAGE_TOO_LARGE', `a message is 1..${MAX_MESSAGE_BYTES} bytes, not ${message.length}: split it`)
    if (s.queuedBytes + message.length > this.#limits.maxQueuedBytes) {
      this.#localReset(s, CloseCode.OVERLOADED, `more than ${this.#limits.maxQueuedBytes} bytes queued`)
      return false
    }
    s.queue.push(message)
    s.queuedBytes += message.length
    this.#sender.markReady(s)
    this.#sender.requestFlush()
    if (s.queuedBytes < this.#limits.highWaterMark) return true
    s.wantsDrain = true
    return false
  }

  #streamClose (s: StreamState, code: CloseCode, text: string): void {
    if (s.status === 'closing' || s.status === 'closed') return
    // Nothing left to send, or a peer's OPEN never answered: there is nothing to wait for.
    if (s.head === s.queue.length || (!s.outgoing && !s.established)) {
      this.#localReset(s, code, text)
      return
    }
    s.status = 'closing'
    s.closeWhenSent = { code, text: clipText(text) }
  }

  #localReset (s: StreamState, code: CloseCode, text: string): void {
    this.#closeStream(s, closedLocally(code, text), true)
    this.#sender.requestFlush()
  }

  #streamConsumed (s: StreamState, bytes: number): void {
    if (!s.manualCredit) throw new MuxError('WRONG_STATE', `stream ${s.id} returns credit by itself (manualCredit is off)`)
    if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > s.received - s.consumed) throw new RangeError(`${bytes} bytes consumed, but ${s.received - s.consumed} are unconsumed`)
    this.#consume(s, bytes)
    this.#sender.requestFlush()
  }

  #consume (s: StreamState, bytes: number): void {
    s.consumed += bytes
    if (s.status === 'closed') return
    if (s.consumed + s.window - s.granted >= creditThreshold(s.window)) this.#sender.creditDue(s)
  }

  #closeStream (s: StreamState, info: CloseInfo, sendReset: boolean): void {
    if (s.status === 'closed') return
    s.status = 'closed'
    s.closeInfo = info
    s.queue = []
    s.head = 0
    s.queuedBytes = 0
    this.#streams.delete(s.id)
    if (this.#opening.get(s.key) === s) this.#opening.delete(s.key)
    if (s.outgoing) this.#outgoing--
    else this.#incoming--
    if (sendReset && !this.closed) this.#queueControl(RESET.encode({ id: s.id, code: info.wireCode, text: info.text }))
    s.stream.emit('close', info)
  }

  #terminate (info: CloseInfo): void {
    this.#closeInfo = info
    this.#sender.stop()
    for (const s of [...this.#streams.values()]) this.#closeStream(s, info, false)
    this.emit('close', info)
  }

  #protocolError (text: string): void {
    this.close(CloseCode.PROTOCOL_ERROR, text)
  }

  #queueControl (frame: Uint8Array): void {
    if (this.closed || this.#sender.queueControl(frame)) return
    this.close(CloseCode.OVERLOADED, `more than ${this.#limits.maxControlQueueBytes} bytes of control frames waiting: the peer does not read`)
  }

  /** A message of `s` was handed on. */
  #sent (s: StreamState): void {
    if (s.status === 'closing' && s.head === s.queue.length) {
      this.#closeStream(s, closedLocally(s.closeWhenSent!.code, s.closeWhenSent!.text), true)
      return
    }
    if (s.wantsDrain && s.queuedBytes <= this.#limits.highWaterMark / 2 && s.status !== 'closed') {
      s.wantsDrain = false
      s.stream.emit('drain')
    }
  }

  #streamOptions (opts: StreamOptions): { priority: StreamPriority; window: number; manualCredit: boolean } {
    const priority = opts.priority ?? Priority.SYNC
    const window = opts.window ?? DEFAULT_WINDOW
    if (priority !== Priority.BULK && priority !== Priority.SYNC && priority !== Priority.CHAT) throw new RangeError(`a stream's priority is BULK, SYNC or CHAT, not ${String(priority)}`)
    if (!Number.isSafeInteger(window) || window < MIN_WINDOW_BYTES || window > this.#limits.maxWindow) throw new RangeError(`a window is ${MIN_WINDOW_BYTES}..${this.#limits.maxWindow} bytes, not ${window}`)
    return { priority, window, manualCredit: opts.manualCredit ?? false }
  }

  #newStream (id: number, outgoing: boolean, protocol: string, topic: Uint8Array, priority: StreamPriority, window: number, manualCredit: boolean): StreamState {
    const s = createStream({ id, outgoing, protocol, topic, priority, window, manualCredit }, this.#driver)
    this.#streams.set(id, s)
    return s
  }

  #own (stream: Stream): StreamState {
    const s = this.#streams.get(stream.id)
    if (s?.stream === stream) return s
    if (stream.status === 'closed') throw new MuxError('STREAM_CLOSED', `stream ${stream.id} is closed`)
    throw new MuxError('WRONG_STATE', 'not a stream of this connection')
  }

  #checkOpen (): void {
    if (this.closed) throw new MuxError('MUX_CLOSED', 'the connection is closed')
  }
}

function closedLocally (code: CloseCode, text: string): CloseInfo {
  return { code, wireCode: code, text: clipText(text), remote: false }
}
