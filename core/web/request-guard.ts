// Who may talk to the web UI's server. Any web page the user visits can make their browser send
// requests to a loopback port, so the RPC socket demands both a secret token (which only the
// person who started the daemon saw) and an Origin equal to our own, and every request must name
// our own host (which defeats DNS rebinding).
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'

export interface ServerIdentity {
  /** `host:port` values a legitimate request may carry in its Host header. */
  readonly hosts: readonly string[]
  /** `http://host:port` values a legitimate WebSocket request may carry in its Origin header. */
  readonly origins: readonly string[]
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost']

export function serverIdentity (host: string, port: number): ServerIdentity {
  const names = LOOPBACK_NAMES.includes(host) ? LOOPBACK_NAMES : host === '::1' ? ['[::1]', 'localhost'] : [isIP(host) === 6 ? `[${host}]` : host]
  const hosts = names.map(name => `${name}:${port}`)
  return { hosts, origins: hosts.map(h => `http://${h}`) }
}

/** Exactly one Host header, naming us: Node keeps only the first of two, and a proxy or cache may read the other. */
export function hasOwnHost (req: IncomingMessage, identity: ServerIdentity): boolean {
  const hosts = req.headersDistinct.host ?? []
  return hosts.length === 1 && identity.hosts.includes((hosts[0] as string).toLowerCase())
}

export type UpgradeVerdict = { ok: true } | { ok: false; status: 401 | 403 | 404; reason: string }

export function checkRpcUpgrade (req: IncomingMessage, identity: ServerIdentity, token: string): UpgradeVerdict {
  let url: URL
  try {
    url = new URL(req.url ?? '', 'http://request.invalid')
  } catch {
    return { ok: false, status: 404, reason: 'not found' }
  }
  if (url.pathname !== '/rpc') return { ok: false, status: 404, reason: 'not found' }
  if (!hasOwnHost(req, identity)) return { ok: false, status: 403, reason: 'wrong Host header' }
  const origin = req.headers.origin
  if (typeof origin !== 'string' || !identity.origins.includes(origin.toLowerCase())) return { ok: false, status: 403, reason: 'wrong or missing Origin header' }
  if (!hasToken(url, token)) return { ok: false, status: 401, reason: 'missing or wrong token' }
  return { ok: true }
}

/** Whether the request's `?token=` is ours. */
export function hasToken (url: URL, token: string): boolean {
  return tokensMatch(url.searchParams.get('token') ?? '', token)
}

function tokensMatch (given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8')
  const b = Buffer.from(expected, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
