// Bench-only connections: core's TcpStream ↔ SecureConnection ↔ Mux, what core/connection/connection.ts
// does without its deadlines, keepalives and per-peer read rates (those bound a peer at 10,000
// frames and 64 MiB a second, which would measure the policy rather than the link). Writes go through
// core's TcpStream, so whatever core does to batch them is what the bench measures.
// The mux puts the DATA type byte in front of each body.
import type net from 'node:net'
import { Mux } from '../../../core/connection/mux.ts'
import { SecureConnection } from '../../../core/session/secure-connection.ts'
import { generateIdentity } from '../../../core/identity/identity.ts'
import { TcpStream } from '../../../core/transport/tcp.ts'

const TYPE_DATA = 0x00

/** One end. The mux waits once `unsentBudget` bytes sit unsent in the socket: what a chat message may have to queue behind on this side. */
export function muxLink (socket: net.Socket, initiator: boolean, psk: Uint8Array, unsentBudget: number): { mux: Mux; established: Promise<void> } {
  const stream = new TcpStream(socket)
  let resolveEstablished = (): void => {}
  const established = new Promise<void>(resolve => { resolveEstablished = resolve })
  let mux: Mux | null = null
  const secure = new SecureConnection({
    initiator,
    identity: generateIdentity(),
    psks: [psk],
    onSend: (chunks) => { stream.write(chunks) },
    onEstablished: () => { resolveEstablished() },
    onMessage: (plaintext) => { if (plaintext[0] === TYPE_DATA) mux?.receive(plaintext.subarray(1)) }
  })
  mux = new Mux({
    initiator,
    bodyPrefix: Uint8Array.of(TYPE_DATA),
    send: (plaintext) => { secure.send(plaintext) },
    // The socket emits 'drain' only once it has been over its own high-water mark.
    writable: () => secure.established && stream.bufferedBytes < Math.max(unsentBudget, socket.writableHighWaterMark),
    defer: queueMicrotask
  })
  stream.on('data', (chunk) => { secure.receive(chunk) })
  stream.on('drain', () => { mux.drained() })
  if (initiator) secure.start()
  return { mux, established }
}

/** Both ends over a connected socket pair, once the handshake is done: `a` dialled. */
export async function muxPair (sockets: [net.Socket, net.Socket], psk: Uint8Array, unsentBudget: number): Promise<{ a: Mux; b: Mux }> {
  const a = muxLink(sockets[0], true, psk, unsentBudget)
  const b = muxLink(sockets[1], false, psk, unsentBudget)
  await Promise.all([a.established, b.established])
  return { a: a.mux, b: b.mux }
}
