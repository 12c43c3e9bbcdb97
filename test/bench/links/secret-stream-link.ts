// Holepunch's encrypted stream over one loopback TCP socket pair: the anchor of every link figure;
// and over a UDX stream between two UDP sockets, as hyperswarm runs it.
// Each write is one message (a 3-byte length, libsodium secretstream) and arrives as one 'data' event.
import type { Duplex } from 'node:stream'
import NoiseSecretStream from '@hyperswarm/secret-stream'
import UDX from 'udx-native'
import { socketPair } from './socket-pair.ts'

export interface SecretStreamPair { a: NoiseSecretStream; b: NoiseSecretStream; close (): void }

/** Both ends, once their Noise handshake is done: `a` dialled. */
export async function secretStreamPair (): Promise<SecretStreamPair> {
  const sockets = await socketPair()
  const a = new NoiseSecretStream(true, sockets.a)
  const b = new NoiseSecretStream(false, sockets.b)
  // Torn down with bytes unread, the ends see a reset: expected at the end of a run.
  for (const s of [a, b]) s.on('error', () => {})
  const [openA, openB] = await Promise.all([a.opened, b.opened])
  if (!openA || !openB) throw new Error('secret-stream handshake did not complete')
  return { a, b, close: () => { a.destroy(); b.destroy(); sockets.close() } }
}

/** Both ends over one UDX stream on loopback, each end its own UDP socket, once their handshake is done: `a` dialled. */
export async function udxSecretStreamPair (): Promise<SecretStreamPair> {
  const udx = new UDX()
  const sockets = [udx.createSocket(), udx.createSocket()] as const
  for (const socket of sockets) socket.bind(0, '127.0.0.1')
  const raw = [udx.createStream(1), udx.createStream(2)] as const
  raw[0].connect(sockets[0], 2, sockets[1].address()!.port, '127.0.0.1')
  raw[1].connect(sockets[1], 1, sockets[0].address()!.port, '127.0.0.1')
  // udx-native's streams are streamx Duplexes, which secret-stream takes as they are.
  const a = new NoiseSecretStream(true, raw[0] as unknown as Duplex)
  const b = new NoiseSecretStream(false, raw[1] as unknown as Duplex)
  for (const s of [a, b]) s.on('error', () => {})
  const [openA, openB] = await Promise.all([a.opened, b.opened])
  if (!openA || !openB) throw new Error('secret-stream handshake did not complete')
  return {
    a,
    b,
    close: () => {
      a.destroy()
      b.destroy()
      for (const socket of sockets) socket.close().catch(() => {})
    }
  }
}

/** Writes `count` copies of `message`, waiting for 'drain' whenever the stream is full. */
export async function writeAll (stream: NoiseSecretStream, message: Uint8Array, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (!stream.write(message)) await new Promise<void>(resolve => { stream.once('drain', resolve) })
  }
}
