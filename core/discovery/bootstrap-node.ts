import { isPort } from '../wire/address.ts'

/**
 * A DHT bootstrap node as users write it: `host:port`, the host a name or an IPv4 address (the
 * DHT is IPv4 only). Kept apart from dht.ts so the command line can check it without loading the DHT.
 */
export function parseBootstrapNode (entry: string): { host: string; port: number } {
  const match = /^([A-Za-z0-9.-]{1,253}):([1-9]\d{0,4})$/.exec(entry)
  const port = Number(match?.[2])
  if (match?.[1] === undefined || !isPort(port)) throw new RangeError(`a DHT bootstrap node must be host:port, got ${JSON.stringify(entry)}`)
  return { host: match[1], port }
}
