// The parts of Holepunch's untyped packages (hyperswarm, hyperdht, @hyperswarm/secret-stream)
// that the bench's anchor uses.

declare module '@hyperswarm/secret-stream' {
  import type { Duplex } from 'node:stream'

  /** A streamx Duplex carrying encrypted messages: each write arrives as one 'data' event. */
  class NoiseSecretStream {
    constructor (isInitiator: boolean, rawStream?: Duplex, opts?: Record<string, unknown>)
    readonly remotePublicKey: Buffer
    readonly rawStream: unknown
    /** Resolves true once the handshake is done. */
    readonly opened: Promise<boolean>
    write (data: Uint8Array): boolean
    end (): void
    destroy (err?: Error): void
    on (event: 'data', listener: (data: Buffer) => void): this
    on (event: 'drain' | 'open' | 'close', listener: () => void): this
    on (event: 'error', listener: (err: Error) => void): this
    once (event: 'drain' | 'open' | 'close', listener: () => void): this
  }
  export default NoiseSecretStream
}

declare module 'hyperdht' {
  export interface HostPort { host: string; port: number }

  export interface DhtOptions {
    bootstrap?: HostPort[]
    /** The address its UDP sockets bind to (default all interfaces). */
    host?: string
    port?: number
    ephemeral?: boolean
    firewalled?: boolean
  }

  class HyperDHT {
    constructor (opts?: DhtOptions)
    readonly firewalled: boolean
    fullyBootstrapped (): Promise<void>
    address (): HostPort
    destroy (opts?: { force?: boolean }): Promise<void>
  }
  export default HyperDHT
}

declare module 'hyperdht/testnet.js' {
  import type HyperDHT from 'hyperdht'
  import type { HostPort } from 'hyperdht'

  export interface HyperTestnet {
    nodes: HyperDHT[]
    bootstrap: HostPort[]
    destroy (): Promise<void>
  }
  export default function createTestnet (size?: number, opts?: { host?: string; port?: number; bootstrap?: HostPort[] }): Promise<HyperTestnet>
}

declare module 'hyperswarm' {
  import type HyperDHT from 'hyperdht'
  import type NoiseSecretStream from '@hyperswarm/secret-stream'
  import type { EventEmitter } from 'node:events'

  export interface PeerDiscovery {
    flushed (): Promise<void>
    /** Looks the topic up (and announces) again. */
    refresh (opts?: { client?: boolean; server?: boolean }): Promise<void>
    destroy (): Promise<void>
  }

  export interface PeerInfo { publicKey: Buffer }

  class Hyperswarm extends EventEmitter {
    constructor (opts?: { dht?: HyperDHT; bootstrap?: Array<{ host: string; port: number }>; maxPeers?: number })
    readonly connections: Set<NoiseSecretStream>
    readonly dht: HyperDHT
    join (topic: Uint8Array, opts?: { server?: boolean; client?: boolean }): PeerDiscovery
    flush (): Promise<boolean>
    destroy (): Promise<void>
    on (event: 'connection', listener: (conn: NoiseSecretStream, info: PeerInfo) => void): this
  }
  export default Hyperswarm
}
