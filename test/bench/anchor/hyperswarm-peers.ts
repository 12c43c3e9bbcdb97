// The bench's side of anchor/hyperswarm-peer.ts: spawns a hyperswarm peer as a process of its own,
// reads what it prints, and drives it with commands. Everything it starts, `stop()` ends.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { waitUntil } from '../../helpers/wait.ts'
import type { PeerCommand, PeerConfig, PeerLine } from './hyperswarm-peer.ts'

const PEER = new URL('./hyperswarm-peer.ts', import.meta.url).pathname

export class HyperswarmPeerProcess {
  readonly name: string
  connections = 0
  /** Messages it has printed. */
  received = 0
  /** Called with each message line as it is read (the bench stamps arrival times with it). */
  onMessage: ((text: string) => void) | null = null
  readonly #proc: ChildProcessWithoutNullStreams
  readonly #stderr: string[] = []
  readonly #exited: Promise<void>
  #sent: ((count: number) => void) | null = null

  constructor (name: string, config: PeerConfig, env: Record<string, string> = {}) {
    this.name = name
    this.#proc = spawn(process.execPath, [PEER, JSON.stringify(config)], { stdio: 'pipe', env: { ...process.env, ...env } })
    this.#proc.stdin.on('error', () => {})
    createInterface({ input: this.#proc.stdout }).on('line', (line) => { this.#onLine(JSON.parse(line) as PeerLine) })
    createInterface({ input: this.#proc.stderr }).on('line', (line) => { this.#stderr.push(line) })
    this.#exited = new Promise(resolve => this.#proc.once('exit', () => { resolve() }))
  }

  get pid (): number {
    if (this.#proc.pid === undefined) throw new Error(`hyperswarm peer ${this.name} did not start`)
    return this.#proc.pid
  }

  send (command: PeerCommand): void { this.#proc.stdin.write(JSON.stringify(command) + '\n') }

  /** Sends `count` messages to each of its connections; resolves once it has written them all. */
  async burst (count: number, text: string): Promise<void> {
    const sent = new Promise<void>(resolve => { this.#sent = () => { resolve() } })
    this.send({ cmd: 'burst', count, text })
    await sent
  }

  async waitForConnections (count: number, timeoutMs: number): Promise<void> {
    await waitUntil(() => this.connections >= count, timeoutMs, `${count} hyperswarm connections at ${this.name} (has ${this.connections}${this.#stderr.length > 0 ? `; stderr: ${this.#stderr.slice(-3).join(' | ')}` : ''})`)
  }

  /** Asks it to leave the swarm and exit; kills it if it has not after 5 s. */
  async stop (): Promise<void> {
    this.send({ cmd: 'stop' })
    this.#proc.stdin.end()
    const timer = setTimeout(() => { this.#proc.kill('SIGKILL') }, 5000)
    await this.#exited
    clearTimeout(timer)
  }

  #onLine (line: PeerLine): void {
    if (line.type === 'connections') this.connections = line.count
    else if (line.type === 'sent') this.#sent?.(line.count)
    else {
      this.received++
      this.onMessage?.(line.text)
    }
  }
}
