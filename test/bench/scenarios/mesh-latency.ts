// Message latency in a 10-node full mesh of nodes sharing this process (one event loop for all ten):
// `messages.send` at one node → `message.received` at each of the other nine, next to the one-way
// latency of a bare loopback TCP socket. Three runs on fresh meshes: the target holds in every run.
import type { BitChatNode } from '../../../core/node/node.ts'
import { createTestnet, waitUntil } from '../../helpers/testnet.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met, once } from '../harness/scenario.ts'
import { fmt, median, percentile, ratioText, sortAscending } from '../harness/stats.ts'
import { rawOneWayLatencies } from '../links/socket-pair.ts'

const NODES = 10
const MESSAGES = 200
const RUNS = 3

/** Sorted latencies of MESSAGES sent one at a time, round robin, each awaited at all nine receivers. */
async function meshRun (ctx: ScenarioContext, run: number): Promise<number[]> {
  const net = await createTestnet({ trackerInterval: 60_000 })
  const closeNet = once(() => net.close())
  ctx.defer(closeNet)
  const nodes: BitChatNode[] = []
  for (let i = 0; i < NODES; i++) nodes.push(await net.node(`m${run}-${i}`))
  const { uri, channelId } = await nodes[0]!.api['channels.create']({ name: 'latency', trackers: [net.trackerUrl] })
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
    const text = `latency probe ${i}`
    sentAt.set(text, performance.now())
    await nodes[i % NODES]!.api['messages.send']({ channelId, text })
    await waitUntil(() => latencies.length >= (i + 1) * (NODES - 1), 5_000, `delivery of message ${i} to ${NODES - 1} nodes`)
  }
  await closeNet()
  return sortAscending(latencies)
}

async function run (ctx: ScenarioContext): Promise<void> {
  const runs: number[][] = []
  for (let r = 0; r < RUNS && !ctx.signal.aborted; r++) {
    runs.push(await meshRun(ctx, r))
    ctx.note(`run ${r + 1}: p50 ${fmt(percentile(runs.at(-1)!, 0.5), 2)} ms, p99 ${fmt(percentile(runs.at(-1)!, 0.99), 2)} ms`)
  }
  const raw = await rawOneWayLatencies(MESSAGES)
  const p50s = runs.map(l => percentile(l, 0.5))
  const p99s = runs.map(l => percentile(l, 0.99))
  const [rawP50, rawP99] = [percentile(raw, 0.5), percentile(raw, 0.99)]
  const each = (xs: number[]): string => xs.map(x => fmt(x, 2)).join(' / ')
  ctx.report({ figure: `message latency, ${NODES}-node mesh in one process, ${MESSAGES} messages × ${NODES - 1} receivers, ${RUNS} runs: p50 of each`, value: `${each(p50s)} ms`, baseline: `raw TCP ${fmt(rawP50, 3)} ms`, ratio: ratioText(median(p50s), rawP50, 0) })
  ctx.report({ figure: `message latency, ${NODES}-node mesh in one process: p99 of each run`, value: `${each(p99s)} ms`, baseline: `raw TCP ${fmt(rawP99, 3)} ms`, ratio: ratioText(Math.max(...p99s), rawP99, 0), target: '< 10 ms in every run', met: met(p99s.every(p => p < 10)) })
}

export const meshLatency: Scenario = {
  name: 'mesh-latency',
  about: 'message latency p50/p99 in a 10-node mesh of nodes sharing this process, 3 runs',
  timeoutMs: 240_000,
  run
}
