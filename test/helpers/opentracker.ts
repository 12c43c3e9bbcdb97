// A real, independent BitTorrent tracker for interop tests: Debian's opentracker on loopback,
// with its own throwaway root directory and whitelist. CI installs it (`apt-get install -y opentracker`).
import { spawn, type ChildProcess } from 'node:child_process'
import dgram from 'node:dgram'
import { once } from 'node:events'
import fs from 'node:fs'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { tempDir } from './testnet.ts'
import { waitUntil } from './wait.ts'

const OPENTRACKER_PATH = '/usr/bin/opentracker'

const INFOHASH_HEX = /^[0-9a-f]{40}$/
const START_ATTEMPTS = 5
const READY_TIMEOUT_MS = 5_000
const ALLOW_TIMEOUT_MS = 5_000
const STOP_TIMEOUT_MS = 2_000
// The whitelist is given relative to the root directory: as root, opentracker reads it before
// chrooting (relative to its working directory, which we set to the root directory) and after
// (relative to the chroot); as any other user it only chdirs there. Either way it is one file.
const WHITELIST_NAME = 'whitelist.txt'

export interface Opentracker {
  readonly port: number
  /** `http://127.0.0.1:PORT/announce` */
  readonly httpUrl: string
  /** `udp://127.0.0.1:PORT` */
  readonly udpUrl: string
  /** Everything opentracker wrote to stdout and stderr so far. */
  output (): string
  /** Whitelists an infohash (40 lowercase hex characters) and resolves once the tracker accepts announces for it. */
  allow (infohashHex: string): Promise<void>
  close (): Promise<void>
}

/** Fails with what to install, instead of a spawn ENOENT later. */
function assertOpentrackerInstalled (): void {
  if (!fs.existsSync(OPENTRACKER_PATH)) {
    throw new Error(`opentracker interop tests need ${OPENTRACKER_PATH}; install Debian's package with \`apt-get install -y opentracker\``)
  }
}

/**
 * Starts opentracker on a free loopback port (TCP and UDP alike) with an empty whitelist.
 * Debian builds it whitelist-only: announces for an infohash are refused until `allow()`.
 */
export async function startOpentracker (): Promise<Opentracker> {
  assertOpentrackerInstalled()
  const rootDir = tempDir('bitchat-opentracker-')
  // Run as root, opentracker drops to `nobody`, which must still read its root and whitelist.
  fs.chmodSync(rootDir, 0o755)
  const whitelist = path.join(rootDir, WHITELIST_NAME)
  fs.writeFileSync(whitelist, '', { mode: 0o644 })
  let lastFailure = ''
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freeTcpAndUdpPort()
    const conf = path.join(rootDir, 'opentracker.conf')
    fs.writeFileSync(conf, [
      `listen.tcp_udp 127.0.0.1:${port}`,
      `access.whitelist ${WHITELIST_NAME}`,
      `tracker.rootdir ${rootDir}`,
      'tracker.user nobody',
      ''
    ].join('\n'), { mode: 0o644 })
    const proc = new TrackerProcess(conf, rootDir)
    const httpUrl = `http://127.0.0.1:${port}/announce`
    try {
      await waitForAnswer(proc, httpUrl)
    } catch (err) {
      await proc.stop()
      // Another socket took the port between our check and opentracker's bind: pick another.
      lastFailure = `${(err as Error).message}; opentracker said: ${proc.output.trim()}`
      continue
    }
    return {
      port,
      httpUrl,
      udpUrl: `udp://127.0.0.1:${port}`,
      output: () => proc.output,
      async allow (infohashHex) {
        checkInfohashHex(infohashHex)
        fs.appendFileSync(whitelist, infohashHex + '\n')
        // opentracker rereads its whitelist on SIGHUP, in its own thread: poll until the reload is done.
        proc.reloadWhitelist()
        try {
          await waitUntil(async () => {
            if (await probeAccepted(httpUrl, infohashHex)) return true
            if (proc.ended) throw new Error('opentracker exited')
            return false
          }, ALLOW_TIMEOUT_MS, `opentracker to accept ${infohashHex} after SIGHUP`)
        } catch (err) {
          throw new Error(`${(err as Error).message}: ${proc.output.trim()}`)
        }
      },
      async close () {
        await proc.stop()
        fs.rmSync(rootDir, { recursive: true, force: true })
      }
    }
  }
  fs.rmSync(rootDir, { recursive: true, force: true })
  throw new Error(`opentracker did not start in ${START_ATTEMPTS} attempts: ${lastFailure}`)
}

