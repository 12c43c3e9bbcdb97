// Connections over real loopback TCP: what one run of JavaScript writes leaves in one batch of sealed
// frames and arrives cut wherever the kernel cuts it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { once } from 'node:events'
import { Connection } from '../../core/connection/connection.ts'
import { CloseCode } from '../../core/connection/close-codes.ts'
import { MAX_MESSAGE_BYTES } from '../../core/connection/mux-messages.ts'
import type { Stream } from '../../core/connection/mux-stream.ts'
import { TcpStream } from '../../core/transport/tcp.ts'
import { generateIdentity } from '../../core/identity/identity.ts'
import { silentLogger } from '../../core/log.ts'
import { FAST_TIMINGS, waitUntil } from '../helpers/testnet.ts'
import { nextEvent } from '../helpers/wait.ts'

const psk = new Uint8Array(32).fill(9)

async function tcpPair (): Promise<{ a: Connection; b: Connection; close: () => void }> {
  const server = net.createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const accepted = once(server, 'connection') as Promise<[net.Socket]>
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
  await once(client, 'connect')
  const [socket] = await accepted
  const a = new Connection({ stream: new TcpStream(client), initiator: true, identity: generateIdentity(), psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
  const b = new Connection({ stream: new TcpStream(socket), initiator: false, identity: generateIdentity(), psks: [psk], log: silentLogger, timings: FAST_TIMINGS })
  await Promise.all([nextEvent(a, 'established'), nextEvent(b, 'established')])
  return {
    a,
    b,
    close: () => {
      a.close(CloseCode.NORMAL)
      b.close(CloseCode.NORMAL)
      server.close()
    }
  }
}

/** Deterministic sizes: small ones that share transport frames, large ones that fill them, both edges. */
function sizes (count: number, seed: number): number[] {
  let state = seed
  const next = (): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0
    return state / 2 ** 32
  }
  return Array.from({ length: count }, (_, i) => {
    if (i === 0) return 1
    if (i === 1) return MAX_MESSAGE_BYTES
    return next() < 0.5 ? 1 + Math.floor(next() * 300) : 1 + Math.floor(next() * MAX_MESSAGE_BYTES)
  })
}

function message (stream: number, index: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length).fill((stream * 31 + index) % 251)
  bytes[0] = 0x10
  return bytes
}

test('a burst of messages of every size on three streams, sent at once, arrives whole and in order on each', async () => {
  const { a, b, close } = await tcpPair()
  try {
    const protocols = ['test/one/1', 'test/two/1', 'test/three/1']
    const received = new Map<string, Uint8Array[]>(protocols.map(p => [p, []]))
    b.on('stream', (stream: Stream) => {
      stream.on('message', (m: Uint8Array) => { received.get(stream.protocol)!.push(new Uint8Array(m)) })
      b.accept(stream)
    })
    const streams = protocols.map(p => a.open(p, new Uint8Array(0)))
    await Promise.all(streams.map(async s => await once(s, 'open')))
    const sent = streams.map((_, s) => sizes(60, s + 1).map((length, i) => message(s, i, length)))
    for (let i = 0; i < 60; i++) {
      for (const [s, stream] of streams.entries()) stream.send(sent[s]![i]!)
    }
    await waitUntil(() => protocols.every(p => received.get(p)!.length === 60), 20_000, 'every message')
    for (const [s, p] of protocols.entries()) assert.deepEqual(received.get(p), sent[s], p)
  } finally {
    close()
  }
})
