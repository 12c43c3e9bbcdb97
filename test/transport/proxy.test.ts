// The proxy transport against real proxies on loopback: Debian's tinyproxy (HTTP CONNECT) and
// microsocks (SOCKS5, with and without a login).
import assert from 'node:assert/strict'
import { once } from 'node:events'
import net from 'node:net'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { openTunnel, proxyTransport } from '../../core/transport/proxy.ts'
import { parseProxyUrl } from '../../core/transport/proxy-url.ts'
import type { RawStream } from '../../core/transport/raw-stream.ts'
import { proxiesUnavailable, startMicrosocks, startTinyproxy, type RealProxy } from '../helpers/proxies.ts'

const skip = proxiesUnavailable() ?? false

/** A peer that greets whoever connects, then echoes; resolves with its port. */
async function echoPeer (t: TestContext): Promise<number> {
  const server = net.createServer(socket => {
    socket.write('hello:')
    socket.pipe(socket)
  }).listen(0, '127.0.0.1')
  t.after(() => { server.close() })
  await once(server, 'listening')
  return (server.address() as net.AddressInfo).port
}

async function read (stream: RawStream, want: string): Promise<string> {
  let got = ''
  while (got.length < want.length) {
    const [chunk] = await once(stream, 'data') as [Uint8Array]
    got += new TextDecoder().decode(chunk)
  }
  return got
}

function transportFor (proxy: RealProxy) {
  const parsed = parseProxyUrl(proxy.url)
  assert.ok(parsed.ok)
  return proxyTransport(parsed.proxy)
}

for (const [name, start] of [
  ['an HTTP CONNECT proxy (tinyproxy)', startTinyproxy],
  ['a SOCKS5 proxy (microsocks)', startMicrosocks],
  ['a SOCKS5 proxy with a login (microsocks)', () => startMicrosocks({ login: { user: 'alice', password: 'p@ss word' } })]
] as const) {
  test(`a stream through ${name} carries bytes both ways, including the peer's first bytes`, { skip }, async t => {
    const proxy = await start()
    t.after(() => proxy.close())
    const port = await echoPeer(t)
    const stream = await transportFor(proxy).dial({ kind: 'tcp', host: 'localhost', port }, { timeoutMs: 5_000 })
    t.after(() => { stream.destroy() })
    assert.equal(stream.kind, 'proxy')
    assert.deepEqual(stream.remote, { host: 'localhost', port })
    assert.equal(await read(stream, 'hello:'), 'hello:')
    stream.write([new TextEncoder().encode('ping')])
    assert.equal(await read(stream, 'ping'), 'ping')
  })
}

test('a proxy that cannot reach the peer, or is not there, fails the dial with why', { skip }, async t => {
  const proxy = await startMicrosocks()
  t.after(() => proxy.close())
  const closed = await echoPeer(t)
  await assert.rejects(transportFor(proxy).dial({ kind: 'tcp', host: '127.0.0.1', port: 1 }, { timeoutMs: 5_000 }), /SOCKS5 proxy/)
  const http = await startTinyproxy()
  t.after(() => http.close())
  await assert.rejects(transportFor(http).dial({ kind: 'tcp', host: '127.0.0.1', port: 1 }, { timeoutMs: 5_000 }), /HTTP proxy refused the connection: 5\d\d/)
  const gone = proxyTransport({ kind: 'socks5', host: '127.0.0.1', port: closed })
  await assert.rejects(gone.dial({ kind: 'tcp', host: '127.0.0.1', port: closed }, { timeoutMs: 5_000 }), /SOCKS5|proxy/)
  await assert.rejects(proxyTransport({ kind: 'socks5', host: '127.0.0.1', port: 1 }).dial({ kind: 'tcp', host: '127.0.0.1', port: 2 }, { timeoutMs: 5_000 }), /cannot reach the proxy 127\.0\.0\.1:1/)
})

test('a proxy that accepts and says nothing fails the dial at its timeout', { skip }, async t => {
  const silent = net.createServer(() => {}).listen(0, '127.0.0.1')
  t.after(() => { silent.close() })
  await once(silent, 'listening')
  const port = (silent.address() as net.AddressInfo).port
  await assert.rejects(openTunnel({ kind: 'http', host: '127.0.0.1', port }, { host: 'peer', port: 1 }, 300), /no tunnel through the proxy after 300 ms/)
})

test("the peer's first bytes that come in one packet with the proxy's answer reach the stream's reader", async t => {
  // One write, so they surely arrive together (a real proxy only sometimes sends them so).
  const proxy = net.createServer(socket => { socket.once('data', () => { socket.write('HTTP/1.1 200 Connection established\r\n\r\nhello:') }) }).listen(0, '127.0.0.1')
  t.after(() => { proxy.close() })
  await once(proxy, 'listening')
  const stream = await proxyTransport({ kind: 'http', host: '127.0.0.1', port: (proxy.address() as net.AddressInfo).port }).dial({ kind: 'tcp', host: 'peer', port: 1 }, { timeoutMs: 5_000 })
  t.after(() => { stream.destroy() })
  assert.equal(await read(stream, 'hello:'), 'hello:')
})