function checkInfohashHex (hex: string): void {
  if (!INFOHASH_HEX.test(hex)) throw new RangeError(`an infohash is 40 lowercase hex characters, not ${JSON.stringify(hex)}`)
}

/** A port nothing listens on for either TCP or UDP on 127.0.0.1, as opentracker needs both. */
async function freeTcpAndUdpPort (): Promise<number> {
  for (;;) {
    const server = net.createServer().listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    const socket = dgram.createSocket('udp4')
    const udpFree = await new Promise<boolean>(resolve => {
      socket.once('error', () => { resolve(false) })
      socket.bind(port, '127.0.0.1', () => { resolve(true) })
    })
    socket.close()
    await new Promise(resolve => server.close(resolve))
    if (udpFree) return port
  }
}

/** Resolves once the tracker answers an announce with bencode (a refusal counts: the tracker is up). */
async function waitForAnswer (proc: TrackerProcess, httpUrl: string): Promise<void> {
  await waitUntil(async () => {
    if (proc.ended) throw new Error('opentracker exited')
    const body = await announce(httpUrl, '00'.repeat(20), '&numwant=0').catch(() => null)
    return body?.startsWith('d') === true
  }, READY_TIMEOUT_MS, `opentracker to answer on ${httpUrl}`)
}

/**
 * Whether the tracker accepts announces for the infohash. Only a real announce tells (scrapes and
 * `stopped` announces are answered alike either way), so the probe joins the swarm as a seed on
 * port 0, which announcers discard, and leaves it again at once.
 */
async function probeAccepted (httpUrl: string, infohashHex: string): Promise<boolean> {
  const body = await announce(httpUrl, infohashHex, '&numwant=0')
  if (body.includes('failure reason')) return false
  await announce(httpUrl, infohashHex, '&numwant=0&event=stopped')
  return true
}

async function announce (httpUrl: string, infohashHex: string, extra: string): Promise<string> {
  const infohash = infohashHex.replace(/../g, '%$&')
  const url = `${httpUrl}?info_hash=${infohash}&peer_id=-XX0000-opentrkprobe&port=0&uploaded=0&downloaded=0&left=0&compact=1${extra}`
  return await new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 1_000 }, (res) => {
      let body = ''
      res.setEncoding('latin1')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve(body) })
      res.on('error', reject)
    })
    req.on('timeout', () => { req.destroy(new Error('opentracker did not answer within 1 s')) })
    req.on('error', reject)
  })
}

/** The opentracker child process, with everything it printed. */
class TrackerProcess {
  output = ''
  ended = false
  readonly #proc: ChildProcess
  readonly #exited: Promise<void>

  constructor (conf: string, rootDir: string) {
    this.#proc = spawn(OPENTRACKER_PATH, ['-f', conf], { cwd: rootDir, stdio: ['ignore', 'pipe', 'pipe'] })
    const collect = (chunk: Buffer): void => { this.output += chunk.toString() }
    this.#proc.stdout?.on('data', collect)
    this.#proc.stderr?.on('data', collect)
    this.#exited = new Promise(resolve => {
      const end = (): void => { this.ended = true; resolve() }
      this.#proc.once('exit', end)
      // A failed spawn emits no 'exit'.
      this.#proc.once('error', (err) => { this.output += `${err.message}\n`; end() })
    })
  }

  reloadWhitelist (): void { this.#proc.kill('SIGHUP') }

  async stop (): Promise<void> {
    if (this.ended) return
    // SIGINT would make it cancel its threads, which needs libgcc_s, absent from the chroot: it aborts.
    this.#proc.kill('SIGTERM')
    const timer = setTimeout(() => { this.#proc.kill('SIGKILL') }, STOP_TIMEOUT_MS)
    await this.#exited
    clearTimeout(timer)
  }
}
