import { isIPv4, isIPv6 } from 'node:net'

/**
 * The unit a remote party is limited by: an IPv4 address, or the /64 of an IPv6 one (one host
 * commonly holds a whole /64, so counting single IPv6 addresses would let it pose as millions).
 */
export function sourceOf (host: string): string {
  const plain = host.startsWith('::ffff:') && isIPv4(host.slice(7)) ? host.slice(7) : host
  if (!isIPv6(plain)) return plain
  return `${expandIPv6(plain).slice(0, 4).join(':')}::/64`
}

function expandIPv6 (address: string): string[] {
  const withoutZone = address.split('%')[0]!
  const [head = '', tail] = withoutZone.split('::')
  const groups = (part: string): string[] => part === '' ? [] : part.split(':')
  // An embedded IPv4 tail (::1.2.3.4) is two groups; only the first four groups matter here.
  const left = groups(head)
  const right = tail === undefined ? [] : groups(tail)
  const missing = 8 - left.length - right.length
  return [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right].map(g => g.includes('.') ? g : (parseInt(g, 16) || 0).toString(16))
}
