// Interoperability with independent software: libtorrent's DHT (python3-libtorrent, in a child
// process) and our DhtDiscovery find each other's announces through a loopback DHT.
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { DhtDiscovery } from '../../core/discovery/dht.ts'
import { silentLogger } from '../../core/log.ts'
import { boundSocket, startLoopbackDht, type LoopbackDht } from '../helpers/loopback-dht.ts'
import { nextEvent, waitUntil } from '../helpers/wait.ts'

// Debian's python3-libtorrent is built for the system Python, not for whatever `python3` is first on PATH.
const PYTHON = '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('./libtorrent_dht.py', import.meta.url))
const TIMEOUT_MS = 30_000

const infohash = (fill: number): Uint8Array => new Uint8Array(20).fill(fill)
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

interface LibtorrentEvent { event: string; [field: string]: unknown }

/** The python side: commands in, events out, one JSON object a line. */
class LibtorrentNode {
  readonly events: LibtorrentEvent[] = []
  readonly #proc: ChildProcessWithoutNullStreams
  #stderr = ''

  constructor () {
    this.#proc = spawn(PYTHON, [SCRIPT], { stdio: 'pipe' })
    createInterface({ input: this.#proc.stdout }).on('line', (line) => { this.events.push(JSON.parse(line) as LibtorrentEvent) })
    this.#proc.stderr.on('data', (chunk: Buffer) => { this.#stderr += chunk.toString() })
  }

  send (command: Record<string, unknown>): void {
    this.#proc.stdin.write(JSON.stringify(command) + '\n')
  }

  /** The first event (seen so far or to come) that `match` accepts. */
  async next (match: (e: LibtorrentEvent) => boolean, what: string, timeoutMs = TIMEOUT_MS): Promise<LibtorrentEvent> {
    try {
      return await waitUntil(() => {
        const found = this.events.find(match)
        if (found === undefined && this.#proc.exitCode !== null) throw new Error(`libtorrent exited before its ${what}`)
        return found
      }, timeoutMs, `libtorrent's ${what}`)
    } catch (err) {
      const errors = this.events.filter(e => e.event === 'error').map(e => String(e.message))
      throw new Error(`${(err as Error).message}; errors: ${JSON.stringify(errors)}; stderr: ${this.#stderr}`)
    }
  }

  async close (): Promise<void> {
    if (this.#proc.exitCode !== null) return
    const exited = once(this.#proc, 'exit')
    this.#proc.stdin.end()
    const timer = setTimeout(() => { this.#proc.kill() }, 5_000)
    await exited
    clearTimeout(timer)
  }
}

function requireLibtorrent (): void {
  const probe = spawnSync(PYTHON, ['-c', 'import libtorrent; print(libtorrent.__version__)'], { encoding: 'utf8' })
  if (probe.status !== 0) {
    assert.fail(`python3-libtorrent is required for the DHT interop tests but ${PYTHON} cannot import it ` +
      `(${(probe.error?.message ?? probe.stderr).trim().split('\n').at(-1)}): run \`apt-get install -y python3-libtorrent\``)
  }
}

async function setup (t: TestContext): Promise<{ net: LoopbackDht; libtorrent: LibtorrentNode; libtorrentPort: number; dht: DhtDiscovery; port: number }> {
  requireLibtorrent()
  const net = await startLoopbackDht(20)
  t.after(() => net.close())
  const libtorrent = new LibtorrentNode()
  t.after(() => libtorrent.close())
  libtorrent.send({ cmd: 'start', nodes: net.nodes.map(node => ['127.0.0.1', node.address().port]) })
  const started = await libtorrent.next(e => e.event === 'started', 'start')
  const libtorrentPort = Number(started.port)
  assert.ok(libtorrentPort > 0, 'libtorrent is not listening')
  const socket = await boundSocket()
  const dht = new DhtDiscovery({ socket, bootstrap: [net.bootstrap], log: silentLogger, announceIntervalMs: 1_000 })
  t.after(async () => { await dht.destroy(); socket.close() })
  await dht.start()
  return { net, libtorrent, libtorrentPort, dht, port: socket.address().port }
}

test('libtorrent\'s get_peers finds the port a DhtDiscovery announced', async (t) => {
  const { libtorrent, dht, port } = await setup(t)
  const ih = infohash(0xb1)
  dht.watch(ih)
  const isUs = (e: LibtorrentEvent): boolean => e.event === 'peers' && e.infohash === hex(ih) &&
    (e.peers as [string, number][]).some(([host, p]) => host === '127.0.0.1' && p === port)
  // A get_peers is one walk of the DHT: ask again until our announce has landed.
  const ask = (): void => { libtorrent.send({ cmd: 'get_peers', infohash: hex(ih) }) }
  ask()
  const asking = setInterval(ask, 1_000)
  try {
    await libtorrent.next(isUs, `peer 127.0.0.1:${port} in a get_peers reply`)
  } finally {
    clearInterval(asking)
  }
})

test('a DhtDiscovery finds the port libtorrent announced', async (t) => {
  const { libtorrent, libtorrentPort, dht } = await setup(t)
  const ih = infohash(0xb2)
  const found = nextEvent(dht, 'peer', p => p.port === libtorrentPort, TIMEOUT_MS)
  libtorrent.send({ cmd: 'add_torrent', infohash: hex(ih) })
  await libtorrent.next(e => e.event === 'added', 'torrent added')
  dht.watch(ih)
  assert.deepEqual(await found, [{ host: '127.0.0.1', port: libtorrentPort, infohash: hex(ih) }])
})
