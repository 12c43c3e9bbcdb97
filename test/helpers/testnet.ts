// A loopback BitChat network for integration tests: real trackers, real daemons in their own
// processes (or nodes in this one), real sockets. Everything it starts it also stops.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface, type Interface } from 'node:readline'
import type { BitChatEvents, EventName, MethodName, ParamsOf, ResultOf } from '../../core/api/contract.ts'
import { startNode, type BitChatNode } from '../../core/node/node.ts'
import { createLogger } from '../../core/log.ts'
import type { ConnectionTimings } from '../../core/connection/connection.ts'
import type { NodeOptions } from '../../core/node/options.ts'
import { startTrackerServer } from './tracker-server.ts'
import { waitUntil } from './wait.ts'

// Many tests take it from here, beside the testnet they wait on.
export { waitUntil }

// The command users run: it starts the compiled daemon when the build is fresh (`npm test` builds
// first), and the TypeScript sources otherwise, so one test file also runs without a build.
export const BITCHAT = path.resolve(import.meta.dirname, '../../bin/bitchat')

export function tempDir (prefix = 'bitchat-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export class RpcError extends Error {
  readonly rpcCode: number
  readonly code: string
  constructor (error: { code: number; message: string; data?: { code?: string } }) {
    super(error.message)
    this.rpcCode = error.code
    this.code = error.data?.code ?? ''
  }
}

export interface Notification<E extends EventName = EventName> { method: E; params: BitChatEvents[E] }

/** A `bitchat daemon` child process driven over JSON-RPC on its stdio, as a script would. */
export class DaemonProcess {
  readonly dataDir: string
  readonly name: string
  readonly notifications: Notification[] = []
  readonly stderr: string[] = []
  /** Called with each notification as it is read (the bench stamps arrival times with it). */
  onNotification: ((notification: Notification) => void) | null = null
  readonly #proc: ChildProcessWithoutNullStreams
  readonly #stdoutLines: Interface
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  readonly #exited: Promise<number | null>
  #exitCode: number | null | undefined = undefined
  #nextId = 1
  #killed = false

