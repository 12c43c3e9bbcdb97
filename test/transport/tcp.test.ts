import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { once } from 'node:events'
import { tcpTransport, TcpStream } from '../../core/transport/tcp.ts'

async function server (onSocket: (s: net.Socket) => void): Promise<{ port: number; close: () => void }> {
  const srv = net.createServer(onSocket)
  srv.listen(0, '127.0.0.1')
  await once(srv, 'listening')
  return { port: (srv.address() as net.AddressInfo).port, close: () => { srv.close() } }
}

test('a TCP dial gives a stream only once connected, and it carries bytes both ways', async () => {
  const echo = await server(s => { s.pipe(s) })
  try {
    const stream = await tcpTransport.dial({ kind: 'tcp', host: '127.0.0.1', port: echo.port }, { timeoutMs: 2_000 })
    assert.equal(stream.kind, 'tcp')
    assert.deepEqual(stream.remote, { host: '127.0.0.1', port: echo.port })
    const [echoed] = await Promise.all([once(stream, 'data'), Promise.resolve(stream.write([Buffer.from('he'), Buffer.from('llo')]))])
    assert.equal(Buffer.from(echoed[0] as Uint8Array).toString(), 'hello')
    const closed = once(stream, 'close')
    stream.destroy()
    assert.deepEqual(await closed, [null])
  } finally {
    echo.close()
  }
})

test('a TCP dial to a closed port fails with the reason', async () => {
  const gone = await server(() => {})
  gone.close()
  await assert.rejects(tcpTransport.dial({ kind: 'tcp', host: '127.0.0.1', port: gone.port }, { timeoutMs: 2_000 }), /ECONNREFUSED/)
})

test('an accepted socket reports its peer in plain IPv4 form', async () => {
  let accepted: TcpStream | null = null
  const srv = await server(s => { accepted = new TcpStream(s) })
  try {
    const client = net.connect(srv.port, '127.0.0.1')
    await once(client, 'connect')
    await new Promise(resolve => setImmediate(resolve))
    assert.equal(accepted!.remote.host, '127.0.0.1')
    client.destroy()
  } finally {
    srv.close()
  }
})

/** Our TcpStream on a dialled socket, and everything the accepting side receives until it closes. */
async function dialled (): Promise<{ stream: TcpStream; socket: net.Socket; received: Promise<Buffer>; close: () => void }> {
  let received!: Promise<Buffer>
  let accepted: net.Socket | null = null
  const srv = await server(s => {
    accepted = s
    const chunks: Buffer[] = []
    s.on('data', (chunk: Buffer) => { chunks.push(chunk) })
    s.on('error', () => {})
    received = once(s, 'close').then(() => Buffer.concat(chunks))
  })
  const socket = net.connect(srv.port, '127.0.0.1')
  await once(socket, 'connect')
  await new Promise(resolve => setImmediate(resolve))
  return {
    stream: new TcpStream(socket),
    socket,
    received,
    close: () => {
      socket.destroy()
      accepted?.destroy()
      srv.close()
    }
  }
}

test('frames written in one run of JavaScript leave in one write to the socket, in the order written', async () => {
  const { stream, socket, received, close } = await dialled()
  try {
    let socketWrites = 0
    const hooks = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>
    for (const name of ['_write', '_writev'] as const) {
      const original = hooks[name].bind(socket)
      hooks[name] = (...args) => { socketWrites++; return original(...args) }
    }
    const frames = Array.from({ length: 1000 }, (_, i) => [Uint8Array.of(i >> 8, i & 0xff), new Uint8Array(1 + (i % 300)).fill(i % 251)])
    for (const frame of frames) stream.write(frame)
    await new Promise(resolve => setImmediate(resolve))
    assert.equal(socketWrites, 1)
    stream.end()
    assert.deepEqual(await received, Buffer.concat(frames.flat()))
  } finally {
    close()
  }
})

test('a stream ended or destroyed right after a write still sends what it was given', async () => {
  for (const finish of ['end', 'destroy'] as const) {
    const { stream, received, close } = await dialled()
    try {
      stream.write([Buffer.from('last '), Buffer.from('words')])
      stream[finish]()
      assert.equal((await received).toString(), 'last words', finish)
    } finally {
      close()
    }
  }
})
