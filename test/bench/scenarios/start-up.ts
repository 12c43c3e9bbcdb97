// Daemon start-up and idle footprint: `bin/bitchat daemon` spawned as a user would, ready at its
// first JSON-RPC answer (the request is written at spawn; it is read once the node has started),
// median of 5 restarts on one data folder; its resident memory once idle. Anchors: the same Node
// started bare (`node -e` answering one line), and an idle hyperswarm peer (plain JavaScript, its
// topic joined on a loopback hyperdht).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { MIB, residentBytes } from '../../helpers/proc.ts'
import { tempDir } from '../../helpers/testnet.ts'
import { LOOPBACK, startHyperTestnet } from '../anchor/loopback-swarm.ts'
import type { Scenario, ScenarioContext } from '../harness/scenario.ts'
import { met, once } from '../harness/scenario.ts'
import { fmt, median, ratioText, spread } from '../harness/stats.ts'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const BITCHAT = path.join(ROOT, 'bin', 'bitchat')
const RESTARTS = 5
/** How long a started process is left alone before its memory counts as idle. */
const SETTLE_MS = 5_000
const READY_TIMEOUT_MS = 30_000
const REQUEST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'identity.status', params: {} }) + '\n'

/** Answers one line with the same line: the least a process that reads requests can do. */
const BARE = "require('node:readline').createInterface({ input: process.stdin }).once('line', (l) => { process.stdout.write(l + '\\n') })"

/** An idle hyperswarm peer in plain JavaScript: joins the topic, says "ready" once announced, leaves at the end of stdin. */
const HYPERSWARM_IDLE = `
const Hyperswarm = require('hyperswarm'); const DHT = require('hyperdht')
const { bootstrap, topic, host } = JSON.parse(process.argv[1])
const swarm = new Hyperswarm({ dht: new DHT({ bootstrap, host }) })
swarm.join(Buffer.from(topic, 'hex')).flushed().then(() => { process.stdout.write('ready\\n') })
process.stdin.on('end', () => { swarm.destroy().then(() => process.exit(0)) }).resume()
`

interface Started { proc: ChildProcessWithoutNullStreams; readyMs: number; stop (): Promise<void> }

/** Spawns `command`, writes `input` at once, and resolves at its first stdout line. */
async function startUntilFirstLine (command: string, args: string[], input: string): Promise<Started> {
  const start = performance.now()
  const proc = spawn(command, args, { cwd: ROOT, stdio: 'pipe' })
  const stderr: string[] = []
  createInterface({ input: proc.stderr }).on('line', (line) => { stderr.push(line) })
  const exited = new Promise<void>(resolve => proc.once('exit', () => { resolve() }))
  proc.stdin.on('error', () => {})
  proc.stdin.write(input)
  const firstLine = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`${path.basename(command)} not ready after ${READY_TIMEOUT_MS / 1000} s: ${stderr.slice(-3).join(' | ')}`)) }, READY_TIMEOUT_MS)
    createInterface({ input: proc.stdout }).once('line', () => { clearTimeout(timer); resolve() })
    void exited.then(() => { clearTimeout(timer); reject(new Error(`${path.basename(command)} exited before answering: ${stderr.slice(-3).join(' | ')}`)) })
  })
  const stop = once(async () => {
    proc.stdin.end()
    const timer = setTimeout(() => { proc.kill('SIGKILL') }, 10_000)
    await exited
    clearTimeout(timer)
  })
  try {
    await firstLine
  } catch (err) {
    proc.kill('SIGKILL')
    throw err
  }
  return { proc, readyMs: performance.now() - start, stop }
}

const daemonArgs = (dataDir: string): string[] => ['daemon', '--data-dir', dataDir, '--host', LOOPBACK, '--no-dht', '--no-lan', '--log-level', 'warn']

async function idleRssMiB (started: Started): Promise<number> {
  await sleep(SETTLE_MS)
  return residentBytes(started.proc.pid!) / MIB
}

async function run (ctx: ScenarioContext): Promise<void> {
  const dataDir = tempDir('bitchat-bench-start-')
  const first = await startUntilFirstLine(BITCHAT, daemonArgs(dataDir), REQUEST)
  ctx.defer(first.stop)
  await first.stop()
  const daemon: number[] = []
  const bare: number[] = []
  let daemonRss = NaN
  for (let i = 0; i < RESTARTS && !ctx.signal.aborted; i++) {
    const b = await startUntilFirstLine(process.execPath, ['-e', BARE], REQUEST)
    bare.push(b.readyMs)
    await b.stop()
    const d = await startUntilFirstLine(BITCHAT, daemonArgs(dataDir), REQUEST)
    ctx.defer(d.stop)
    daemon.push(d.readyMs)
    if (i === RESTARTS - 1) daemonRss = await idleRssMiB(d)
    await d.stop()
  }
  const bareRss = await (async () => {
    const b = await startUntilFirstLine(process.execPath, ['-e', BARE], REQUEST)
    ctx.defer(b.stop)
    const rss = await idleRssMiB(b)
    await b.stop()
    return rss
  })()
  const testnet = await startHyperTestnet(3)
  ctx.defer(() => testnet.destroy())
  const swarm = await startUntilFirstLine(process.execPath, ['-e', HYPERSWARM_IDLE, JSON.stringify({ bootstrap: testnet.bootstrap, topic: randomBytes(32).toString('hex'), host: LOOPBACK })], '')
  ctx.defer(swarm.stop)
  const swarmRss = await idleRssMiB(swarm)
  await swarm.stop()

  const [d, b] = [median(daemon), median(bare)]
  ctx.report({
    figure: `daemon start → ready (bin/bitchat daemon, first JSON-RPC answer), median of ${RESTARTS} restarts; first start ${fmt(first.readyMs, 0)} ms`,
    value: `${fmt(d, 0)} ms (${spread(daemon)})`,
    baseline: `bare node -e answering a line ${fmt(b, 0)} ms (${spread(bare)})`,
    ratio: ratioText(d, b, 1),
    target: '< 150 ms',
    met: met(d < 150)
  })
  ctx.report({
    figure: `idle daemon RSS, ${SETTLE_MS / 1000} s after ready, no channel`,
    value: `${fmt(daemonRss, 0)} MiB`,
    baseline: `idle hyperswarm peer, topic joined ${fmt(swarmRss, 0)} MiB; bare node ${fmt(bareRss, 0)} MiB`,
    ratio: ratioText(daemonRss, swarmRss, 1),
    target: '< 90 MiB',
    met: met(daemonRss < 90)
  })
}

export const startUp: Scenario = {
  name: 'start-up',
  about: 'daemon start → ready and idle RSS vs a bare node start and an idle hyperswarm peer',
  timeoutMs: 240_000,
  run
}
