// File transfer (issue 12): a file moved by the transfer engine between two ConnectionPools on
// loopback TCP (both in this process, the received chunks hashed in the engine's thread), next to the
// same run's encrypted stream: one bulk stream on a connection between two other pools, as many
// bytes; and raw TCP under both. Resident memory is sampled during each transfer, for 100 MiB and
// for the large file, to show it does not grow with the file. BENCH_FILE_MIB sets the large size
// (1024 by default).
import fs from 'node:fs'
import { Priority } from '../../../core/connection/mux-stream.ts'
import type { Downloader } from '../../../core/transfer/downloader.ts'
import { FILE_STREAM_WINDOW } from '../../../core/transfer/file-stream.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met } from '../harness/scenario.ts'
import { fmt, ratioText } from '../harness/stats.ts'
import { pumpStream, rawThroughput } from '../links/socket-pair.ts'
import { link, member, offerOf, randomFile, sha256File, type Member, type MemberOptions } from '../../transfer/engine-net.ts'

const MiB = 1024 * 1024
const LARGE = Number(process.env.BENCH_FILE_MIB ?? 1024) * MiB
const SMALL = 100 * MiB
const TARGET_MIBS = 250
const TARGET_RATIO = 0.7
const RSS_SAMPLE_MS = 100

const mibPerSecond = (bytes: number, ms: number): number => bytes / MiB / (ms / 1000)

async function pair (ctx: ScenarioContext, onOtherStream?: MemberOptions['onOtherStream']): Promise<[Member, Member]> {
  const roster: string[] = []
  const sender = await member({ roster })
  const receiver = await member({ roster, ...(onOtherStream === undefined ? {} : { onOtherStream }) })
  ctx.defer(async () => {
    for (const m of [sender, receiver]) {
      await m.close()
      fs.rmSync(m.folder, { recursive: true, force: true })
    }
  })
  await link(receiver, sender)
  return [sender, receiver]
}

/** One transfer of `size` bytes: MiB/s from accepting to the file saved and checked, and the peak resident memory over the start. */
async function transfer (ctx: ScenarioContext, size: number): Promise<{ mibs: number; rssGrowth: number; rssPeak: number }> {
  const [sender, receiver] = await pair(ctx)
  const file = randomFile(sender.folder, 'bench.bin', size)
  const offer = await offerOf(file.path)
  await sender.transfers.share({ ...offer, path: file.path })
  global.gc?.()
  const before = process.memoryUsage().rss
  let peak = before
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, RSS_SAMPLE_MS)
  try {
    const start = performance.now()
    const downloader: Downloader = await receiver.transfers.startDownload({ manifest: offer.manifest, folder: receiver.folder })
    const saved = await new Promise<string>((resolve, reject) => {
      downloader.once('completed', resolve)
      downloader.once('failed', reject)
    })
    const ms = performance.now() - start
    clearInterval(sampler)
    if (await sha256File(saved) !== file.sha256) throw new Error('the file arrived altered')
    fs.rmSync(saved)
    fs.rmSync(file.path)
    return { mibs: mibPerSecond(size, ms), rssGrowth: peak - before, rssPeak: peak }
  } finally {
    clearInterval(sampler)
  }
}

/** MiB/s of `size` bytes in largest messages on one bulk stream of a connection between two pools: what the engine runs on. */
async function encryptedStream (ctx: ScenarioContext, size: number): Promise<number> {
  let received = 0
  let resolveDone = (): void => {}
  const done = new Promise<void>(resolve => { resolveDone = resolve })
  const [sender, receiver] = await pair(ctx, (connection, stream) => {
    stream.on('message', (m) => { received += m.length; if (received >= size) resolveDone() })
    connection.accept(stream, { priority: Priority.BULK, window: FILE_STREAM_WINDOW })
    return true
  })
  const stream = sender.pool.connectionTo(receiver.key)!.open('bench/bulk/1', new Uint8Array(0), { priority: Priority.BULK })
  await new Promise<void>(resolve => { stream.once('open', () => { resolve() }) })
  const start = performance.now()
  await pumpStream(stream, size)
  await done
  return mibPerSecond(size, performance.now() - start)
}

async function run (ctx: ScenarioContext): Promise<void> {
  const raw = await rawThroughput(LARGE)
  const stream = await encryptedStream(ctx, LARGE)
  ctx.note(`raw TCP ${fmt(raw, 0)} MiB/s, encrypted stream ${fmt(stream, 0)} MiB/s`)
  const large = await transfer(ctx, LARGE)
  ctx.note(`${LARGE / MiB} MiB file: ${fmt(large.mibs, 0)} MiB/s`)
  const small = await transfer(ctx, SMALL)
  const mib = (n: number): string => `${fmt(n / MiB, 0)} MiB`
  ctx.report({
    figure: `file transfer, ${LARGE / MiB} MiB between two pools on loopback TCP (one process), saved and checked`,
    value: `${fmt(large.mibs, 0)} MiB/s`,
    baseline: `encrypted stream ${fmt(stream, 0)} MiB/s; raw TCP ${fmt(raw, 0)} MiB/s`,
    ratio: ratioText(large.mibs, stream),
    target: `≥ ${TARGET_MIBS} MiB/s and ≥ ${TARGET_RATIO}×`,
    met: met(large.mibs >= TARGET_MIBS && large.mibs >= TARGET_RATIO * stream)
  })
  ctx.report({
    figure: 'resident memory during a file transfer (both ends), growth over the start: 100 MiB vs the large file',
    value: `${mib(large.rssGrowth)} for ${LARGE / MiB} MiB (peak ${mib(large.rssPeak)})`,
    baseline: `${mib(small.rssGrowth)} for 100 MiB (peak ${mib(small.rssPeak)}), ${fmt(small.mibs, 0)} MiB/s`,
    ratio: ratioText(large.rssGrowth, Math.max(small.rssGrowth, 1)),
    target: 'flat',
    met: met(large.rssGrowth <= small.rssGrowth + 64 * MiB)
  })
}

export const fileTransfer: Scenario = {
  name: 'file-transfer',
  about: 'file transfer through the engine between two pools on loopback TCP vs the encrypted stream, and its memory',
  timeoutMs: 600_000,
  run
}
