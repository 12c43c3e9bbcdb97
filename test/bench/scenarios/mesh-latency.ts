// Message latency in a 10-node full mesh of nodes sharing this process (one event loop for all ten):
// `messages.send` at one node → `message.received` at each of the other nine, next to the one-way
// latency of a bare loopback TCP socket.
import type { BitChatNode } from '../../../core/node/node.ts'
import { createTestnet, waitUntil } from '../../helpers/testnet.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met } from '../harness/scenario.ts'
import { fmt, percentile, ratioText, sortAscending } from '../harness/stats.ts'
import { rawOneWayLatencies } from '../links/socket-pair.ts'

const NODES = 10
const MESSAGES = 200

async function run (ctx: ScenarioContext): Promise<void> {
  const net = await createTestnet({ trackerInterval: 60_000 })
  ctx.defer(() => net.close())
  const nodes: BitChatNode[] = []
  for (let i = 0; i < NODES; i++) nodes.push(await net.node(`m${i}`))
  const first = nodes[0]!
  const { uri, channelId } = await first.api['channels.create']({ name: 'latency', trackers: [net.trackerUrl] })
  for (const n of nodes.slice(1)) await n.api['channels.join']({ uri })
  await waitUntil(async () => {
    const counts = await Promise.all(nodes.map(async n => (await n.api['peers.list']({ channelId })).length))
    return counts.every(c => c === NODES - 1)
  }, 30_000, `a ${NODES}-node full mesh`)
  const sentAt = new Map<string, number>()
  const latencies: number[] = []
  for (const n of nodes) {
    n.onEvent((event, payload) => {
      if (event !== 'message.received') return
      const t = sentAt.get((payload as { text: string }).text)
      if (t !== undefined) latencies.push(performance.now() - t)
    })
  }
  for (let i = 0; i < MESSAGES && !ctx.signal.aborted; i++) {
    const sender = nodes[i % nodes.length]!
    const text = `latency probe ${i}`
    sentAt.set(text, performance.now())
    await sender.api['messages.send']({ channelId, text })
    await waitUntil(() => latencies.length >= (i + 1) * (NODES - 1), 5_000, `delivery of message ${i} to ${NODES - 1} nodes`)
  }
  sortAscending(latencies)
  const raw = await rawOneWayLatencies(MESSAGES)
  const [p50, p99, rawP50, rawP99] = [percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(raw, 0.5), percentile(raw, 0.99)]
  ctx.report({ figure: `message latency, ${NODES}-node mesh in one process, ${MESSAGES} messages × ${NODES - 1} receivers: p50`, value: `${fmt(p50, 2)} ms`, baseline: `raw TCP ${fmt(rawP50, 3)} ms`, ratio: ratioText(p50, rawP50, 0) })
  ctx.report({ figure: `message latency, ${NODES}-node mesh in one process: p99`, value: `${fmt(p99, 2)} ms`, baseline: `raw TCP ${fmt(rawP99, 3)} ms`, ratio: ratioText(p99, rawP99, 0), target: '< 10 ms', met: met(p99 < 10) })
}

export const meshLatency: Scenario = {
  name: 'mesh-latency',
  about: 'message latency p50/p99 in a 10-node mesh of nodes sharing this process',
  timeoutMs: 120_000,
  run
}
