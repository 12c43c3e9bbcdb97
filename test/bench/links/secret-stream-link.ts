// Holepunch's encrypted stream over one loopback TCP socket pair: the anchor of every link figure.
// Each write is one message (a 3-byte length, libsodium secretstream) and arrives as one 'data' event.
import NoiseSecretStream from '@hyperswarm/secret-stream'
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

/** Writes `count` copies of `message`, waiting for 'drain' whenever the stream is full. */
export async function writeAll (stream: NoiseSecretStream, message: Uint8Array, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (!stream.write(message)) await new Promise<void>(resolve => { stream.once('drain', resolve) })
  }
}
