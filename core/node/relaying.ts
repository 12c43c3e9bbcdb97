import type { Connection } from '../connection/connection.ts'
import type { Stream } from '../connection/mux-stream.ts'
import type { ConnectionPool } from '../peers/connection-pool.ts'
import type { DialOutcome } from '../peers/dial-outcome.ts'
import type { RelayServiceStatus } from '../api/contract.ts'
import { RelayAcceptor } from '../relay/relay-acceptor.ts'
import { RelayClient } from '../relay/relay-client.ts'
import { RelayService } from '../relay/relay-service.ts'
import { RELAY_PROTOCOL, RELAYED_PROTOCOL } from '../relay/relay-protocol.ts'
import type { RelayCandidate } from '../relay/relay-policy.ts'
import type { Logger } from '../log.ts'
import type { ChannelRoom } from './channel-room.ts'

export interface RelayingOptions {
  pool: ConnectionPool
  ownKeyHex: string
  rooms: () => Iterable<ChannelRoom>
  isBlocked: (keyHex: string) => boolean
  /** The PSK of our private channel with this key, which its owner may open through a relay before we joined it. */
  privatePsk: (keyHex: string) => Uint8Array | null
  /** The user's "Allow relaying for others". */
  enabled: () => boolean
  log: Logger
}

/**
 * The node's three parts in relayed connections (PROTOCOL §3.7): the relay we may be for others,
 * the side a relay reaches, and our own dials through relays, which the peer book makes for peers
 * it cannot reach directly.
 */
export class Relaying {
  readonly service: RelayService
  readonly #acceptor: RelayAcceptor
  readonly #client: RelayClient

  constructor (opts: RelayingOptions) {
    const { pool, log } = opts
    const direct = (keyHex: string): Connection | undefined => {
      const connection = pool.connectionTo(keyHex)
      return connection === undefined || connection.closed || connection.transport === 'relay' ? undefined : connection
    }
    this.service = new RelayService({ connectionTo: direct, enabled: opts.enabled, log })
    this.#acceptor = new RelayAcceptor({
      ownKeyHex: opts.ownKeyHex,
      isBlocked: opts.isBlocked,
      connectedDirectly: (keyHex) => direct(keyHex) !== undefined,
      respond: (stream, source) => {
        const psk = opts.privatePsk(source)
        return pool.respondOver(stream, source, psk === null ? [] : [psk])
      },
      log
    })
    this.#client = new RelayClient({
      connectionTo: direct,
      candidates: (target) => relayCandidates(opts.rooms(), target),
      dialOver: async (stream, channelId, target) => await pool.dialOver(stream, channelId, target),
      log
    })
  }

  /** A stream that is not a channel's: a relay's, taken here; false for anything else. */
  onStream (connection: Connection, stream: Stream): boolean {
    if (stream.protocol === RELAY_PROTOCOL) this.service.handle(connection, stream)
    else if (stream.protocol === RELAYED_PROTOCOL) this.#acceptor.handle(connection, stream)
    else return false
    return true
  }

  async dial (keyHex: string, channelId: string): Promise<DialOutcome> {
    return await this.#client.dial(keyHex, channelId)
  }

  status (): RelayServiceStatus {
    return { enabled: this.service.enabled, circuits: this.service.circuits.length, bytesRelayed: this.service.bytesRelayed }
  }
}

/**
 * Members we are linked with directly, as relays to `target`: in each channel, whether the target
 * is a member we know there, and whether the member's peer list names the target.
 */
export function relayCandidates (rooms: Iterable<ChannelRoom>, target: string): Omit<RelayCandidate, 'failedAt'>[] {
  const found = new Map<string, Omit<RelayCandidate, 'failedAt'>>()
  for (const room of rooms) {
    const links = room.swarm.links.filter(l => l.publicKeyHex !== target && l.session.connection.transport !== 'relay')
    if (links.length === 0) continue
    const knowsTarget = room.hasMember(target)
    for (const link of links) {
      const candidate = found.get(link.publicKeyHex) ?? { keyHex: link.publicKeyHex, neighbour: false, sharesChannel: false, rttMs: link.session.connection.rttMs }
      candidate.neighbour ||= link.neighbours.has(target)
      candidate.sharesChannel ||= knowsTarget
      found.set(link.publicKeyHex, candidate)
    }
  }
  return [...found.values()]
}
