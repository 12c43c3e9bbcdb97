// A Mainline DHT on loopback made of bittorrent-dht nodes, for discovery tests. Everything it
// starts it also stops.
import dgram from 'node:dgram'
import { once } from 'node:events'
import DHT from 'bittorrent-dht'

export interface LoopbackDht {
  nodes: DHT[]
  /** `host:port` of the first node, which every other node bootstrapped from. */
  bootstrap: string
  close (): Promise<void>
}

/**
 * `size` nodes: the first with no bootstrap, each other one bootstrapped from it (as bittorrent-dht's
 * own tests do), all on 127.0.0.1 — or, with `distinctHosts`, each on its own loopback address
 * (127.0.0.2, .3, …) as DHT nodes on the internet are, so a node's per-source rate limits see them
 * as the many hosts they stand for (what the benchmark measures).
 */
export async function startLoopbackDht (size = 20, opts: { distinctHosts?: boolean } = {}): Promise<LoopbackDht> {
  const host = (i: number): string => opts.distinctHosts === true ? `127.0.${Math.floor((i + 2) / 250)}.${(i + 2) % 250}` : '127.0.0.1'
  const first = new DHT({ bootstrap: false })
  first.listen(0, host(0))
  await once(first, 'listening')
  const bootstrap = `${host(0)}:${first.address().port}`
  const rest = Array.from({ length: size - 1 }, (_, i) => {
    const dht = new DHT({ bootstrap: [bootstrap] })
    dht.listen(0, host(i + 1))
    return dht
  })
  await Promise.all(rest.map(dht => once(dht, 'ready')))
  const nodes = [first, ...rest]
  return {
    nodes,
    bootstrap,
    close: async () => { await Promise.all(nodes.map(dht => new Promise<void>(resolve => { dht.destroy(resolve) }))) }
  }
}

/** A UDP socket bound to a free loopback port. */
export async function boundSocket (): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4')
  socket.bind(0, '127.0.0.1')
  await once(socket, 'listening')
  return socket
}
