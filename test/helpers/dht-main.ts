// DHT nodes as a process of their own, for hosts of a network-namespace lab (test/helpers/netns.ts):
// `node dht-main.ts ADDRESS COUNT` runs COUNT Mainline DHT nodes on ADDRESS that know each other,
// prints them as a --dht-bootstrap list, and serves until stdin closes. They run on our KrpcSocket,
// so their answers name the address they saw each querier at (BEP 42's ip), as libtorrent's do.
import dgram from 'node:dgram'
import { once } from 'node:events'
import DHT from 'bittorrent-dht'
import { KrpcSocket } from '../../core/discovery/krpc-socket.ts'

const [host, count] = [process.argv[2]!, Number(process.argv[3] ?? '3')]
const nodes: DHT[] = []
const addresses: string[] = []
for (let i = 0; i < count; i++) {
  const socket = dgram.createSocket('udp4')
  socket.bind(0, host)
  await once(socket, 'listening')
  const krpc = new KrpcSocket(socket, () => {})
  const dht = new DHT({ socket: krpc, bootstrap: addresses.length === 0 ? false : [...addresses] })
  krpc.emit('listening')
  nodes.push(dht)
  addresses.push(`${host}:${socket.address().port}`)
}
process.stdout.write(addresses.join(',') + '\n')
process.stdin.resume()
process.stdin.on('end', () => { for (const dht of nodes) dht.destroy(); process.exit(0) })
