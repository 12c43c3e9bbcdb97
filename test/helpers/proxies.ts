// Real proxies from Debian for the proxy transport's tests: tinyproxy (HTTP CONNECT) and microsocks
// (SOCKS5), on loopback or on a host of a namespace lab (`exec` runs them there). CI installs them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { tempDir } from './testnet.ts'
import { waitUntil } from './wait.ts'

export interface RealProxy {
  /** `http://HOST:PORT` or `socks5://[USER:PASS@]HOST:PORT`, as the node's proxy setting takes it. */
  readonly url: string
  readonly host: string
  readonly port: number
  /** What the proxy logged so far. */
  output (): string
  close (): Promise<void>
}

const TINYPROXY = '/usr/bin/tinyproxy'
const MICROSOCKS = '/usr/bin/microsocks'

/** Why these tests cannot run here (a test skips with it), or null. */
export function proxiesUnavailable (): string | null {
  for (const tool of [TINYPROXY, MICROSOCKS]) if (!fs.existsSync(tool)) return `needs ${tool} (apt-get install tinyproxy microsocks)`
  return null
}

interface Where { host?: string; exec?: readonly string[] }

export async function startTinyproxy (where: Where = {}): Promise<RealProxy> {
  const host = where.host ?? '127.0.0.1'
  const port = await freePort()
  const dir = tempDir('bitchat-tinyproxy-')
  const conf = path.join(dir, 'tinyproxy.conf')
  // No ConnectPort line: CONNECT to any port. LogLevel Connect shows every tunnel it opens.
  fs.writeFileSync(conf, [`Port ${port}`, `Listen ${host}`, 'Allow 0.0.0.0/0', 'LogLevel Connect', 'MaxClients 100', 'Timeout 600', ''].join('\n'))
  return await started(run([TINYPROXY, '-d', '-c', conf], where), `http://${host}:${port}`, { host, port, dir, where })
}

export async function startMicrosocks (where: Where & { login?: { user: string; password: string } } = {}): Promise<RealProxy> {
  const host = where.host ?? '127.0.0.1'
  const port = await freePort()
  const login = where.login === undefined ? [] : ['-u', where.login.user, '-P', where.login.password]
  const credentials = where.login === undefined ? '' : `${encodeURIComponent(where.login.user)}:${encodeURIComponent(where.login.password)}@`
  return await started(run([MICROSOCKS, '-i', host, '-p', String(port), ...login], where), `socks5://${credentials}${host}:${port}`, { host, port, dir: null, where })
}

function run (command: string[], where: Where): ChildProcess {
  const full = [...(where.exec ?? []), ...command]
  // A group of its own, so close() also ends what it forks (tinyproxy serves tunnels in children).
  return spawn(full[0]!, full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
}

async function started (child: ChildProcess, url: string, at: { host: string; port: number; dir: string | null; where: Where }): Promise<RealProxy> {
  const { host, port, dir } = at
  let output = ''
  child.stdout?.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { output += d.toString() })
  let exited = false
  child.once('exit', () => { exited = true })
  const close = async (): Promise<void> => {
    // The whole group, even when the first process is gone: what it forked may still be serving.
    const exit = exited ? Promise.resolve() : new Promise(resolve => child.once('exit', resolve))
    try { process.kill(-child.pid!, 'SIGKILL') } catch {}
    await exit
    if (dir !== null) fs.rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitUntil(async () => {
      if (exited) throw new Error(`the proxy exited: ${output.trim()}`)
      return at.where.exec === undefined ? await accepts(host, port) : acceptsIn(at.where.exec, host, port)
    }, 5_000, `the proxy on ${host}:${port}`)
  } catch (err) {
    await close()
    throw err
  }
  return { url, host, port, output: () => output, close }
}

async function accepts (host: string, port: number): Promise<boolean> {
  return await new Promise(resolve => {
    const socket = net.connect({ host, port })
    socket.setTimeout(500, () => { socket.destroy(); resolve(false) })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => { resolve(false) })
  })
}

/** A connect from inside a lab host, whose addresses this process cannot reach. */
function acceptsIn (exec: readonly string[], host: string, port: number): boolean {
  const probe = `require('node:net').connect(${port}, ${JSON.stringify(host)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`
  return spawnSync(exec[0]!, [...exec.slice(1), process.execPath, '-e', probe], { timeout: 2_000 }).status === 0
}

async function freePort (): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1')
  await new Promise(resolve => server.once('listening', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise(resolve => server.close(resolve))
  return port
}
