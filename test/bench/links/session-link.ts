// A bare secure session over core's TcpStream, no mux: every send is one transport frame (a length,
// one AEAD, one write), the per-frame cost the session layer pays.
import type net from 'node:net'
import { SecureConnection } from '../../../core/session/secure-connection.ts'
import { generateIdentity } from '../../../core/identity/identity.ts'
import { TcpStream } from '../../../core/transport/tcp.ts'

export interface SessionPair {
  sender: SecureConnection
  /** The sending end's transport: what it holds unsent, and 'drain'. */
  senderStream: TcpStream
}

/** Unsent bytes beyond which a sender waits for 'drain', as core's Connection does (its HIGH_WATER_BYTES). */
export const SEND_HIGH_WATER = 256 * 1024

/** Both ends over a connected socket pair, once the handshake is done; `onMessage` sees what arrives at `b`. */
export async function sessionPair (sockets: [net.Socket, net.Socket], psk: Uint8Array, onMessage: (plaintext: Uint8Array) => void): Promise<SessionPair> {
  const [streamA, streamB] = [new TcpStream(sockets[0]), new TcpStream(sockets[1])]
  let established = 0
  let resolveReady = (): void => {}
  const ready = new Promise<void>(resolve => { resolveReady = resolve })
  const onEstablished = (): void => { if (++established === 2) resolveReady() }
  const sender = new SecureConnection({ initiator: true, identity: generateIdentity(), psks: [psk], onSend: (chunks) => { streamA.write(chunks) }, onEstablished, onMessage: () => {} })
  const receiver = new SecureConnection({ initiator: false, identity: generateIdentity(), psks: [psk], onSend: (chunks) => { streamB.write(chunks) }, onEstablished, onMessage })
  streamA.on('data', (d) => { sender.receive(d) })
  streamB.on('data', (d) => { receiver.receive(d) })
  sender.start()
  await ready
  return { sender, senderStream: streamA }
}

/** Sends `message` `count` times, one frame each, waiting for 'drain' whenever the transport holds too much. */
export async function sendFrames (pair: SessionPair, message: Uint8Array, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    pair.sender.send(message)
    if (pair.senderStream.bufferedBytes >= SEND_HIGH_WATER) await new Promise<void>(resolve => { pair.senderStream.once('drain', resolve) })
  }
}
