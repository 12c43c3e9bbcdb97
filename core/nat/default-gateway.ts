// The IPv4 default gateway: the router a PCP or NAT-PMP request goes to. Read from what each OS offers
// without extra packages (Linux's /proc/net/route; `route` on macOS, the BSDs and Windows), with
// the parsing kept pure so each OS's output is tested as a table.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { isIPv4 } from 'node:net'

const RTF_UP = 0x1
const RTF_GATEWAY = 0x2
/** How long `route` may take: a system that does not answer by then has no usable answer. */
const COMMAND_MS = 3_000
/** More output than any routing table we read would be: a bound, not a guess at the real size. */
const MAX_OUTPUT_BYTES = 1 << 20

/** The default gateway's address, or null when there is none (or the OS gives no way to ask). */
export async function defaultGateway (platform: NodeJS.Platform = process.platform): Promise<string | null> {
  try {
    if (platform === 'linux') return parseProcNetRoute(await readFile('/proc/net/route', 'utf8'))
    if (platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd' || platform === 'netbsd') return parseRouteGet(await run('route', ['-n', 'get', 'default']))
    if (platform === 'win32') return parseRoutePrint(await run('route', ['print', '-4', '0.0.0.0']))
  } catch {
    // No routing table to read (a sandbox, a missing tool) is the same as no gateway.
  }
  return null
}

/**
 * Linux's /proc/net/route: a header, then one route a line, tab-separated, addresses as 8 hex
 * digits in the kernel's (little-endian) byte order. The default route has destination and mask 0,
 * flags up and gateway; with several, the lowest metric wins as it does for the kernel.
 */
export function parseProcNetRoute (text: string): string | null {
  let best: { gateway: string; metric: number } | null = null
  for (const line of text.split('\n').slice(1)) {
    const [, destination, gateway, flags, , , metric, mask] = line.trim().split(/\s+/)
    if (destination !== '00000000' || mask !== '00000000' || gateway === undefined || flags === undefined || metric === undefined) continue
    const flagBits = Number.parseInt(flags, 16)
    if (!/^[0-9a-f]{1,4}$/i.test(flags) || (flagBits & (RTF_UP | RTF_GATEWAY)) !== (RTF_UP | RTF_GATEWAY)) continue
    if (!/^[0-9a-f]{8}$/i.test(gateway) || !/^\d+$/.test(metric)) continue
    const n = Number.parseInt(gateway, 16)
    const address = [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.')
    if (address === '0.0.0.0') continue
    if (best === null || Number(metric) < best.metric) best = { gateway: address, metric: Number(metric) }
  }
  return best?.gateway ?? null
}

/** `route -n get default` (macOS, the BSDs): a `gateway: 192.168.1.1` line; a link name there is no router. */
export function parseRouteGet (text: string): string | null {
  const gateway = /^\s*gateway:\s*(\S+)\s*$/m.exec(text)?.[1]
  return gateway !== undefined && isIPv4(gateway) ? gateway : null
}

/**
 * `route print -4 0.0.0.0` (Windows): active routes as `destination netmask gateway interface
 * metric`, numbers in every language; 'On-link' is no router. The persistent routes below them
 * have four columns and are not what is in use. The lowest metric wins.
 */
export function parseRoutePrint (text: string): string | null {
  let best: { gateway: string; metric: number } | null = null
  for (const line of text.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/)
    if (fields.length !== 5) continue
    const [destination, mask, gateway, iface, metric] = fields as [string, string, string, string, string]
    if (destination !== '0.0.0.0' || mask !== '0.0.0.0' || !isIPv4(gateway) || !isIPv4(iface) || !/^\d+$/.test(metric)) continue
    if (best === null || Number(metric) < best.metric) best = { gateway, metric: Number(metric) }
  }
  return best?.gateway ?? null
}

async function run (command: string, args: string[]): Promise<string> {
  return await new Promise((resolve, reject) => {
    execFile(command, args, { timeout: COMMAND_MS, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true }, (err, stdout) => {
      if (err !== null) reject(err)
      else resolve(stdout)
    })
  })
}
