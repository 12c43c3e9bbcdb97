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
