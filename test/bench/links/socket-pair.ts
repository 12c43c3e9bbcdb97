// Loopback TCP as the bench uses it: connected socket pairs, paced writers, and the bare-socket
// floors (throughput and one-way latency) under everything an encrypted link can do.
import net from 'node:net'
import { randomBytes } from 'node:crypto'
import type { Stream } from '../../../core/connection/mux-stream.ts'
import { MAX_MESSAGE_BYTES } from '../../../core/connection/mux-messages.ts'

export interface SocketPair { a: net.Socket; b: net.Socket; close (): void }

/** Two ends of one loopback TCP connection: `a` dialled, `b` accepted. */
export async function socketPair (): Promise<SocketPair> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  const accepted = new Promise<net.Socket>(resolve => server.once('connection', resolve))
  const a = net.connect(port, '127.0.0.1')
  await new Promise(resolve => a.once('connect', resolve))
  const b = await accepted
  // A pair torn down with bytes still unread ends in a reset: expected, not a failure of the run.
  for (const socket of [a, b]) socket.on('error', () => {})
  return { a, b, close: () => { a.destroy(); b.destroy(); server.close() } }
}

/** Largest chunk every bulk run writes at a time: what one transport frame of ours carries. */
export const BULK_CHUNK = 65_519

/** Calls `write` until `total` bytes went in `BULK_CHUNK` pieces, waiting for `drain` whenever it says false. */
export async function pump (drains: Drains, total: number, write: () => boolean): Promise<void> {
  for (let sent = 0; sent < total; sent += BULK_CHUNK) {
    if (!write()) await new Promise<void>(resolve => { drains.once('drain', () => { resolve() }) })
  }
}

/** Anything that says when its buffer has emptied: a socket, a RawStream, a secret-stream. */
export interface Drains { once (event: 'drain', listener: () => void): unknown }

/** Writes `total` bytes as largest messages on a mux stream, waiting whenever the stream says so. */
export async function pumpStream (stream: Stream, total: number): Promise<void> {
  const message = randomBytes(MAX_MESSAGE_BYTES)
  for (let sent = 0; sent < total && stream.status === 'open'; sent += message.length) {
    if (!stream.send(message)) await new Promise<void>(resolve => { stream.once('drain', () => { resolve() }) })
  }
}

/** MiB/s of `total` bytes in 64 KiB writes over a bare loopback TCP socket: the ceiling of any stream. */
export async function rawThroughput (total: number): Promise<number> {
  const payload = randomBytes(BULK_CHUNK)
  const { a, b, close } = await socketPair()
  let received = 0
  const done = new Promise<void>(resolve => b.on('data', (d: Buffer) => { received += d.length; if (received >= total) resolve() }))
  const start = performance.now()
  await pump(a, total, () => a.write(payload))
  await done
  const mibs = total / 1048576 / ((performance.now() - start) / 1000)
  close()
  return mibs
}

/** Half the round trip of a small message over a bare loopback TCP socket: the floor under any message latency (sorted). */
export async function rawOneWayLatencies (count: number): Promise<number[]> {
  const { a, b, close } = await socketPair()
  a.setNoDelay(true)
  b.setNoDelay(true)
  b.on('data', (d: Buffer) => { b.write(d) })
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    const echoed = new Promise(resolve => a.once('data', resolve))
    a.write('latency probe')
    await echoed
    samples.push((performance.now() - start) / 2)
  }
  close()
  return samples.sort((x, y) => x - y)
}
