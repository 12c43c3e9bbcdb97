// Catch-up: a member who missed 1,000 / 10,000 / 100,000 messages joins; the time from
// `channels.join` until its store holds them all, next to verifying and storing the same messages
// with no network at all (the floor). Then the same in a 5-member channel (four holders, each with the
// whole history): the newcomer fetches a share from each, and what the holders wrote shows whether
// the history crossed once or four times. Every member is a daemon in its own process; the holders'
// history is written into their stores before they start (signing 100k messages through
// `messages.send` would take longer than the catch-up itself).
import { setTimeout as sleep } from 'node:timers/promises'
import { generateIdentity } from '../../../core/identity/identity.ts'
import { createTestnet, tempDir, type DaemonProcess } from '../../helpers/testnet.ts'
import { seedHistory, signHistory, StoredCounter, verifyAndStoreAlone } from '../../helpers/seeded-history.ts'
import { writtenBytes } from '../../helpers/proc.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met, once } from '../harness/scenario.ts'
import { fmt, ratioText } from '../harness/stats.ts'

const SIZES = [1_000, 10_000, 100_000]
/** The targets, in seconds, by holders and size; 1k alone has none of its own. */
const TARGET_S: Record<string, number> = { '1/10000': 2, '1/100000': 20, '4/10000': 5 }
/** How long a catch-up may take before the bench reports how far it got instead. */
const GIVE_UP_MS = 150_000
const POLL_MS = 100

interface CatchUp { count: number; ms: number; stored: number; complete: boolean; floorMs: number; holderBytes: number; historyBytes: number }

async function catchUp (ctx: ScenarioContext, count: number, holderCount: number): Promise<CatchUp> {
  const net = await createTestnet({ trackerInterval: 60_000 })
  const closeNet = once(() => net.close())
  ctx.defer(closeNet)
  const quiet = { logLevel: 'warn' }
  const dirs = Array.from({ length: holderCount }, (_, i) => tempDir(`bitchat-bench-holder-${i}-`))
  const first = net.daemon(`holder-0-${count}`, { ...quiet, dataDir: dirs[0] })
  const { uri, channelId } = await first.call('channels.create', { name: `catch-up ${count}`, trackers: [net.trackerUrl] })
  await first.stop()
  for (const [i, dir] of dirs.entries()) {
    if (i === 0) continue
    const d = net.daemon(`holder-${i}-${count}`, { ...quiet, dataDir: dir })
    await d.call('channels.join', { uri })
    await d.stop()
  }
  const raws = signHistory(channelId, generateIdentity(), count)
  for (const dir of dirs) seedHistory(dir, channelId, raws)
  const holders: DaemonProcess[] = dirs.map((dir, i) => net.daemon(`holder-${i}-${count}`, { ...quiet, dataDir: dir }))
  for (const h of holders) await h.call('channels.list', {})
  // Holders that know each other (their stores list each other's addresses) meet before the newcomer comes.
  while (holderCount > 1 && (await holders[0]!.call('peers.list', { channelId })).length < holderCount - 1 && !ctx.signal.aborted) await sleep(POLL_MS)

  const newcomerDir = tempDir('bitchat-bench-newcomer-')
  const newcomer = net.daemon(`newcomer-${count}`, { ...quiet, dataDir: newcomerDir })
  await newcomer.call('identity.status', {})
  const counter = new StoredCounter(newcomerDir)
  ctx.defer(() => { counter.close() })
  const written = (): number => holders.reduce((sum, h) => sum + writtenBytes(h.pid), 0)
  const writtenBefore = written()
  const start = performance.now()
  await newcomer.call('channels.join', { uri })
  let stored = 0
  let lastNote = start
  while (stored < count && performance.now() - start < GIVE_UP_MS && !ctx.signal.aborted) {
    await sleep(POLL_MS)
    stored = counter.count(channelId)
    if (performance.now() - lastNote > 10_000) {
      lastNote = performance.now()
      ctx.note(`${count} from ${holderCount}: ${stored.toLocaleString('en')} stored after ${fmt((lastNote - start) / 1000, 0)} s`)
    }
  }
  const ms = performance.now() - start
  // Let sends in flight and the check after a shared catch-up settle before counting what was written.
  await sleep(1_500)
  const holderBytes = written() - writtenBefore
  await closeNet()
  const floorMs = verifyAndStoreAlone(tempDir('bitchat-bench-floor-'), channelId, raws)
  const historyBytes = raws.reduce((sum, raw) => sum + raw.length, 0)
  return { count, ms, stored, complete: stored >= count, floorMs, holderBytes, historyBytes }
}

function report (ctx: ScenarioContext, r: CatchUp, holderCount: number): void {
  const n = r.count.toLocaleString('en')
  const target = TARGET_S[`${holderCount}/${r.count}`]
  const value = r.complete
    ? `${fmt(r.ms / 1000, 2)} s (${fmt(r.count / (r.ms / 1000), 0)} msg/s)`
    : `incomplete: ${r.stored.toLocaleString('en')} of ${n} after ${fmt(r.ms / 1000, 0)} s (${fmt(r.stored / (r.ms / 1000), 0)} msg/s)`
  const wrote = `${fmt(r.holderBytes / r.historyBytes, 2)}× the history`
  const members = holderCount === 1 ? `two daemons; the holder wrote ${wrote}` : `${holderCount + 1}-member channel, ${holderCount} holders; they wrote ${wrote}`
  ctx.report({
    figure: `catch-up: join → all of ${n} missed messages stored (${members})`,
    value,
    baseline: `verify + store alone ${fmt(r.floorMs / 1000, 2)} s`,
    ratio: r.complete ? ratioText(r.ms, r.floorMs, 1) : '',
    target: target === undefined ? '' : `< ${target} s`,
    met: target === undefined ? '' : met(r.complete && r.ms < target * 1000)
  })
}

async function run (ctx: ScenarioContext): Promise<void> {
  const results: CatchUp[] = []
  for (const count of SIZES) {
    if (ctx.signal.aborted) return
    const r = await catchUp(ctx, count, 1)
    results.push(r)
    report(ctx, r, 1)
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
  for (const count of [10_000, 100_000]) {
    if (ctx.signal.aborted) return
    report(ctx, await catchUp(ctx, count, 4), 4)
  }
}

export const catchUpScenario: Scenario = {
  name: 'catch-up',
  about: 'join → all of 1k / 10k / 100k missed messages stored from one holder, and 10k / 100k from four, vs verify + store alone',
  timeoutMs: 900_000,
  run
}
