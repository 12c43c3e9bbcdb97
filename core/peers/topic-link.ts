import { EventEmitter } from 'node:events'
import type { Connection } from '../connection/connection.ts'
import type { CloseInfo, Stream } from '../connection/mux-stream.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { decodeFrame, MessageType, type WireMessage } from '../wire/messages.ts'
import { WireError } from '../wire/codec.ts'
import type { Logger } from '../log.ts'

/** The protocols a channel runs on a connection, one stream each (PROTOCOL §3.5). */
export const CHANNEL_PROTOCOLS = {
  messages: 'bitchat/messages/1',
  pex: 'bitchat/pex/1',
  sync: 'bitchat/sync/1'
} as const
export type ChannelProtocol = keyof typeof CHANNEL_PROTOCOLS

/** Which stream a message goes on, by its type; anything else has no place on a channel's streams. */
/** The stream each channel message type travels on (PROTOCOL §3.5). */
export const STREAM_OF_TYPE: ReadonlyMap<number, ChannelProtocol> = new Map([
  [MessageType.MESSAGE, 'messages'],
  [MessageType.PEX, 'pex'],
  [MessageType.RANGES, 'sync'],
  [MessageType.WANT, 'sync'],
  [MessageType.HISTORY, 'sync'],
  [MessageType.RECEIPT, 'messages'],
  [MessageType.TYPING, 'messages']
])

interface TopicLinkEvents {
  message: [WireMessage]
  /** The sync stream has room again after send() filled it. */
  drain: []
  close: [CloseInfo]
}

/**
 * One channel between us and one member on one connection: its three streams, as one link. What
 * the channel's mesh sends is routed to the stream of its kind; what arrives on a stream must be
 * of that stream's kinds, or the link is closed (PROTOCOL_ERROR).
 */
export class TopicLink extends EventEmitter<TopicLinkEvents> {
  readonly connection: Connection
  readonly #streams: Record<ChannelProtocol, Stream>
  readonly #log: Logger
  #closeInfo: CloseInfo | null = null

  constructor (connection: Connection, streams: Record<ChannelProtocol, Stream>, log: Logger) {
    super()
    this.connection = connection
    this.#streams = streams
    this.#log = log
    for (const [kind, stream] of Object.entries(streams) as [ChannelProtocol, Stream][]) {
      stream.on('message', (frame: Uint8Array) => { this.#onFrame(kind, frame) })
      stream.on('close', (info: CloseInfo) => { this.#end(info) })
    }
    streams.sync.on('drain', () => { this.emit('drain') })
  }

  get remoteKeyHex (): string { return this.connection.remoteKeyHex }
  get initiator (): boolean { return this.connection.initiator }
  get closed (): boolean { return this.#closeInfo !== null }
  get closeInfo (): CloseInfo | null { return this.#closeInfo }
  /** Bytes of history waiting to go to this member: what a paced sender checks before queuing more. */
  get bufferedBytes (): number { return this.#streams.sync.queuedBytes }

  /** Sends one channel message (`u8 type ‖ body`) on the stream of its kind; dropped once the link is closed. */
  send (frame: Uint8Array): void {
    if (this.closed) return
    const kind = STREAM_OF_TYPE.get(frame[0] ?? -1)
    if (kind === undefined) throw new RangeError(`message type 0x${(frame[0] ?? 0).toString(16)} has no channel stream`)
    this.#streams[kind].send(frame)
  }

  /** Ends the channel on this connection (the connection itself stays for the peer's other channels). */
  close (code: CloseCode, text = ''): void {
    if (this.closed) return
    for (const stream of Object.values(this.#streams)) this.connection.reset(stream, code, text)
    this.#end({ code, wireCode: code, text, remote: false })
  }

  #onFrame (kind: ChannelProtocol, frame: Uint8Array): void {
    if (this.closed) return
    let message: WireMessage
    const stream = STREAM_OF_TYPE.get(frame[0] ?? -1)
    // A newer peer's message of a type this version does not know (PROTOCOL §3.5): passed over.
    if (stream === undefined) {
      this.#log.debug('ignored a channel message of an unknown type', { peer: this.remoteKeyHex.slice(0, 16), type: frame[0] ?? null })
      return
    }
    try {
      if (stream !== kind) throw new WireError(`message type 0x${(frame[0] ?? 0).toString(16)} on the ${kind} stream`)
      message = decodeFrame(frame)
    } catch (err) {
      if (!(err instanceof WireError)) throw err
      this.#log.debug('bad channel message', { peer: this.remoteKeyHex.slice(0, 16), error: err.message })
      this.close(CloseCode.PROTOCOL_ERROR, err.message)
      return
    }
    this.emit('message', message)
  }

  #end (info: CloseInfo): void {
    if (this.#closeInfo !== null) return
    this.#closeInfo = info
    for (const stream of Object.values(this.#streams)) if (stream.status !== 'closed') this.connection.reset(stream, info.code, info.text)
    this.emit('close', info)
  }
}
