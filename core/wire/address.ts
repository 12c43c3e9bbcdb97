import { isIP } from 'node:net'

/**
 * A literal IPv4 or IPv6 address. Hostnames are refused: resolving a name a peer or tracker handed
 * us would leak a DNS query to whoever controls that name. IPv6 zone ids only mean something on the
 * host that wrote them.
 */
export function isIpLiteral (host: string): boolean {
  return isIP(host) !== 0 && !host.includes('%')
}

/** An IPv4 address a host can have: not 0.0.0.0/8, multicast or reserved (224/3). */
export function isUnicastIPv4 (host: string): boolean {
  if (isIP(host) !== 4) return false
  const first = Number(host.slice(0, host.indexOf('.')))
  return first !== 0 && first < 224
}

/** A unicast address a host can have, IPv4 (see isUnicastIPv4) or IPv6 (not ::, not multicast ff00::/8). */
export function isUnicast (host: string): boolean {
  const version = isIP(host)
  if (version === 4) return isUnicastIPv4(host)
  if (version !== 6 || host.includes('%')) return false
  const lower = host.toLowerCase()
  if (lower.startsWith('ff')) return false
  return lower.replace(/[:0]/g, '') !== ''
}

export function isPort (port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535
}

/** `ip:port`, with IPv6 in brackets (`[::1]:4000`). */
export function formatHostPort (host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** The inverse of formatHostPort; null for anything that is not a literal address and a port 1..65535. */
export function parseHostPort (s: string): { host: string; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):([1-9]\d{0,4})$/.exec(s)
  if (match === null) return null
  const host = match[1] ?? match[2] ?? ''
  const port = Number(match[3])
  const bracketed = match[1] !== undefined
  if (!isIpLiteral(host) || bracketed !== host.includes(':') || !isPort(port)) return null
  return { host, port }
}
