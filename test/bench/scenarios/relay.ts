// Relay throughput as a fraction of direct (issue 11): one bulk stream on a relayed Connection from
// Alice to Bob (through a relay joined to both by loopback TCP, core's RelayClient, RelayService and
// RelayAcceptor) next to a direct Connection between the same two over loopback TCP, in the same
// run. The relay as shipped holds a circuit to RELAY_LIMITS.bytesPerSecondPerCircuit (both
// directions together), so that path is measured once past the cap's one-second burst; lifted (the
// RelayService's `limits` option) it shows what the relay path itself can carry. All three ends
// share this thread. Runs alternate; medians of 3.
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { fmt, median, ratioText, spread } from '../harness/stats.ts'
import { RELAY_LIMITS, type RelayLimits } from '../../../core/relay/relay-limits.ts'
import { bulkStreamThroughput } from '../links/connection-pair.ts'
import { relayBench, type Ends } from '../links/relay-circuit.ts'

const TOTAL = 32 * 1024 * 1024
const RUNS = 3
/** Past the capped circuit's burst (a second's worth), then this much at the cap: ~3 s. */
const CAPPED_WARMUP = 2 * RELAY_LIMITS.bytesPerSecondPerCircuit
const CAPPED_TOTAL = CAPPED_WARMUP + 3 * RELAY_LIMITS.bytesPerSecondPerCircuit
const LIFTED: RelayLimits = { ...RELAY_LIMITS, bytesPerSecondPerCircuit: Number.MAX_SAFE_INTEGER, bytesPerSecond: Number.MAX_SAFE_INTEGER }

async function measure (ends: Promise<Ends>, total: number, warmup = 0): Promise<number> {
  const { a, b } = await ends
  return await bulkStreamThroughput(a, b, total, warmup)
}

async function run (ctx: ScenarioContext): Promise<void> {
  const bench = await relayBench()
  ctx.defer(() => bench.close())
  const runs = { direct: [] as number[], lifted: [] as number[] }
  for (let i = 0; i < RUNS && !ctx.signal.aborted; i++) {
    runs.direct.push(await measure(bench.direct(), TOTAL))
    runs.lifted.push(await measure(bench.relayed(LIFTED), TOTAL))
    ctx.note(`run ${i + 1}: relayed (cap lifted) ${fmt(runs.lifted.at(-1)!, 0)} vs direct ${fmt(runs.direct.at(-1)!, 0)} MiB/s`)
  }
  const capped = await measure(bench.relayed(RELAY_LIMITS), CAPPED_TOTAL, CAPPED_WARMUP)
  const direct = median(runs.direct)
  const lifted = median(runs.lifted)
  const cap = RELAY_LIMITS.bytesPerSecondPerCircuit / 1024
  ctx.report({
    figure: `relayed vs direct: one bulk stream, 32 MiB, relay's per-circuit cap lifted, three ends in one thread over loopback TCP, median of ${RUNS}`,
    value: `${fmt(lifted, 0)} MiB/s (${spread(runs.lifted)})`,
    baseline: `direct ${fmt(direct, 0)} MiB/s (${spread(runs.direct)})`,
    ratio: ratioText(lifted, direct)
  })
  ctx.report({
    figure: `relayed vs direct, the relay's limits as shipped (${fmt(cap, 0)} KiB/s a circuit, both ways together), past its 1 s burst`,
    value: `${fmt(capped * 1024, 0)} KiB/s`,
    baseline: `direct ${fmt(direct, 0)} MiB/s`,
    ratio: ratioText(capped, direct, 4)
  })
}

export const relay: Scenario = {
  name: 'relay',
  about: 'relayed Connection vs direct over loopback TCP: the relay\'s cap lifted, and as shipped',
  timeoutMs: 120_000,
  run
}
