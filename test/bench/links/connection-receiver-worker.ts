// The receiving end of a TCP or UDP throughput run in a thread of its own (its own event loop, as the
// other node has): listens on loopback (a TCP server, or core's UdpEndpoint), takes `total` bytes
// raw or on a bulk stream of a whole core Connection (the responder), then says 'done'.
import net from 'node:net'
import { parentPort, workerData } from 'node:worker_threads'
import { Connection } from '../../../core/connection/connection.ts'
import { Priority } from '../../../core/connection/mux-stream.ts'
import { generateIdentity } from '../../../core/identity/identity.ts'
import { silentLogger } from '../../../core/log.ts'
import type { RawStream } from '../../../core/transport/raw-stream.ts'
import { TcpStream } from '../../../core/transport/tcp.ts'
import { UdpEndpoint } from '../../../core/transport/udp-endpoint.ts'
import { BULK_WINDOW, type LinkKind } from './connection-pair.ts'

export interface ConnectionReceiverData { kind: LinkKind; encrypted: boolean; total: number; psk: Uint8Array }

const { kind, encrypted, total, psk } = workerData as ConnectionReceiverData
const port = parentPort!
let received = 0
const count = (bytes: number): void => {
  received += bytes
  if (received >= total) port.postMessage('done')
}

function onStream (stream: RawStream): void {
  if (!encrypted) {
    stream.on('data', (chunk) => { count(chunk.length) })
    return
  }
  const connection = new Connection({ stream, initiator: false, identity: generateIdentity(), psks: [psk], log: silentLogger })
  connection.on('stream', (s) => {
    s.on('message', (m) => { count(m.length) })
    connection.accept(s, { priority: Priority.BULK, window: BULK_WINDOW })
  })
}

if (kind === 'udp') {
  const endpoint = UdpEndpoint.bind(0, '127.0.0.1', { onStream, log: silentLogger })
  port.postMessage(endpoint.port)
} else {
  const server = net.createServer((socket) => {
    // The sender tears its end down once done, perhaps with our last window update unread: a reset then is expected.
    socket.on('error', () => {})
    onStream(new TcpStream(socket))
  })
  server.listen(0, '127.0.0.1', () => { port.postMessage((server.address() as net.AddressInfo).port) })
}
