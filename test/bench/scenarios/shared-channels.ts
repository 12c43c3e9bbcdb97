// A node sharing 10 channels with the same 5 peers: how many connections it holds (one per peer is
// the aim, not one per channel and peer), and the CPU all six nodes use while idle, next to the same
// six nodes with no channel at all.
import { setTimeout as sleep } from 'node:timers/promises'
import type { BitChatNode } from '../../../core/node/node.ts'
import { createTestnet, waitUntil } from '../../helpers/testnet.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met } from '../harness/scenario.ts'
import { fmt, ratioText } from '../harness/stats.ts'

const SETTLE_MS = 10_000

/** CPU ms this process spends per second over 10 s. */
async function idleCpu (): Promise<number> {
  const before = process.cpuUsage()
  await sleep(10_000)
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1000 / 10
}

async function run (ctx: ScenarioContext): Promise<void> {
  const net = await createTestnet({ trackerInterval: 60_000 })
  ctx.defer(() => net.close())
  const nodes: BitChatNode[] = []
  for (let i = 0; i < 6; i++) nodes.push(await net.node(`shared${i}`))
  // Starting nodes is busy for a while too: both figures are taken once things have settled.
  await sleep(SETTLE_MS)
  const bare = await idleCpu()
  const [hub, ...others] = nodes as [BitChatNode, ...BitChatNode[]]
  const channels: string[] = []
  for (let i = 0; i < 10; i++) {
    const { uri, channelId } = await hub.api['channels.create']({ name: `shared ${i}`, trackers: [net.trackerUrl] })
    for (const n of others) await n.api['channels.join']({ uri })
    channels.push(channelId)
  }
  await waitUntil(async () => (await Promise.all(channels.map(async channelId => (await hub.api['peers.list']({ channelId })).length))).every(c => c === 5), 60_000, '5 peers in every channel')
  const connections = (await hub.api['network.status']({})).connections ?? 0
  // The first seconds after linking are the first exchanges and peer lists: idle is what follows.
  await sleep(SETTLE_MS)
  const busy = await idleCpu()
  ctx.report({ figure: 'connections of a node sharing 10 channels with the same 5 peers', value: String(connections), baseline: 'one per channel and peer: 50', ratio: ratioText(connections, 50), target: '5', met: met(connections === 5) })
  ctx.report({ figure: 'idle CPU of those 6 nodes (one process), ms per second, once settled', value: fmt(busy, 1), baseline: `6 nodes, no channel: ${fmt(bare, 1)}`, ratio: ratioText(busy, Math.max(bare, 0.1), 1) })
}

export const sharedChannels: Scenario = {
  name: 'shared-channels',
  about: 'connections and idle CPU of a node sharing 10 channels with the same 5 peers',
  timeoutMs: 180_000,
  run
}
