// A hand-made first handshake message, to see whether a node accepts a PSK: a node that does not hold
// it answers not one byte and hangs up (PROTOCOL §3.2); one that does answers message 2.
import net from 'node:net'
import { once } from 'node:events'
import { SecureConnection } from '../../core/session/secure-connection.ts'
import { generateIdentity } from '../../core/identity/identity.ts'

/** Connects, sends a well-formed handshake message 1 under `psk`, and returns every byte the node sent before hanging up. */
export async function probe (port: number, psk: Uint8Array): Promise<Buffer> {
  const socket = net.connect(port, '127.0.0.1')
  await once(socket, 'connect')
  const received: Buffer[] = []
  socket.on('data', (d: Buffer) => { received.push(d) })
  socket.on('error', () => {})
  const client = new SecureConnection({ initiator: true, identity: generateIdentity(), psks: [psk], onSend: (chunks) => { for (const c of chunks) socket.write(c) }, onEstablished: () => {}, onMessage: () => {} })
  client.start()
  await once(socket, 'close')
  return Buffer.concat(received)
}
