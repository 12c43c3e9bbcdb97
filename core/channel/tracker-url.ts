// The one rule for a tracker URL, wherever one enters: `.chat` files, `bitchat:` links,
// `channels.create`, and the create dialog, which runs this same module in the page. So it is
// pure: no imports, nothing that exists only in Node.

export const MAX_TRACKER_URL_BYTES = 512

const SCHEMES = new Set(['udp', 'http', 'https', 'ws', 'wss'])
const SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const MAX_HOST_NAME = 253

/**
 * Why `url` is not a tracker URL we could announce to, in words that name it; null when it is
 * one. A tracker URL is udp://, http(s):// or ws(s)://, a host that is a DNS name or an IP
 * literal, a port 1 to 65535 (udp:// must give one), and at most 512 printable ASCII characters.
 */
export function trackerUrlProblem (url: string): string | null {
  if (url.length > MAX_TRACKER_URL_BYTES) return `tracker URL longer than ${MAX_TRACKER_URL_BYTES} bytes`
  const shown = JSON.stringify(url.slice(0, 80))
  if (!/^[\x21-\x7e]+$/.test(url)) return `tracker ${shown} is empty or has spaces or characters other than printable ASCII`
  const shape = SHAPE.exec(url)
  const scheme = shape?.[1]?.toLowerCase() ?? ''
  if (shape === null || !SCHEMES.has(scheme)) return `tracker ${shown} is not a udp://, http(s):// or ws(s):// URL`
  const authority = shape[2] ?? ''
  const rest = shape[3] ?? ''
  if (authority.includes('@')) return `tracker ${shown} carries a user name or password`
  const parts = /^(\[[^\]]*\]|[^:[\]]*)(?::([^:]*))?$/.exec(authority)
  if (parts === null) return `tracker ${shown} has a malformed host or port`
  const host = parts[1] ?? ''
  const port = parts[2]
  if (host === '') return `tracker ${shown} has no host`
  if (!isHost(host.toLowerCase())) return `tracker ${shown} has an invalid host ${JSON.stringify(host.slice(0, 40))}: not a host name or an IP address`
  if (port === undefined) {
    if (scheme === 'udp') return `tracker ${shown} has no port: a udp:// tracker needs one`
  } else if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return `tracker ${shown} has port ${JSON.stringify(port.slice(0, 16))}: a port is 1 to 65535`
  }
  if (rest !== '' && !/^[/?]/.test(rest)) return `tracker ${shown} has a malformed path`
  if (!URL.canParse(url)) return `tracker ${shown} is not a valid URL`
  return null
}

/** A DNS name or an IP literal (IPv6 in brackets), lowercase. */
export function isHost (host: string): boolean {
  if (host.startsWith('[')) return isIPv6(host.slice(1, -1))
  if (host.length > MAX_HOST_NAME) return false
  const labels = host.split('.')
  // As in URL parsers, a name whose last label is a number is an IPv4 address or nothing (627.0.0.1, 1.2.3).
  if (/^(?:\d+|0x[0-9a-f]*)$/.test(labels[labels.length - 1] ?? '')) return isIPv4(host)
  return labels.every(label => DNS_LABEL.test(label))
}

function isIPv4 (text: string): boolean {
  const parts = text.split('.')
  return parts.length === 4 && parts.every(p => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)
}

/** RFC 4291 text forms: hex groups, at most one `::`, an optional dotted IPv4 tail; no zone id. */
function isIPv6 (text: string): boolean {
  let head = text
  let tailGroups = 0
  const lastColon = text.lastIndexOf(':')
  const last = text.slice(lastColon + 1)
  if (last.includes('.')) {
    if (lastColon === -1 || !isIPv4(last)) return false
    head = text.slice(0, lastColon + 1)
    if (!head.endsWith('::')) head = head.slice(0, -1)
    tailGroups = 2
  }
  const halves = head.split('::')
  if (halves.length > 2) return false
  const groups = halves.flatMap(half => half === '' ? [] : half.split(':'))
  if (!groups.every(g => /^[0-9a-f]{1,4}$/.test(g))) return false
  const count = groups.length + tailGroups
  return halves.length === 2 ? count <= 7 : count === 8
}
