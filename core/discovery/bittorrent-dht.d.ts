// The part of bittorrent-dht 11 that core/discovery/dht.ts and the tests use. The package ships no types.
declare module 'bittorrent-dht' {
  import { EventEmitter } from 'node:events'
  import type { AddressInfo } from 'node:net'

  export interface DhtAddress {
    host: string
    port: number
  }

  /** A routing-table entry. `seen` is set when the node last answered or queried us (ms). */
  export interface DhtContact extends DhtAddress {
    id: Buffer
    seen?: number
  }

  /**
   * What k-rpc-socket needs from a socket it is given: it listens for 'message', 'error',
   * 'listening' and (on destroy) 'close', sends with the six-argument form and closes it on destroy.
   */
  export interface DhtSocket extends EventEmitter {
    send (buf: Buffer, offset: number, length: number, port: number, host: string, cb: (err: Error | null) => void): void
    address (): AddressInfo
    close (): void
  }

  export interface DhtOptions {
    /** Runs on this socket instead of creating one; bittorrent-dht closes it on destroy. */
    socket?: DhtSocket
    /** Nodes queried when the routing table is thin; false: none, and 'ready' at once. */
    bootstrap?: false | (DhtAddress | string)[]
  }

  /**
   * The k-rpc instance inside a DHT (`DHT._rpc`). Not public API: reached for only to bound what the
   * package would otherwise send (see core/discovery/dht.ts).
   */
  export interface KrpcInternals {
    readonly id: Buffer
    /** Queried by every lookup that finds fewer nodes than this list holds. */
    bootstrap: DhtAddress[]
    /** The routing table (a k-bucket). */
    readonly nodes: { closest (target: Uint8Array, n: number): DhtContact[]; remove (id: Uint8Array): void }
    /** The k-rpc-socket underneath: its queries time out after 2 s unless cancelled. */
    readonly socket: {
      query (node: DhtAddress & { id?: Uint8Array }, message: { q: string; a: object }, cb: (err: Error | null, reply: { r?: unknown } | null) => void): number | undefined
      cancel (tid: number, err?: Error): void
    }
    response (node: unknown, query: unknown, response: { values?: unknown }, nodes?: unknown, cb?: unknown): void
  }

  export default class DHT extends EventEmitter<{
    ready: []
    listening: []
    close: []
    /** A peer from a lookup of `infoHash` (or from our own store of announces); `from` is the answering node. */
    peer: [peer: DhtAddress, infoHash: Buffer, from: DhtAddress | null]
    /** Another node announced itself to us for `infoHash`. */
    announce_peer: [infoHash: Buffer, from: DhtAddress]
    /** The same, with the peer's address as recorded (the announced port, or with implied_port the port it came from). */
    announce: [peer: DhtAddress, infoHash: Buffer, from: DhtAddress]
    node: [DhtContact]
    warning: [Error]
    error: [Error]
  }> {
    constructor (opts?: DhtOptions)
    readonly nodeId: Buffer
    readonly listening: boolean
    readonly destroyed: boolean
    readonly nodes: { count (): number; toArray (): DhtContact[] }
    readonly _rpc: KrpcInternals
    listen (port: number, host: string, onListening?: () => void): void
    address (): AddressInfo
    /** Pings a node without an id and adds it to the routing table when it answers. */
    addNode (node: DhtAddress): void
    /** Walks the DHT toward `infoHash`, emitting 'peer' for the peers found; returns a function that stops the emitting. */
    lookup (infoHash: Uint8Array, cb?: (err: Error | null, visited?: number) => void): () => void
    /** Without a port: announces with implied_port=1 (the port the packets come from). */
    announce (infoHash: Uint8Array, cb?: (err: Error | null) => void): void
    announce (infoHash: Uint8Array, port: number, cb?: (err: Error | null) => void): void
    destroy (cb?: () => void): void
  }
}
