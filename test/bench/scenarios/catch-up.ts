// Catch-up: a member who missed 1,000 / 10,000 / 100,000 messages joins; the time from
// `channels.join` until its store holds them all, next to verifying and storing the same messages
// with no network at all (the floor). Holder and newcomer are daemons, each in its own process; the
// holder's history is written into its store before it starts (signing 100k messages through
// `messages.send` would take longer than the catch-up itself).
import { setTimeout as sleep } from 'node:timers/promises'
import { generateIdentity } from '../../../core/identity/identity.ts'
import { createTestnet, tempDir } from '../../helpers/testnet.ts'
import { seedHistory, signHistory, StoredCounter, verifyAndStoreAlone } from '../../helpers/seeded-history.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met, once } from '../harness/scenario.ts'
import { fmt, ratioText } from '../harness/stats.ts'

const SIZES = [1_000, 10_000, 100_000]
/** The targets, in seconds; 1k has none of its own. */
const TARGET_S: Record<number, number> = { 10_000: 2, 100_000: 20 }
/** How long a catch-up may take before the bench reports how far it got instead. */
const GIVE_UP_MS = 150_000
const POLL_MS = 100

interface CatchUp { count: number; ms: number; stored: number; complete: boolean; floorMs: number }

async function catchUp (ctx: ScenarioContext, count: number): Promise<CatchUp> {
  const net = await createTestnet({ trackerInterval: 60_000 })
  const closeNet = once(() => net.close())
  ctx.defer(closeNet)
  const holderDir = tempDir('bitchat-bench-holder-')
  const quiet = { logLevel: 'warn' }
  let holder = net.daemon(`holder-${count}`, { ...quiet, dataDir: holderDir })
  const { uri, channelId } = await holder.call('channels.create', { name: `catch-up ${count}`, trackers: [net.trackerUrl] })
  await holder.stop()
  const raws = signHistory(channelId, generateIdentity(), count)
  seedHistory(holderDir, channelId, raws)
  holder = net.daemon(`holder-${count}`, { ...quiet, dataDir: holderDir })
  await holder.call('channels.list', {})

  const newcomerDir = tempDir('bitchat-bench-newcomer-')
  const newcomer = net.daemon(`newcomer-${count}`, { ...quiet, dataDir: newcomerDir })
  await newcomer.call('identity.status', {})
  const counter = new StoredCounter(newcomerDir)
  ctx.defer(() => { counter.close() })
  const start = performance.now()
  await newcomer.call('channels.join', { uri })
  let stored = 0
  let lastNote = start
  while (stored < count && performance.now() - start < GIVE_UP_MS && !ctx.signal.aborted) {
    await sleep(POLL_MS)
    stored = counter.count(channelId)
    if (performance.now() - lastNote > 10_000) {
      lastNote = performance.now()
      ctx.note(`${count}: ${stored.toLocaleString('en')} stored after ${fmt((lastNote - start) / 1000, 0)} s`)
    }
  }
  const ms = performance.now() - start
  await closeNet()
  const floorMs = verifyAndStoreAlone(tempDir('bitchat-bench-floor-'), channelId, raws)
  return { count, ms, stored, complete: stored >= count, floorMs }
}

async function run (ctx: ScenarioContext): Promise<void> {
  const results: CatchUp[] = []
  for (const count of SIZES) {
    if (ctx.signal.aborted) return
    const r = await catchUp(ctx, count)
    results.push(r)
    const n = count.toLocaleString('en')
    const target = TARGET_S[count]
    const value = r.complete
      ? `${fmt(r.ms / 1000, 2)} s (${fmt(count / (r.ms / 1000), 0)} msg/s)`
      : `incomplete: ${r.stored.toLocaleString('en')} of ${n} after ${fmt(r.ms / 1000, 0)} s (${fmt(r.stored / (r.ms / 1000), 0)} msg/s)`
    ctx.report({
      figure: `catch-up: join → all of ${n} missed messages stored (two daemons)`,
      value,
      baseline: `verify + store alone ${fmt(r.floorMs / 1000, 2)} s`,
      ratio: r.complete ? ratioText(r.ms, r.floorMs, 1) : '',
      target: target === undefined ? '' : `< ${target} s`,
      met: target === undefined ? '' : met(r.complete && r.ms < target * 1000)
    })
  }
  // Linear means the same time per message at every size: history size must not slow receiving down.
  const perThousand = results.map(r => r.complete ? r.ms / (r.count / 1000) : NaN)
  const [at10k, at100k] = [perThousand[1] ?? NaN, perThousand[2] ?? NaN]
  ctx.report({
    figure: 'catch-up curve: ms per 1,000 messages at 1k / 10k / 100k',
    value: perThousand.map(ms => Number.isNaN(ms) ? 'incomplete' : fmt(ms, 0)).join(' / '),
    baseline: `floor ${results.map(r => fmt(r.floorMs / (r.count / 1000), 0)).join(' / ')}`,
    ratio: ratioText(at100k, at10k, 1),
    target: 'roughly linear (100k ≤ 1.5× 10k per message)',
    met: met(at100k <= 1.5 * at10k)
  })
}

export const catchUpScenario: Scenario = {
  name: 'catch-up',
  about: 'join → all of 1k / 10k / 100k missed messages stored, two daemons, vs verify + store alone',
  timeoutMs: 600_000,
  run
}
