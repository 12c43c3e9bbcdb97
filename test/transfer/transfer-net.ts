// In-memory peers for the download session's tests: each has a fake store (the file's bytes it
// verified, checked against a list of chunk hashes), may download with a DownloadSession, and serves
// what it holds under the upload policy. Messages go through the real codecs on per-direction
// queues; a step sends one piece per request being served and delivers everything queued, so several
// sources interleave. The clock is the net's, advanced by hand.
import { createHash } from 'node:crypto'
import { DownloadSession, type DownloadCommand } from '../../core/transfer/download-session.ts'
import { prng as seededRandom } from '../helpers/prng.ts'
import { bitfieldBytes, chunkLength, hasChunk, setChunk, type FileShape } from '../../core/transfer/protocol-limits.ts'
import {
  BITFIELD, CANCEL, decodeTransferMessage, HAVE, INTEREST, LAYER, LAYER_REQUEST, PIECE, REJECT, RejectCode, REQUEST
} from '../../core/transfer/transfer-messages.ts'
import { UploadQueue } from '../../core/transfer/upload-policy.ts'

export function sha256 (data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

export function randomFile (size: number, seed: number): Uint8Array {
  const random = seededRandom(seed)
  return new Uint8Array(size).map(() => Math.floor(random() * 256))
}

/** What the store does with chunks: verifies each against its hash, keeps the good ones. */
export class FakeStore {
  readonly bytes: Uint8Array
  readonly bitfield: Uint8Array
  /** Writes per chunk: a chunk written twice was fetched twice. */
  readonly writes: number[]
  readonly pending: Array<{ index: number; data: Uint8Array }> = []
  /** A piece layer handed over to check, as a peer sent it. */
  pendingLayer: Uint8Array[] | undefined
  failWrites: string | undefined
  readonly shape: FileShape

  constructor (shape: FileShape, source?: Uint8Array, held?: Uint8Array) {
    this.shape = shape
    this.bytes = new Uint8Array(shape.size)
    this.bitfield = new Uint8Array(bitfieldBytes(shape))
    this.writes = new Array<number>(shape.chunkCount).fill(0)
    for (let i = 0; i < shape.chunkCount; i++) {
      if (source === undefined || (held !== undefined && !hasChunk(held, i))) continue
      this.bytes.set(this.chunkOf(source, i), i * shape.chunkBytes)
      setChunk(this.bitfield, i)
    }
  }

  chunkOf (bytes: Uint8Array, index: number): Uint8Array {
    const start = index * this.shape.chunkBytes
    return bytes.subarray(start, start + chunkLength(this.shape, index))
  }
}

export interface PeerOptions {
  /** Flip a byte in every chunk this peer serves. */
  corrupt?: boolean
  /** Never sends a piece or a layer (a stalled peer). */
  silent?: boolean
  /** Requests it queues before answering BUSY. */
  requestsPerPeer?: number
  /** Sends a piece layer with one hash wrong. */
  corruptLayer?: boolean
  /** Answers LAYER_REQUEST with REJECT 5. */
  noLayer?: boolean
}

export class Peer {
  session: DownloadSession | undefined
  readonly commands: DownloadCommand[] = []
  /** Requests being served, per requester. */
  readonly serving = new Map<string, UploadQueue>()
  readonly links = new Set<string>()
  piecesServed = 0
  busyAnswers = 0
  bytesReceived = 0

  readonly id: string
  readonly store: FakeStore
  readonly options: PeerOptions

  constructor (id: string, store: FakeStore, options: PeerOptions = {}) {
    this.id = id
    this.store = store
    this.options = options
  }

  get done (): boolean { return this.commands.some(c => c.type === 'done') }
}

export class TransferNet {
  now = 0
  readonly peers = new Map<string, Peer>()
  readonly #wires = new Map<string, Uint8Array[]>()
  readonly hashes: string[]
  readonly shape: FileShape
  readonly file: Uint8Array

  constructor (shape: FileShape, file: Uint8Array) {
    this.shape = shape
    this.file = file
    this.hashes = Array.from({ length: shape.chunkCount }, (_, i) => sha256(file.subarray(i * shape.chunkBytes, i * shape.chunkBytes + chunkLength(shape, i))))
  }

  /** A peer holding the whole file, or the chunks of `held`. */
  source (id: string, options: PeerOptions = {}, held?: Uint8Array): Peer {
    return this.#add(new Peer(id, new FakeStore(this.shape, this.file, held), options))
  }

  /** A peer downloading the file, starting from the chunks of `held`. */
  downloader (id: string, held?: Uint8Array, seed = 1, layerHeld = true): Peer {
    const peer = this.#add(new Peer(id, new FakeStore(this.shape, held === undefined ? undefined : this.file, held)))
    peer.session = new DownloadSession({ shape: this.shape, held: peer.store.bitfield, layerHeld, now: () => this.now, random: seededRandom(seed) })
    this.#apply(peer, peer.session.start())
    return peer
  }

  /** Opens the file stream between a downloader and a peer serving it: each sends INTEREST and BITFIELD. */
  connect (a: string, b: string): void {
    const pa = this.peers.get(a)!
    const pb = this.peers.get(b)!
    pa.links.add(b)
    pb.links.add(a)
    for (const [from, to] of [[pa, pb], [pb, pa]] as const) {
      const interest = decodeTransferMessage(INTEREST.encode({ version: 1, size: this.shape.size, chunkLog2: Math.log2(this.shape.chunkBytes) }, this.shape), this.shape)
      const field = decodeTransferMessage(BITFIELD.encode({ bitfield: from.store.bitfield }, this.shape), this.shape)
      if (interest.type !== 'interest' || field.type !== 'bitfield') throw new Error('unexpected decode')
      if (to.session !== undefined) this.handle(to, { type: 'peer-joined', peer: from.id, bitfield: field.bitfield })
    }
  }

  /** The connection between two peers is gone: each side's session hears so, and what was in flight is lost. */
  disconnect (a: string, b: string): void {
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const peer = this.peers.get(x)!
      if (!peer.links.delete(y)) continue
      this.#wires.delete(`${y}>${x}`)
      peer.serving.delete(y)
      if (peer.session !== undefined) this.handle(peer, { type: 'peer-left', peer: y })
    }
  }

  handle (peer: Peer, event: Parameters<DownloadSession['handle']>[0]): void {
    this.#apply(peer, peer.session!.handle(event))
  }

  /** Sends one piece per request being served, delivers every message queued, lets stores verify; a tick every `tickEvery` steps of 100 ms. */
  step (stepIndex: number): void {
    for (const peer of this.peers.values()) this.#serve(peer)
    for (const [key, queue] of [...this.#wires]) {
      const [from, to] = key.split('>') as [string, string]
      this.#wires.set(key, [])
      for (const bytes of queue) this.#deliver(this.peers.get(from)!, this.peers.get(to)!, bytes)
    }
    for (const peer of this.peers.values()) this.#verify(peer)
    this.now += 100
    if (stepIndex % 10 === 9) for (const peer of this.peers.values()) if (peer.session !== undefined) this.handle(peer, { type: 'tick' })
  }

  /** Steps until every downloader is done, or `maxSteps`; returns the steps taken. */
  run (maxSteps = 10_000, until = (): boolean => [...this.peers.values()].every(p => p.session === undefined || p.session.state === 'done')): number {
    for (let i = 0; i < maxSteps; i++) {
      if (until()) return i
      this.step(i)
    }
    return maxSteps
  }

  #add (peer: Peer): Peer {
    this.peers.set(peer.id, peer)
    return peer
  }

  #send (from: Peer, to: string, bytes: Uint8Array): void {
    if (!from.links.has(to)) return
    const key = `${from.id}>${to}`
    const queue = this.#wires.get(key) ?? []
    queue.push(bytes)
    this.#wires.set(key, queue)
  }

  #apply (peer: Peer, commands: DownloadCommand[]): void {
    for (const command of commands) {
      peer.commands.push(command)
      switch (command.type) {
        case 'request': this.#send(peer, command.peer, REQUEST.encode({ index: command.index }, this.shape)); break
        case 'cancel': this.#send(peer, command.peer, CANCEL.encode({ index: command.index }, this.shape)); break
        case 'write-chunk': peer.store.pending.push({ index: command.index, data: command.data }); break
        case 'request-layer': this.#send(peer, command.peer, LAYER_REQUEST.encode({ first: command.first, count: command.count }, this.shape)); break
        case 'check-layer': peer.store.pendingLayer = command.hashes; break
        case 'have': for (const other of peer.links) this.#send(peer, other, HAVE.encode({ index: command.index }, this.shape)); break
        case 'drop-peer': this.disconnect(peer.id, command.peer); break
        default: break
      }
    }
  }

  #deliver (from: Peer, to: Peer, bytes: Uint8Array): void {
    if (!to.links.has(from.id)) return
    const message = decodeTransferMessage(bytes, this.shape)
    switch (message.type) {
      case 'request': {
        const served = to.serving.get(from.id) ?? new UploadQueue(this.shape)
        to.serving.set(from.id, served)
        let queued = 0
        for (const s of to.serving.values()) queued += s.size
        const verdict = served.request(message.index, hasChunk(to.store.bitfield, message.index), queued,
          { requestsPerPeer: to.options.requestsPerPeer ?? 16, requests: 64, relayedShare: 0.75 })
        if (verdict !== 'serve') {
          if (verdict === RejectCode.BUSY) to.busyAnswers++
          this.#send(to, from.id, REJECT.encode({ code: verdict, index: message.index }, this.shape))
        }
        break
      }
      case 'cancel': {
        to.serving.get(from.id)?.cancel(message.index)
        break
      }
      case 'piece':
        to.bytesReceived += message.data.length
        this.handle(to, { type: 'piece', peer: from.id, index: message.index, offset: message.offset, data: message.data })
        break
      case 'layer-request': {
        if (to.options.silent === true) break
        if (to.options.noLayer === true) {
          this.#send(to, from.id, REJECT.encode({ code: RejectCode.NO_LAYER }, this.shape))
          break
        }
        const hashes = this.hashes.slice(message.first, message.first + message.count).map(h => Buffer.from(h, 'hex') as Uint8Array)
        if (to.options.corruptLayer === true) hashes[0] = new Uint8Array(32)
        this.#send(to, from.id, LAYER.encode({ first: message.first, hashes }, this.shape))
        break
      }
      case 'layer':
        this.handle(to, { type: 'layer', peer: from.id, first: message.first, hashes: message.hashes })
        break
      case 'have':
        if (to.session !== undefined) this.handle(to, { type: 'have', peer: from.id, index: message.index })
        break
      case 'reject':
        this.handle(to, { type: 'rejected', peer: from.id, code: message.code, ...(message.index === undefined ? {} : { index: message.index }) })
        break
      default: throw new Error(`unexpected ${message.type}`)
    }
  }

  #serve (peer: Peer): void {
    if (peer.options.silent === true) return
    for (const [to, served] of peer.serving) {
      const piece = served.next()
      if (piece === undefined) continue
      const { index, offset, length } = piece
      const data = peer.store.chunkOf(peer.store.bytes, index).slice(offset, offset + length)
      if (peer.options.corrupt === true && offset === 0) data[0] = data[0]! ^ 0xff
      this.#send(peer, to, PIECE.encode({ index, offset, data }, this.shape))
      peer.piecesServed++
    }
  }

  #verify (peer: Peer): void {
    const { store } = peer
    if (store.pendingLayer !== undefined && peer.session !== undefined) {
      const good = store.pendingLayer.every((hash, i) => Buffer.from(hash).toString('hex') === this.hashes[i])
      store.pendingLayer = undefined
      this.handle(peer, { type: good ? 'layer-verified' : 'layer-failed' })
    }
    for (const { index, data } of store.pending.splice(0)) {
      if (peer.session === undefined) continue
      if (store.failWrites !== undefined) {
        this.handle(peer, { type: 'store-failed', index, code: store.failWrites })
        continue
      }
      if (sha256(data) !== this.hashes[index]) {
        this.handle(peer, { type: 'chunk-failed', index })
        continue
      }
      store.bytes.set(data, index * this.shape.chunkBytes)
      setChunk(store.bitfield, index)
      store.writes[index]!++
      this.handle(peer, { type: 'chunk-verified', index })
    }
  }
}
