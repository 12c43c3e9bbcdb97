// `npm start`: builds the renderer, then opens the desktop app. Where Electron cannot run (no
// binary, no display) it says why and serves the same UI from the daemon's web server instead.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { missingDisplayReason, webDataDir } from './launch-plan.ts'
import { relayDaemonOutput } from './web-fallback-output.ts'
import { isLogLevel } from '../core/log.ts'

const root = path.resolve(import.meta.dirname, '..')
/** An Electron that dies this soon after launch did not start at all (missing libraries, no GPU). */
const STARTUP_GRACE_MS = 5000

function say (line: string): void {
  process.stderr.write(`bitchat: ${line}\n`)
}

function runScript (name: string): void {
  const npmCli = process.env.npm_execpath
  const [command, args] = npmCli !== undefined && npmCli !== '' ? [process.execPath, [npmCli, 'run', name]] : ['npm', ['run', name]]
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (run.status !== 0) {
    say(`\`npm run ${name}\` failed${run.error === undefined ? '' : `: ${run.error.message}`}`)
    process.exit(run.status ?? 1)
  }
}

function electronBinary (): { path: string } | { reason: string } {
  try {
    const found: unknown = createRequire(path.join(root, 'package.json'))('electron')
    return typeof found === 'string' ? { path: found } : { reason: 'the electron package did not name a binary' }
  } catch (err) {
    return { reason: `the Electron binary is not installed and could not be downloaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)})` }
  }
}

/** Resolves to the exit code of an Electron that ran, or to the reason it could not start. */
function launchElectron (binary: string): Promise<{ code: number } | { reason: string }> {
  return new Promise(resolve => {
    const started = Date.now()
    const child = spawn(binary, [root], { cwd: root, stdio: 'inherit' })
    child.once('error', err => { resolve({ reason: `Electron could not be started (${err.message})` }) })
    child.once('exit', (code, signal) => {
      const status = code ?? (signal === null ? 1 : 128)
      if (status !== 0 && Date.now() - started < STARTUP_GRACE_MS) resolve({ reason: `Electron exited at startup with status ${status}` })
      else resolve({ code: status })
    })
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { child.kill(signal) })
  })
}

function runWebUi (): Promise<number> {
  const dataDir = webDataDir(process.env, homedir())
  mkdirSync(dataDir, { recursive: true })
  say(`starting the daemon with the web UI instead (data in ${dataDir})`)
  // Warnings only, so the address is the last thing on the screen; BITCHAT_LOG_LEVEL asks for more.
  const asked = process.env.BITCHAT_LOG_LEVEL
  const logLevel = isLogLevel(asked) ? asked : 'warn'
  return new Promise(resolve => {
    // stdin stays open (the daemon stops when it ends); stdout is the daemon's JSON-RPC, not for people.
    const child = spawn(process.execPath, [path.join(root, 'core', 'daemon', 'cli.ts'), 'daemon', '--data-dir', dataDir, '--web', '--ask-identity', '--log-level', logLevel],
      { cwd: root, stdio: ['pipe', 'ignore', 'pipe'] })
    createInterface({ input: child.stderr }).on('line', relayDaemonOutput(line => { process.stderr.write(line + '\n') }))
    // Ctrl+C reaches the daemon too (same process group); we wait for it to close the node.
    process.on('SIGINT', () => {})
    process.on('SIGTERM', () => { child.kill('SIGTERM') })
    child.once('error', err => { say(`the daemon could not start: ${err.message}`); resolve(1) })
    child.once('exit', code => { resolve(code ?? 0) })
  })
}

async function main (): Promise<number> {
  runScript('build:renderer')
  const noDisplay = missingDisplayReason(process.platform, process.env)
  if (noDisplay !== null) {
    say(`cannot open the desktop app: ${noDisplay}`)
    return await runWebUi()
  }
  const binary = electronBinary()
  if ('reason' in binary) {
    say(`cannot open the desktop app: ${binary.reason}`)
    return await runWebUi()
  }
  runScript('build:electron')
  const outcome = await launchElectron(binary.path)
  if ('code' in outcome) return outcome.code
  say(`cannot open the desktop app: ${outcome.reason}`)
  return await runWebUi()
}

process.exit(await main())
