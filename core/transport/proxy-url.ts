// The one rule for a proxy setting, wherever one enters: `--proxy`, `settings.set`, and the
// settings form, which runs this same module in the page. So it is pure: it imports only the
// tracker URL module's host rule, itself pure.
import { isHost } from '../channel/tracker-url.ts'

export type ProxyKind = 'http' | 'socks5'

export interface ProxyConfig {
  kind: ProxyKind
  /** A DNS name or an IP literal (IPv6 without brackets). */
  host: string
  port: number
  /** For proxies that ask for a login (SOCKS5 user name and password, HTTP Basic). */
  username?: string
  password?: string
}

export const MAX_PROXY_URL_BYTES = 1024
/** SOCKS5 carries each in a one-byte length (RFC 1929). */
export const MAX_PROXY_CREDENTIAL_BYTES = 255

const SHAPE = /^(http|socks5h?):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]/]*\]|[^:/[\]@]*):(\d{1,5})\/?$/i

export type ProxyParse = { ok: true; proxy: ProxyConfig } | { ok: false; problem: string }

/**
 * `http://HOST:PORT` (an HTTP proxy that allows CONNECT) or `socks5://HOST:PORT` (`socks5h://`
 * means the same: the proxy always resolves names), with an optional `USER:PASSWORD@` percent-encoded.
 */
export function parseProxyUrl (text: string): ProxyParse {
  const fail = (problem: string): ProxyParse => ({ ok: false, problem })
  if (new TextEncoder().encode(text).length > MAX_PROXY_URL_BYTES) return fail(`a proxy address is at most ${MAX_PROXY_URL_BYTES} bytes`)
  const shape = SHAPE.exec(text.trim())
  if (shape === null) return fail('a proxy is written http://HOST:PORT or socks5://HOST:PORT')
  const host = shape[4]!.toLowerCase()
  if (!isHost(host)) return fail(`${JSON.stringify(host.slice(0, 60))} is not a host name or an IP address`)
  const port = Number(shape[5])
  if (port < 1 || port > 65535) return fail('a port is 1 to 65535')
  if (shape[2] === '') return fail(shape[3] === undefined ? 'a proxy user name cannot be empty' : 'a proxy password needs a user name')
  const proxy: ProxyConfig = { kind: shape[1]!.toLowerCase() === 'http' ? 'http' : 'socks5', host: host.replace(/^\[(.*)\]$/, '$1'), port }
  for (const [field, raw] of [['username', shape[2]], ['password', shape[3]]] as const) {
    if (raw === undefined) continue
    let value: string
    try {
      value = decodeURIComponent(raw)
    } catch {
      return fail(`the proxy ${field === 'username' ? 'user name' : 'password'} is not percent-encoded properly`)
    }
    if (new TextEncoder().encode(value).length > MAX_PROXY_CREDENTIAL_BYTES) return fail(`a proxy ${field === 'username' ? 'user name' : 'password'} is at most ${MAX_PROXY_CREDENTIAL_BYTES} bytes`)
    // HTTP Basic joins the two with a colon (RFC 7617): one in the name would move the split.
    if (field === 'username' && value.includes(':')) return fail('a proxy user name cannot contain a colon')
    proxy[field] = value
  }
  return { ok: true, proxy }
}

/** The proxy as shown to people and stored: the password never leaves in it. */
export function describeProxy (proxy: ProxyConfig): string {
  const host = proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host
  const user = proxy.username === undefined ? '' : `${encodeURIComponent(proxy.username)}@`
  return `${proxy.kind}://${user}${host}:${proxy.port}`
}
