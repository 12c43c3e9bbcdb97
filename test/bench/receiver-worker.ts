// The receiving end of a throughput run in its own thread (its own event loop and heap, as the other
// node would have): listens on loopback, takes `total` bytes raw or through the mux, then says 'done'.
import net from 'node:net'
import { parentPort, workerData } from 'node:worker_threads'
import { Priority } from '../../core/connection/mux-stream.ts'
import { muxLink } from './mux-link.ts'

export interface ReceiverData { kind: 'raw' | 'mux'; total: number; psk: Uint8Array; window: number; unsentBudget: number }

const { kind, total, psk, window, unsentBudget } = workerData as ReceiverData
const port = parentPort!
let received = 0
const count = (bytes: number): void => {
  received += bytes
  if (received >= total) port.postMessage('done')
}
const server = net.createServer((socket) => {
  // The sender tears its end down once done, perhaps with our last window update unread: a reset then is expected.
  socket.on('error', () => {})
  if (kind === 'raw') {
    socket.on('data', (chunk: Buffer) => { count(chunk.length) })
    return
  }
  const { mux } = muxLink(socket, false, psk, unsentBudget)
  mux.on('stream', (stream) => {
    stream.on('message', (m) => { count(m.length) })
    mux.accept(stream, { priority: Priority.BULK, window })
  })
})
server.listen(0, '127.0.0.1', () => { port.postMessage((server.address() as net.AddressInfo).port) })
