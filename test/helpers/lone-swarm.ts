// A channel's swarm with a pool of its own and no node around it, for dialling tests.
import { randomBytes } from 'node:crypto'
import { ChannelSwarm } from '../../core/mesh/swarm.ts'
import { ConnectionPool } from '../../core/peers/connection-pool.ts'
import type { OutboundBudget } from '../../core/mesh/connection-budget.ts'
import type { ConnectionTimings } from '../../core/connection/connection.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { createProfile } from '../../core/wire/profile.ts'
import { toHex } from '../../core/codec/hex.ts'
import { silentLogger } from '../../core/log.ts'

export interface LoneSwarm {
  swarm: ChannelSwarm
  pool: ConnectionPool
  close (): Promise<void>
}

export function loneSwarm (opts: { psk: Uint8Array; outbound?: OutboundBudget; timings?: ConnectionTimings; maxRecords?: number }): LoneSwarm {
  const identity = generateIdentity()
  const profile = createProfile({ identity, seq: 1, timestamp: Date.now(), name: 'newcomer', tcpPort: 0, udpPort: 0 }).raw
  const pool = new ConnectionPool({ identity, log: silentLogger, timings: opts.timings, outbound: opts.outbound, profile: () => profile, onProfile: () => {}, onObserved: () => {}, onGone: () => {} })
  const channelId = toHex(randomBytes(32))
  const swarm = new ChannelSwarm({ channelId, pool, ownKeyHex: toHex(identity.publicKey), listenPortOf: () => 0, isSelfAddress: () => false, log: silentLogger, maxRecords: opts.maxRecords })
  pool.addTopic({ channelId, psk: opts.psk, isAllowed: () => true, attach: (link) => { swarm.attach(link) } })
  return {
    swarm,
    pool,
    async close () {
      swarm.destroy()
      await pool.close()
    }
  }
}
