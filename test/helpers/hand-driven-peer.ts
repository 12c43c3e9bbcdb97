// A peer driven by hand from a test: it speaks the real wire protocol (handshake, mux, a channel's
// three streams) over a real socket, sends exactly what the test says and records what the node
// sends back on the channel's streams.
import net from 'node:net'
import { TcpStream } from '../../core/transport/tcp.ts'
import { Connection } from '../../core/connection/connection.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import type { CloseInfo, Stream } from '../../core/connection/mux-stream.ts'
import { attachProof } from '../../core/peers/attach-proof.ts'
import { CHANNEL_PROTOCOLS, STREAM_OF_TYPE, type ChannelProtocol } from '../../core/peers/topic-link.ts'
import { generateIdentity, type Identity } from '../../core/identity/identity.ts'
import { createProfile } from '../../core/wire/profile.ts'
import { decodeFrame, encodePex, type PeerAddress, type WireMessage } from '../../core/wire/messages.ts'
import { silentLogger } from '../../core/log.ts'

export class HandDrivenPeer {
  readonly received: WireMessage[] = []
  readonly identity: Identity
  /** The connection ended, or the node closed the channel's streams. */
  closed = false
  /** Why the channel (or the whole connection) ended, once it has. */
  closeInfo: CloseInfo | null = null
  readonly established: Promise<void>
  /** Profile records the node sent us, as they came. */
  readonly profiles: Uint8Array[] = []
  #connection: Connection | null = null
  #socket: net.Socket
  readonly #psk: Uint8Array
  readonly #streams = new Map<ChannelProtocol, Stream>()
  #profileSeq = 0

  /**
   * `from`: the loopback address to connect from (any 127.x.y.z), so many peers do not share one
   * source's limits. `channelPsk`: the channel whose streams it opens, when not the one the handshake proves.
   */
  constructor (port: number, psk: Uint8Array, identity: Identity = generateIdentity(), from = '127.0.0.1', channelPsk = psk) {
    this.identity = identity
    this.#psk = channelPsk
    this.#socket = net.connect({ port, host: '127.0.0.1', localAddress: from })
    this.#socket.on('error', () => {})
    this.established = new Promise((resolve, reject) => {
      this.#socket.once('close', () => { this.closed = true; reject(new Error('closed before the handshake')) })
      this.#socket.once('connect', () => {
        const connection = new Connection({ stream: new TcpStream(this.#socket, { host: '127.0.0.1', port }), initiator: true, identity, psks: [psk], log: silentLogger })
        this.#connection = connection
        connection.once('close', (info) => { this.#ended(info) })
        connection.on('profile', (record) => { this.profiles.push(Uint8Array.from(record)) })
        connection.once('established', () => { resolve() })
      })
    })
    this.established.catch(() => {})
  }

  /** Sends one channel message (`u8 type ‖ body`) on the stream of its kind (the channel's streams open on the first). */
  send (frame: Uint8Array): void {
    const kind = STREAM_OF_TYPE.get(frame[0] ?? -1)
    if (kind === undefined) throw new RangeError(`message type 0x${(frame[0] ?? 0).toString(16)} has no channel stream`)
    this.sendOn(kind, frame)
  }

  /** Sends anything at all on one of the channel's streams, as a hostile member might. */
  sendOn (kind: ChannelProtocol, frame: Uint8Array): void {
    this.#openChannel()
    const stream = this.#streams.get(kind)
    // As on a socket the node closed: what is sent after the end goes nowhere.
    if (stream !== undefined && stream.status !== 'closed' && stream.status !== 'closing') stream.send(frame)
  }

  /**
   * What a newly connected member tells, in the order the node's own pool does: its signed profile
   * and how it sees the node, then the channel's streams, then its neighbours.
   */
  hello (opts: { name?: string; tcpPort?: number; observedAddress?: string; peers?: PeerAddress[] } = {}): void {
    this.sendProfile(opts.name ?? 'hand-driven', opts.tcpPort ?? 0)
    if (opts.observedAddress !== undefined) this.#connection?.sendObserved(opts.observedAddress)
    this.send(encodePex({ peers: opts.peers ?? [] }))
  }

  /** A profile signed by this peer's key (each one newer than the last), or any record as it is. */
  sendProfile (name: string, tcpPort = 0): void {
    this.sendProfileRecord(createProfile({ identity: this.identity, seq: ++this.#profileSeq, timestamp: Date.now(), name, tcpPort, udpPort: 0 }).raw)
  }

  sendProfileRecord (raw: Uint8Array): void { this.#connection?.sendProfile(raw) }

  /** Stops reading from the socket, as a peer that lets the node's frames pile up would. */
  stopReading (): void { this.#socket.pause() }
  /** Bytes written and not yet taken by the kernel (the node stopped reading us). */
  get unsentBytes (): number { return this.#socket.writableLength }
  /** Ends the connection with a code, as the node's own pool would. */
  close (code: CloseCode, text = ''): void { this.#connection?.close(code, text) }

  destroy (): void {
    this.#connection?.close(CloseCode.NORMAL)
    this.#socket.destroy()
  }

  #openChannel (): void {
    const connection = this.#connection
    if (connection === null || this.#streams.size > 0) return
    const proof = attachProof(this.#psk, connection.handshakeHash)
    for (const kind of Object.keys(CHANNEL_PROTOCOLS) as ChannelProtocol[]) {
      const stream = connection.open(CHANNEL_PROTOCOLS[kind], proof)
      this.#streams.set(kind, stream)
      stream.on('message', (frame: Uint8Array) => { this.received.push(decodeFrame(frame)) })
      stream.once('close', (info: CloseInfo) => { this.#ended(info) })
    }
  }

  #ended (info: CloseInfo): void {
    if (this.closed) return
    this.closed = true
    this.closeInfo = info
  }
}
