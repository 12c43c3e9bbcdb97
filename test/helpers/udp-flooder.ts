// A UDP flood at a node's DHT port from many source addresses and ports: garbage, valid-looking
// KRPC queries, and answers stuffed with peers and nodes, as a hostile network would send.
import dgram from 'node:dgram'
import { once } from 'node:events'
import { randomBytes } from 'node:crypto'
import { setImmediate as yieldToEvents } from 'node:timers/promises'
import { encode, type BDict } from '../../core/codec/bencode.ts'

export type FloodKind = 'garbage' | 'ping' | 'find_node' | 'get_peers' | 'announce_peer' | 'stuffed_reply' | 'bulky_query' | 'bulky_dict'

const b = (s: string): Buffer => Buffer.from(s, 'latin1')

/** `count` compact IPv4 peers or nodes, each a random public-looking address. */
function compactEntries (count: number, size: 6 | 26): Buffer[] {
  return Array.from({ length: count }, () => {
    const entry = randomBytes(size)
    entry[size - 6] = 1 + (entry[size - 6]! % 200) // a unicast first octet
    return entry
  })
}

/** One datagram of the given kind, different every time (fresh ids, transactions, infohashes). */
export function floodDatagram (kind: FloodKind): Uint8Array {
  const query = (q: string, a: BDict): Uint8Array => encode({ t: randomBytes(2), y: b('q'), q: b(q), a: { id: randomBytes(20), ...a } })
  switch (kind) {
    case 'garbage': return randomBytes(20 + Math.floor(Math.random() * 400))
    case 'ping': return query('ping', {})
    case 'find_node': return query('find_node', { target: randomBytes(20) })
    case 'get_peers': return query('get_peers', { info_hash: randomBytes(20) })
    case 'announce_peer': return query('announce_peer', { info_hash: randomBytes(20), port: 6881, token: randomBytes(8) })
    case 'bulky_query': return query('get_peers', { info_hash: randomBytes(20), padding: randomBytes(60_000) })
    case 'bulky_dict': return Buffer.concat([b('d1:'), randomBytes(60_000)])
    case 'stuffed_reply': return encode({
      t: randomBytes(2),
      y: b('r'),
      r: { id: randomBytes(20), token: randomBytes(8), values: compactEntries(100, 6), nodes: Buffer.concat(compactEntries(40, 26)) }
    })
  }
}

/**
 * Sends `total` datagrams to `port` on loopback, cycling through `kinds`, from one socket per
 * address in `from` (each on its own ephemeral port), as fast as the event loop lets it. `distinct`
 * datagrams are made ahead (fresh ids and transactions in each), so that the node rather than this
 * sender is what the flood measures. Resolves with how many answers came back.
 */
export async function floodUdp (opts: { port: number; from: string[]; total: number; kinds: FloodKind[]; distinct?: number }): Promise<{ answers: number }> {
  let answers = 0
  const sockets = await Promise.all(opts.from.map(async (address) => {
    const socket = dgram.createSocket('udp4')
    socket.on('error', () => {})
    socket.on('message', () => { answers++ })
    socket.bind(0, address)
    await once(socket, 'listening')
    return socket
  }))
  const datagrams = Array.from({ length: Math.min(opts.total, opts.distinct ?? 5_000) }, (_, i) => floodDatagram(opts.kinds[i % opts.kinds.length]!))
  try {
    const BATCH = 500
    for (let sent = 0; sent < opts.total;) {
      for (let i = 0; i < BATCH && sent < opts.total; i++, sent++) {
        const socket = sockets[sent % sockets.length]!
        socket.send(datagrams[sent % datagrams.length]!, opts.port, '127.0.0.1')
      }
      await yieldToEvents()
    }
    // Answers to the last datagrams are still on their way.
    await new Promise(resolve => setTimeout(resolve, 500))
    return { answers }
  } finally {
    await Promise.all(sockets.map(s => new Promise<void>(resolve => { s.close(resolve) })))
  }
}
