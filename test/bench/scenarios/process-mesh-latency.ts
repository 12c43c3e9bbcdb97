// Message latency in a 20-process full mesh: each message sent at one peer, timed until each of the
// other 19 has told the bench about it. BitChat: 20 daemons in one channel, `messages.send` over
// JSON-RPC to the sender, `message.received` notifications from the receivers. Anchor: 20 hyperswarm
// peers on one topic, a "send" command on the sender's stdin, a JSON line from each receiver. Both
// sides pay the same two pipe hops between the bench and the peers.
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestnet } from '../../helpers/testnet.ts'
import { waitUntil } from '../../helpers/wait.ts'
import { HyperswarmPeerProcess } from '../anchor/hyperswarm-peers.ts'
import { startHyperTestnet } from '../anchor/loopback-swarm.ts'
import { startChannelDaemons } from '../bitchat/daemon-group.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met, once } from '../harness/scenario.ts'
import { fmt, percentile, ratioText, sortAscending } from '../harness/stats.ts'

const PEERS = 20
const MESSAGES = 200
const RECEIVERS = PEERS - 1
/** A pause between messages, so each one crosses an idle mesh as chat does. */
const GAP_MS = 5
const MESH_TIMEOUT_MS = 180_000

/** Sends MESSAGES one at a time from peer i % PEERS, each once the last reached every receiver (their arrivals land in `latencies`). */
async function probe (ctx: ScenarioContext, send: (from: number, text: string) => Promise<void>, latencies: number[], sentAt: Map<string, number>): Promise<void> {
  for (let i = 0; i < MESSAGES && !ctx.signal.aborted; i++) {
    const text = `latency probe ${i}`
    const before = latencies.length
    sentAt.set(text, performance.now())
    await send(i % PEERS, text)
    await waitUntil(() => latencies.length >= before + RECEIVERS, 10_000, `message ${i} at ${RECEIVERS} receivers (${latencies.length - before} so far)`)
    await sleep(GAP_MS)
  }
}

/** Records a receiver's arrival of `text` (anything not probed, or its own echo, is ignored). */
function arrival (sentAt: Map<string, number>, latencies: number[], text: string): void {
  const t = sentAt.get(text)
  if (t !== undefined) latencies.push(performance.now() - t)
}

async function bitchat (ctx: ScenarioContext): Promise<number[]> {
  const net = await createTestnet()
  const closeNet = once(() => net.close())
  ctx.defer(closeNet)
  const started = performance.now()
  const { daemons, channelId } = await startChannelDaemons(net, 'mesh', PEERS, { peersOf: () => RECEIVERS, timeoutMs: MESH_TIMEOUT_MS })
  ctx.note(`BitChat: ${PEERS} daemons in a full mesh after ${fmt((performance.now() - started) / 1000, 1)} s`)
  const latencies: number[] = []
  const sentAt = new Map<string, number>()
  for (const d of daemons) {
    d.onNotification = (n) => {
      if (n.method !== 'message.received') return
      const m = n.params as { text: string; own: boolean }
      if (!m.own) arrival(sentAt, latencies, m.text)
    }
  }
  await probe(ctx, async (from, text) => { await daemons[from]!.call('messages.send', { channelId, text }) }, latencies, sentAt)
  await closeNet()
  return sortAscending(latencies)
}

async function hyperswarm (ctx: ScenarioContext): Promise<number[]> {
  const testnet = await startHyperTestnet(10)
  ctx.defer(() => testnet.destroy())
  const topic = randomBytes(32).toString('hex')
  const started = performance.now()
  const peers = Array.from({ length: PEERS }, (_, i) => new HyperswarmPeerProcess(`mesh-${i}`, { bootstrap: testnet.bootstrap, topic, expect: RECEIVERS }))
  const stopAll = once(async () => { await Promise.all(peers.map(p => p.stop())) })
  ctx.defer(stopAll)
  await Promise.all(peers.map(p => p.waitForConnections(RECEIVERS, MESH_TIMEOUT_MS)))
  ctx.note(`hyperswarm: ${PEERS} peers in a full mesh after ${fmt((performance.now() - started) / 1000, 1)} s`)
  const latencies: number[] = []
  const sentAt = new Map<string, number>()
  for (const p of peers) p.onMessage = (text) => { arrival(sentAt, latencies, text) }
  await probe(ctx, async (from, text) => { peers[from]!.send({ cmd: 'send', text }) }, latencies, sentAt)
  await stopAll()
  return sortAscending(latencies)
}

async function run (ctx: ScenarioContext): Promise<void> {
  const ours = await bitchat(ctx)
  const anchor = await hyperswarm(ctx)
  const label = `message latency, ${PEERS}-process mesh, ${MESSAGES} messages × ${RECEIVERS} receivers, bench → sender → receivers → bench`
  for (const [p, name] of [[0.5, 'p50'], [0.99, 'p99']] as const) {
    const [o, a] = [percentile(ours, p), percentile(anchor, p)]
    ctx.report({
      figure: `${label}: ${name}`,
      value: `${fmt(o, 2)} ms`,
      baseline: `hyperswarm ${fmt(a, 2)} ms`,
      ratio: ratioText(o, a, 1),
      ...(name === 'p99' ? { target: '< 10 ms', met: met(o < 10) } : {})
    })
  }
}

export const processMeshLatency: Scenario = {
  name: 'process-mesh-latency',
  about: 'message latency p50/p99 in a 20-process mesh: 20 daemons vs 20 hyperswarm peers',
  timeoutMs: 480_000,
  run
}