  /**
   * `openFiles` starts the daemon under these descriptor limits (prlimit execs it, so the pid is the daemon's).
   * `cli` is the command that runs the CLI (bin/bitchat unless given); `env` adds to the environment (undefined removes).
   */
  constructor (opts: { dataDir: string; name: string; args?: string[]; openFiles?: { soft: number; hard: number }; logLevel?: string; cli?: string[]; env?: Record<string, string | undefined> }) {
    this.dataDir = opts.dataDir
    this.name = opts.name
    const command = [...(opts.cli ?? [BITCHAT]), 'daemon', '--data-dir', opts.dataDir, '--name', opts.name, '--log-level', opts.logLevel ?? 'debug', ...(opts.args ?? [])]
    if (opts.openFiles !== undefined) command.unshift('prlimit', `--nofile=${opts.openFiles.soft}:${opts.openFiles.hard}`)
    this.#proc = spawn(command[0]!, command.slice(1), {
      stdio: 'pipe',
      // A test must see an escaped error crash the daemon, not the safety net log it away.
      env: { ...process.env, BITCHAT_STRICT_ERRORS: '1', ...opts.env }
    })
    this.#stdoutLines = createInterface({ input: this.#proc.stdout }).on('line', (line) => { this.#onLine(line) })
    createInterface({ input: this.#proc.stderr }).on('line', (line) => {
      this.stderr.push(line)
      if (process.env.BITCHAT_TEST_LOG === '1') process.stderr.write(`[${this.name}] ${line}\n`)
    })
    this.#proc.stdin.on('error', () => {})
    this.#exited = new Promise(resolve => this.#proc.once('exit', (code) => {
      this.#exitCode = code
      for (const p of this.#pending.values()) p.reject(new Error(`daemon ${this.name} exited with ${code}: ${this.stderr.slice(-5).join(' | ')}`))
      this.#pending.clear()
      resolve(code)
    }))
  }

  async call<M extends MethodName> (method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return await this.rawCall(method, params) as ResultOf<M>
  }

  /** Sends any request, valid or not, as a hostile script might. */
  async rawCall (method: string, params: unknown): Promise<unknown> {
    if (this.#exitCode !== undefined) throw new Error(`daemon ${this.name} has exited with ${this.#exitCode}: ${this.stderr.slice(-5).join(' | ')}`)
    const id = this.#nextId++
    const result = new Promise((resolve, reject) => { this.#pending.set(id, { resolve, reject }) })
    this.#proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n')
    return await result
  }

  get pid (): number {
    if (this.#proc.pid === undefined) throw new Error(`daemon ${this.name} did not start`)
    return this.#proc.pid
  }

  /** Sends the calls as one JSON-RPC batch; each settles with its own reply. */
  batch (calls: Array<{ method: string; params: unknown }>): Promise<Array<PromiseSettledResult<unknown>>> {
    const requests = calls.map(c => ({ jsonrpc: '2.0', id: this.#nextId++, method: c.method, params: c.params }))
    const replies = requests.map(r => new Promise((resolve, reject) => { this.#pending.set(r.id, { resolve, reject }) }))
    this.#proc.stdin.write(JSON.stringify(requests) + '\n')
    return Promise.allSettled(replies)
  }

  /** Writes raw bytes to the daemon's stdin. */
  writeRaw (text: string): void { this.#proc.stdin.write(text) }

  /** Stops reading the daemon's stdout, as a hung client would; what it writes piles up in the pipe. */
  stopReading (): void { this.#stdoutLines.pause() }

  resumeReading (): void { this.#stdoutLines.resume() }

  /** Each message of a `message.received` group comes out as its own, so a test finds a message whatever group it arrived in. */
  received<E extends EventName> (method: E): BitChatEvents[E][] {
    const params = this.notifications.filter(n => n.method === method).map(n => n.params as BitChatEvents[E])
    if (method !== 'message.received') return params
    return (params as Array<BitChatEvents['message.received']>).flatMap(({ more, ...first }) => [first, ...(more ?? [])]) as BitChatEvents[E][]
  }

  async waitFor<E extends EventName> (method: E, predicate: (p: BitChatEvents[E]) => boolean = () => true, timeoutMs = 10_000): Promise<BitChatEvents[E]> {
    return await waitUntil(() => this.received(method).find(predicate), timeoutMs, `${method} at ${this.name}`)
  }

  /** Ends the daemon the way a script does: closing its stdin. */
  async stop (): Promise<number | null> {
    this.#proc.stdin.end()
    const timer = setTimeout(() => this.#proc.kill('SIGKILL'), 10_000)
    const code = await this.#exited
    clearTimeout(timer)
    return code
  }

  kill (): void {
    this.#killed = true
    this.#proc.kill('SIGKILL')
  }

  #onLine (line: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      // A process killed in the middle of writing a line leaves that line cut short: nothing to read there.
      if (this.#killed) return
      throw new Error(`daemon ${this.name} wrote a non-JSON line to stdout: ${line.slice(0, 200)}`)
    }
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) this.#onMessage(message)
  }

  #onMessage (message: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string; data?: { code?: string } } }): void {
    if (message.id === undefined && typeof message.method === 'string') {
      const notification: Notification = { method: message.method as EventName, params: message.params as never }
      this.notifications.push(notification)
      this.onNotification?.(notification)
      return
    }
    const pending = typeof message.id === 'number' ? this.#pending.get(message.id) : undefined
    if (pending === undefined) return
    this.#pending.delete(message.id as number)
    if (message.error !== undefined) pending.reject(new RpcError(message.error))
    else pending.resolve(message.result)
  }
}

/** Session timings short enough that tests see timeouts and keepalives without waiting long. */
export const FAST_TIMINGS: ConnectionTimings = { handshakeTimeoutMs: 3_000, firstMessageMs: 2_000, connectTimeoutMs: 2_000, keepaliveMs: 1_000, deadAfterMs: 4_000 }

export interface Testnet {
  trackerUrl: string
  udpTrackerUrl: string
  /** Discovery is tracker-only, without port mapping, unless `discovery` gives the flags to use instead of `--no-dht --no-lan --no-port-mapping`. */
  daemon (name: string, opts?: { dataDir?: string; args?: string[]; discovery?: string[]; openFiles?: { soft: number; hard: number }; logLevel?: string; cli?: string[]; env?: Record<string, string | undefined> }): DaemonProcess
  node (name: string, opts?: { dataDir?: string; timings?: ConnectionTimings; dht?: NodeOptions['dht']; lan?: NodeOptions['lan']; acceptIncoming?: boolean }): Promise<BitChatNode>
  close (): Promise<void>
}

/** Starts a loopback tracker; daemons and nodes made through it are stopped by `close()`. */
export async function createTestnet (opts: { trackerInterval?: number } = {}): Promise<Testnet> {
  const tracker = await startTrackerServer({ interval: opts.trackerInterval ?? 2_000 })
  const daemons: DaemonProcess[] = []
  const nodes: BitChatNode[] = []
  return {
    trackerUrl: tracker.httpUrl,
    udpTrackerUrl: tracker.udpUrl,
    daemon (name, o = {}) {
      const d = new DaemonProcess({ dataDir: o.dataDir ?? tempDir(), name, openFiles: o.openFiles, logLevel: o.logLevel, cli: o.cli, env: o.env, args: ['--host', '127.0.0.1', ...(o.discovery ?? ['--no-dht', '--no-lan', '--no-port-mapping']), ...(o.args ?? [])] })
      daemons.push(d)
      return d
    },
    async node (name, o = {}) {
      const node = await startNode({
        dataDir: o.dataDir ?? tempDir(),
        name,
        host: '127.0.0.1',
        createIdentity: true,
        timings: o.timings,
        dht: o.dht ?? false,
        lan: o.lan ?? false,
        portMapping: false,
        ...(o.acceptIncoming === undefined ? {} : { acceptIncoming: o.acceptIncoming }),
        log: createLogger({ level: process.env.BITCHAT_TEST_LOG === '1' ? 'debug' : 'error', fields: { node: name } })
      })
      nodes.push(node)
      return node
    },
    async close () {
      await Promise.allSettled([...daemons.map(d => d.stop()), ...nodes.map(n => n.close())])
      await tracker.close()
    }
  }
}
