// A Mainline DHT on loopback made of bittorrent-dht nodes, for discovery tests. Everything it
// starts it also stops.
import dgram from 'node:dgram'
import { once } from 'node:events'
import DHT from 'bittorrent-dht'

export interface LoopbackDht {
  nodes: DHT[]
  /** `127.0.0.1:port` of the first node, which every other node bootstrapped from. */
  bootstrap: string
  close (): Promise<void>
}

/** `size` nodes: the first with no bootstrap, each other one bootstrapped from it (as bittorrent-dht's own tests do). */
export async function startLoopbackDht (size = 20): Promise<LoopbackDht> {
  const first = new DHT({ bootstrap: false })
  first.listen(0, '127.0.0.1')
  await once(first, 'listening')
  const bootstrap = `127.0.0.1:${first.address().port}`
  const rest = Array.from({ length: size - 1 }, () => {
    const dht = new DHT({ bootstrap: [bootstrap] })
    dht.listen(0, '127.0.0.1')
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
