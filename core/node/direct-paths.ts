// The node's direct paths over UDP: its socket (UdpPort) and the hole punching that moves relayed
// connections onto it, put together for one pool; and what a peer's path looks like from here.
import type { PeerInfo, PortMappingInfo } from '../api/contract.ts'
import type { Connection } from '../connection/connection.ts'
import type { Stream } from '../connection/mux-stream.ts'
import type { Logger } from '../log.ts'
import type { ConnectionPool } from '../peers/connection-pool.ts'
import type { Endpoint, Transport } from '../transport/raw-stream.ts'
import { HolePunching } from './hole-punching.ts'
import { UdpPort } from './udp-port.ts'

export interface DirectPathsOptions {
  pool: ConnectionPool
  host: string | undefined
  ownKeyHex: string
  /** Whether the node takes connections in: one that does not is neither dialled over UDP nor punched. */
  acceptsIncoming: () => boolean
  log: Logger
}

export class DirectPaths {
  readonly udp: UdpPort
  readonly #punching: HolePunching

  constructor (opts: DirectPathsOptions) {
    const { pool, log } = opts
    this.udp = new UdpPort({
      host: opts.host,
      log: log.child({ part: 'udp' }),
      onStream: (stream) => { pool.acceptStream(stream, this.#punching.isArranged(stream.remote)) },
      admits: (from) => opts.acceptsIncoming() || this.#punching.isArranged(from)
    })
    this.#punching = new HolePunching({ pool, udp: this.udp, ownKeyHex: opts.ownKeyHex, allowed: opts.acceptsIncoming, log: log.child({ part: 'punch' }) })
  }

  /** UDP streams to dial with, while the node has a UDP socket. */
  get transport (): Transport | null { return this.udp.endpoint?.transport ?? null }

  /** A connection the pool kept: a relayed one may be punched. */
  adopted (connection: Connection): void { this.#punching.adopted(connection) }

  /** A stream of another protocol than a channel's: true when it was a punch's, taken here. */
  onStream (connection: Connection, stream: Stream): boolean { return this.#punching.onStream(connection, stream) }

  /**
   * A peer says it sees us at `seenAs`: over a UDP stream, where our NAT maps our UDP socket seen from
   * that peer (a sample of the NAT's type); over TCP, at least our public host.
   */
  observed (connection: Connection, seenAs: Endpoint): void {
    if (connection.transport === 'udp') this.udp.observed(seenAs, { host: connection.remoteHost, port: connection.remotePort })
    else if (connection.transport === 'tcp') this.udp.observedHost(seenAs.host)
  }

  /** What peers.list says of a path that only the node knows: punched through both NATs, or in through our router's port mapping. */
  pathOf (peer: PeerInfo, connection: Connection | undefined, mapping: PortMappingInfo): PeerInfo {
    if (connection === undefined) return peer
    if (this.#punching.isPunched(connection)) return { ...peer, punched: true }
    const direct = connection.transport === 'tcp' || connection.transport === 'udp'
    const forwarded = mapping.state === 'mapped' && (connection.transport === 'tcp' || mapping.protocols?.includes('udp') === true)
    return forwarded && direct && !connection.initiator ? { ...peer, viaPortMapping: true } : peer
  }

  async close (): Promise<void> {
    this.#punching.close()
    await this.udp.close()
  }
}
