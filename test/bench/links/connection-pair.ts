// Core's whole Connection (Noise, mux, keepalives, per-peer read rates: what the pool holds) between
// two ends in this thread, over a loopback TCP socket or a UDX stream that core's UdpEndpoint set up
// (OPEN, ACCEPT, the listener answering with the responder), and the bare transports under them.
import net from 'node:net'
import { randomBytes } from 'node:crypto'
import { Connection } from '../../../core/connection/connection.ts'
import { CloseCode } from '../../../core/connection/close-codes.ts'
import { Priority } from '../../../core/connection/mux-stream.ts'
import { generateIdentity } from '../../../core/identity/identity.ts'
import { silentLogger } from '../../../core/log.ts'
import type { RawStream } from '../../../core/transport/raw-stream.ts'
import { TcpStream, tcpTransport } from '../../../core/transport/tcp.ts'
import { UdpEndpoint } from '../../../core/transport/udp-endpoint.ts'
import { BULK_CHUNK, pump, pumpStream } from './socket-pair.ts'

export type LinkKind = 'tcp' | 'udp'

/** Two connected raw streams: `a` dialled through core's transport, `b` the listener's end. */
export interface RawPair { a: RawStream; b: RawStream; close (): Promise<void> }

const DIAL_TIMEOUT_MS = 5_000

/** A loopback TCP connection, dialled by core's tcpTransport. */
export async function tcpRawPair (): Promise<RawPair> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const accepted = new Promise<net.Socket>(resolve => server.once('connection', resolve))
  const a = await tcpTransport.dial({ kind: 'tcp', host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }, { timeoutMs: DIAL_TIMEOUT_MS })
  const socket = await accepted
  // Torn down with bytes unread, an end sees a reset: expected at the end of a run.
  socket.on('error', () => {})
  const b = new TcpStream(socket)
  return { a, b, close: async () => { a.destroy(); b.destroy(); server.close() } }
}

/** A UDX stream between two endpoints on loopback, each its own UDP socket, as two nodes have. */
export async function udpRawPair (): Promise<RawPair> {
  let onStream: (stream: RawStream) => void = () => {}
  const accepted = new Promise<RawStream>(resolve => { onStream = resolve })
  const listener = UdpEndpoint.bind(0, '127.0.0.1', { onStream: (s) => { onStream(s) }, log: silentLogger })
  const dialler = UdpEndpoint.bind(0, '127.0.0.1', { onStream: (s) => { s.destroy() }, log: silentLogger })
  const a = await dialler.transport.dial({ kind: 'udp', host: '127.0.0.1', port: listener.port }, { timeoutMs: DIAL_TIMEOUT_MS })
  const b = await accepted
  return { a, b, close: async () => { a.destroy(); b.destroy(); await Promise.all([dialler.close(), listener.close()]) } }
}

export async function rawPair (kind: LinkKind): Promise<RawPair> {
  return kind === 'tcp' ? await tcpRawPair() : await udpRawPair()
}

/** Two established Connections over a raw pair: `a` the initiator. */
export async function connectionPair (raw: { a: RawStream; b: RawStream }): Promise<{ a: Connection; b: Connection }> {
  const psk = randomBytes(32)
  const a = new Connection({ stream: raw.a, initiator: true, identity: generateIdentity(), psks: [psk], log: silentLogger })
  const b = new Connection({ stream: raw.b, initiator: false, identity: generateIdentity(), psks: [psk], log: silentLogger })
  await Promise.all([a, b].map(async c => await new Promise<void>((resolve, reject) => {
    c.once('established', () => { resolve() })
    c.once('close', (info) => { reject(new Error(`handshake failed: ${info.text}`)) })
  })))
  return { a, b }
}

export const mibPerSecond = (bytes: number, startedAt: number): number => bytes / 1048576 / ((performance.now() - startedAt) / 1000)

/** MiB/s of `total` bytes in 64 KiB writes over the bare raw stream (no encryption). */
export async function rawStreamThroughput (raw: { a: RawStream; b: RawStream }, total: number): Promise<number> {
  const payload = randomBytes(BULK_CHUNK)
  let received = 0
  const done = new Promise<void>(resolve => raw.b.on('data', (d) => { received += d.length; if (received >= total) resolve() }))
  const start = performance.now()
  await pump(raw.a, total, () => raw.a.write([payload]))
  await done
  return mibPerSecond(total, start)
}

/** What a file transfer opens: the receive window of the bulk stream. */
export const BULK_WINDOW = 1024 * 1024

/**
 * MiB/s of `total` bytes on one bulk stream from `a` to `b`, largest messages. With `warmup`, the
 * clock starts once that many bytes have arrived (past a rate limit's burst, say) and only the rest counts.
 */
export async function bulkStreamThroughput (a: Connection, b: Connection, total: number, warmup = 0): Promise<number> {
  let received = 0
  let resolveDone = (): void => {}
  const done = new Promise<void>(resolve => { resolveDone = resolve })
  let start = 0
  /** What had arrived when the clock started. */
  let base = 0
  b.on('stream', (stream) => {
    stream.on('message', (m) => {
      received += m.length
      if (warmup > 0 && start === 0 && received >= warmup) {
        start = performance.now()
        base = received
      }
      if (received >= total) resolveDone()
    })
    b.accept(stream, { priority: Priority.BULK, window: BULK_WINDOW })
  })
  const closed = new Promise<never>((_resolve, reject) => {
    for (const c of [a, b]) c.once('close', (info) => { reject(new Error(`the connection closed mid-run: ${info.text}`)) })
  })
  const bulk = a.open('bench/bulk/1', new Uint8Array(0), { priority: Priority.BULK })
  await Promise.race([new Promise<void>(resolve => { bulk.once('open', () => { resolve() }) }), closed])
  if (warmup === 0) start = performance.now()
  await Promise.race([pumpStream(bulk, total).then(async () => { await done }), closed])
  return (received - base) / 1048576 / ((performance.now() - start) / 1000)
}

/** MiB/s of one bulk stream over a fresh Connection on a fresh raw pair of `kind`. */
export async function connectionThroughput (kind: LinkKind, total: number): Promise<number> {
  const raw = await rawPair(kind)
  try {
    const { a, b } = await connectionPair(raw)
    const mibs = await bulkStreamThroughput(a, b, total)
    a.close(CloseCode.NORMAL)
    b.close(CloseCode.NORMAL)
    return mibs
  } finally {
    await raw.close()
  }
}

/** MiB/s of the bare raw stream of `kind`, fresh. */
export async function rawThroughputOf (kind: LinkKind, total: number): Promise<number> {
  const raw = await rawPair(kind)
  try {
    return await rawStreamThroughput(raw, total)
  } finally {
    await raw.close()
  }
}
