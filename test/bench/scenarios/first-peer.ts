// `channels.join` → first connected peer through each discovery source alone, median of 5 fresh
// pairs of nodes (in this process).
import type { NodeOptions } from '../../../core/node/options.ts'
import { startLoopbackDht } from '../../helpers/loopback-dht.ts'
import { createTestnet, waitUntil, type Testnet } from '../../helpers/testnet.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met } from '../harness/scenario.ts'
import { fmt, median, spread } from '../harness/stats.ts'

const PAIRS = 5

type NodeDiscovery = Pick<NodeOptions, 'dht' | 'lan'>

/** Milliseconds from `channels.join` to the joiner's first connected peer, one sample per fresh pair. */
async function firstPeerTimes (net: Testnet, discovery: NodeDiscovery, trackers: string[], signal: AbortSignal): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < PAIRS && !signal.aborted; i++) {
    const a = await net.node(`a${i}`, discovery)
    const b = await net.node(`b${i}`, discovery)
    const { uri, channelId } = await a.api['channels.create']({ name: `bench ${i}`, trackers })
    let connectedAt = 0
    b.onEvent((event) => { if (event === 'peer.connected' && connectedAt === 0) connectedAt = performance.now() })
    const start = performance.now()
    await b.api['channels.join']({ uri })
    await waitUntil(() => connectedAt > 0, 10_000, 'first peer')
    samples.push(connectedAt - start)
    await b.api['channels.leave']({ channelId })
    await a.api['channels.leave']({ channelId })
  }
  return samples
}

async function run (ctx: ScenarioContext): Promise<void> {
  const net = await createTestnet({ trackerInterval: 60_000 })
  ctx.defer(() => net.close())
  const report = (label: string, samples: number[], targetMs: number): void => {
    const m = median(samples)
    ctx.report({ figure: `join → first peer (${label}), median of ${samples.length}`, value: `${fmt(m, 0)} ms (${spread(samples)})`, target: `< ${targetMs.toLocaleString('en')} ms`, met: met(m < targetMs) })
  }
  report('loopback tracker', await firstPeerTimes(net, {}, [net.trackerUrl], ctx.signal), 1000)
  const dht = await startLoopbackDht(20, { distinctHosts: true })
  ctx.defer(() => dht.close())
  report('20-node loopback DHT only', await firstPeerTimes(net, { dht: { bootstrap: [dht.bootstrap] } }, [], ctx.signal), 2000)
  report('LAN discovery only', await firstPeerTimes(net, { lan: { interfaceAddress: '127.0.0.1' } }, [], ctx.signal), 2000)
}

export const firstPeer: Scenario = {
  name: 'first-peer',
  about: 'join → first peer through a loopback tracker, a 20-node DHT, LAN discovery (median of 5 each)',
  timeoutMs: 180_000,
  run
}
