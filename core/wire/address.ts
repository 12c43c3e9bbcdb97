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

/** 127.0.0.0/8: this machine. */
export function isLoopbackIPv4 (host: string): boolean {
  return isIP(host) === 4 && host.startsWith('127.')
}

/** RFC 1918, carrier-grade NAT (100.64/10) and link-local ranges: hosts on someone's own network. */
export function isPrivateIPv4 (host: string): boolean {
  if (isIP(host) !== 4) return false
  const [a, b] = host.split('.').map(Number) as [number, number]
  return a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254)
}

/** The compact form of an IPv4 address and port (BEP 5, BEP 42's `ip`, PROTOCOL §3.8): 4 address bytes, then the port big-endian. */
export const COMPACT_IPV4_BYTES = 6

/** Throws RangeError for anything but an IPv4 address and a port 1..65535. */
export function encodeCompactIPv4 (host: string, port: number): Uint8Array {
  if (isIP(host) !== 4) throw new RangeError(`not an IPv4 address: ${host}`)
  if (!isPort(port)) throw new RangeError(`a port is 1..65535, not ${port}`)
  const out = new Uint8Array(COMPACT_IPV4_BYTES)
  out.set(host.split('.').map(Number))
  out[4] = port >> 8
  out[5] = port & 0xff
  return out
}

/** The address and port at `offset` (COMPACT_IPV4_BYTES of `bytes`, which the caller checked are there); port 0 as it is. */
export function decodeCompactIPv4 (bytes: Uint8Array, offset = 0): { host: string; port: number } {
  return { host: `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`, port: (bytes[offset + 4]! << 8) | bytes[offset + 5]! }
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
