// The proxy form's fields and the one URL the core takes (core/transport/proxy-url.ts, the same rule
// the core runs), each way.
import { parseProxyUrl, type ProxyKind } from '../../../core/transport/proxy-url.ts'

export interface ProxyFields {
  kind: ProxyKind | 'none'
  host: string
  port: string
  username: string
  password: string
}

export type ProxyField = 'host' | 'port' | 'username' | 'password'

/** Whether the settings hold a proxy: the one test for every place that changes with it. */
export function proxyInUse (proxy: string | null | undefined): boolean {
  return proxy !== null && proxy !== undefined && proxy !== ''
}

export const NO_PROXY: ProxyFields = { kind: 'none', host: '', port: '', username: '', password: '' }

export function proxyFields (url: string | null | undefined): ProxyFields {
  if (url === null || url === undefined || url === '') return NO_PROXY
  const parsed = parseProxyUrl(url)
  if (!parsed.ok) return NO_PROXY
  const { kind, host, port, username, password } = parsed.proxy
  return { kind, host, port: String(port), username: username ?? '', password: password ?? '' }
}

/** The URL for the fields, or which field is wrong and why, in the form's words. */
export function proxyUrl (fields: ProxyFields): { url: string } | { field: ProxyField; problem: string } {
  if (fields.kind === 'none') return { url: '' }
  const host = fields.host.trim()
  if (host === '') return { field: 'host', problem: 'Enter the proxy’s address, for example 127.0.0.1.' }
  if (!/^\d{1,5}$/.test(fields.port.trim()) || Number(fields.port) < 1 || Number(fields.port) > 65535) {
    return { field: 'port', problem: 'Enter a port from 1 to 65535 (Tor uses 9050).' }
  }
  if (fields.password !== '' && fields.username === '') return { field: 'username', problem: 'A password needs a user name.' }
  const login = fields.username === '' ? '' : `${encodeURIComponent(fields.username)}${fields.password === '' ? '' : `:${encodeURIComponent(fields.password)}`}@`
  const url = `${fields.kind}://${login}${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${Number(fields.port)}`
  const parsed = parseProxyUrl(url)
  if (parsed.ok) return { url }
  const field: ProxyField = /user name/.test(parsed.problem) ? 'username' : /password/.test(parsed.problem) ? 'password' : /port/.test(parsed.problem) ? 'port' : 'host'
  return { field, problem: sentence(parsed.problem) }
}

function sentence (text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + '.'
}
