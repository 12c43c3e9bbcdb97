// The receiving end of a throughput run in its own thread (its own event loop and heap, as the other
// node would have): listens on loopback, takes `total` bytes raw, through the mux, or through
// Holepunch's secret-stream, then says 'done'.
import net from 'node:net'
import { parentPort, workerData } from 'node:worker_threads'
import NoiseSecretStream from '@hyperswarm/secret-stream'
import { Priority } from '../../../core/connection/mux-stream.ts'
import { muxLink } from './mux-link.ts'

export type ReceiverKind = 'raw' | 'mux' | 'secret-stream'
export interface ReceiverData { kind: ReceiverKind; total: number; psk: Uint8Array; window: number; unsentBudget: number }

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
  if (kind === 'secret-stream') {
    const stream = new NoiseSecretStream(false, socket)
    stream.on('error', () => {})
    stream.on('data', (message) => { count(message.length) })
    return
  }
  const { mux } = muxLink(socket, false, psk, unsentBudget)
  mux.on('stream', (stream) => {
    stream.on('message', (m) => { count(m.length) })
    mux.accept(stream, { priority: Priority.BULK, window })
  })
})
server.listen(0, '127.0.0.1', () => { port.postMessage((server.address() as net.AddressInfo).port) })
