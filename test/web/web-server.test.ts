import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { connect as connectTcp, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { WebSocket } from 'ws'
import { startWebServer, type WebServer } from '../../core/web/web-server.ts'
import { CHANNEL_ID, fixedService, message } from '../rpc/fixed-service.ts'
import { waitUntil } from '../helpers/wait.ts'

const service = fixedService()
let dir: string
let server: WebServer

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bitchat-web-'))
  const root = path.join(dir, 'renderer')
  await mkdir(path.join(root, 'assets'), { recursive: true })
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>BitChat</title>')
  await writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(path.join(root, 'assets', 'app.css'), 'body{}')
  await writeFile(path.join(root, 'assets', 'icon.svg'), '<svg/>')
  await writeFile(path.join(root, '.env'), 'SECRET=1')
  await writeFile(path.join(dir, 'outside.txt'), 'outside')
  await symlink(path.join(dir, 'outside.txt'), path.join(root, 'link.txt'))
  server = await startWebServer({ service, staticDir: root })
})

after(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function get (pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: pathname, method, headers }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { body += c })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
    })
    req.on('error', reject)
    req.end()
  })
}

function connect (url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin })
    ws.once('open', () => { resolve(ws) })
    ws.once('unexpected-response', (_req, res) => { reject(new Error(`HTTP ${res.statusCode}`)) })
    ws.once('error', reject)
  })
}

const rpcUrl = (token?: string): string => `ws://127.0.0.1:${server.port}/rpc${token === undefined ? '' : `?token=${token}`}`

/** The reply with this id, skipping notifications. */
function nextReply (ws: WebSocket, id: number): Promise<Record<string, unknown>> {
  return new Promise(resolve => {
    const onMessage = (data: unknown): void => {
      const parsed = JSON.parse(String(data)) as Record<string, unknown>
      if (parsed.id !== id) return
      ws.off('message', onMessage)
      resolve(parsed)
    }
    ws.on('message', onMessage)
  })
}

function nextMessage (ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise(resolve => { ws.once('message', data => { resolve(JSON.parse(String(data)) as Record<string, unknown>) }) })
}

test('the URL points at our loopback origin and carries a 32-byte hex token in the fragment', () => {
  assert.match(server.token, /^[0-9a-f]{64}$/)
  assert.equal(server.url, `http://127.0.0.1:${server.port}/#token=${server.token}`)
})

test('/ serves index.html as HTML that is never cached', async () => {
  const reply = await get('/')
  assert.equal(reply.status, 200)
  assert.equal(reply.body, '<!doctype html><title>BitChat</title>')
  assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8')
  assert.equal(reply.headers['cache-control'], 'no-store')
})

test('static files are served with their content types', async () => {
  assert.equal((await get('/assets/app.js')).headers['content-type'], 'text/javascript; charset=utf-8')
  assert.equal((await get('/assets/app.css')).headers['content-type'], 'text/css; charset=utf-8')
  assert.equal((await get('/assets/icon.svg')).headers['content-type'], 'image/svg+xml')
})

test('every response carries the security headers', async () => {
  for (const p of ['/', '/missing']) {
    const { headers } = await get(p)
    assert.match(String(headers['content-security-policy']), /default-src 'none'; script-src 'self'/)
    assert.match(String(headers['content-security-policy']), new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${server.port}`))
    assert.equal(headers['x-content-type-options'], 'nosniff')
    assert.equal(headers['x-frame-options'], 'DENY')
    assert.equal(headers['referrer-policy'], 'no-referrer')
  }
})

test('HEAD answers headers without a body', async () => {
  const reply = await get('/assets/app.js', {}, 'HEAD')
  assert.equal(reply.status, 200)
  assert.equal(reply.headers['content-length'], '14')
  assert.equal(reply.body, '')
})

test('other methods are refused', async () => {
  assert.equal((await get('/', {}, 'POST')).status, 405)
})

test('path traversal attempts get 404', async () => {
  for (const p of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/assets/..%2f..%2foutside.txt',
    '/assets/%2e%2e/%2e%2e/outside.txt', '/..\\outside.txt', '/%5c..%5coutside.txt', '/link.txt', '/.env', '/%00', '/%zz', '/assets']) {
    const reply = await get(p)
    assert.equal(reply.status, 404, p)
    assert.doesNotMatch(reply.body, /outside|SECRET/)
  }
})

test('a request naming another host is refused', async () => {
  assert.equal((await get('/', { Host: 'evil.example:80' })).status, 403)
})

test('the RPC socket refuses a missing token', async () => {
  await assert.rejects(connect(rpcUrl(), server.origin), /HTTP 401/)
})

test('the RPC socket refuses a wrong token', async () => {
  await assert.rejects(connect(rpcUrl('0'.repeat(64)), server.origin), /HTTP 401/)
  await assert.rejects(connect(rpcUrl(server.token.slice(1)), server.origin), /HTTP 401/)
})

test('the RPC socket refuses a foreign or missing Origin', async () => {
  await assert.rejects(connect(rpcUrl(server.token), 'http://evil.example'), /HTTP 403/)
  await assert.rejects(connect(rpcUrl(server.token), `http://127.0.0.1:${server.port + 1}`), /HTTP 403/)
  await assert.rejects(connect(rpcUrl(server.token)), /HTTP 403/)
})

test('other WebSocket paths are refused', async () => {
  await assert.rejects(connect(`ws://127.0.0.1:${server.port}/other?token=${server.token}`, server.origin), /HTTP 404/)
})

test('calls over the RPC socket work from our own origin', async () => {
  const ws = await connect(rpcUrl(server.token), server.origin)
  const reply = nextMessage(ws)
  ws.send('{"jsonrpc":"2.0","id":1,"method":"channels.list"}')
  const answer = await reply
  assert.equal(answer.id, 1)
  assert.equal((answer.result as unknown[]).length, 2)
  ws.close()
})

test('localhost is accepted as our origin too', async () => {
  const ws = await connect(`ws://localhost:${server.port}/rpc?token=${server.token}`, `http://localhost:${server.port}`)
  ws.close()
})

test('events arrive as notifications on the RPC socket', async () => {
  const ws = await connect(rpcUrl(server.token), server.origin)
  const note = nextMessage(ws)
  service.emit('channel.removed', { channelId: CHANNEL_ID })
  assert.deepEqual(await note, { jsonrpc: '2.0', method: 'channel.removed', params: { channelId: CHANNEL_ID } })
  ws.close()
})

test('a message over the size limit closes the connection', async () => {
  const ws = await connect(rpcUrl(server.token), server.origin)
  const closed = new Promise<number>(resolve => { ws.once('close', code => { resolve(code) }) })
  ws.send('x'.repeat(1024 * 1024 + 1))
  assert.equal(await closed, 1009)
})

test('closing the server ends connections and unsubscribes from events', async () => {
  const own = fixedService()
  const other = await startWebServer({ service: own, staticDir: dir })
  const ws = await connect(`ws://127.0.0.1:${other.port}/rpc?token=${other.token}`, other.origin)
  const closed = new Promise<void>(resolve => { ws.once('close', () => { resolve() }) })
  await other.close()
  await closed
  assert.equal(own.listenerCount(), 0)
})

test('the server listens only on the given host', async () => {
  const own = await startWebServer({ service: fixedService(), staticDir: dir })
  const viaOther = new Promise<string>(resolve => {
    const req = request({ host: '127.0.0.2', port: own.port, path: '/' }, () => { resolve('answered') })
    req.on('error', (err: NodeJS.ErrnoException) => { resolve(err.code ?? 'error') })
    req.end()
  })
  assert.equal(await viaOther, 'ECONNREFUSED')
  await own.close()
})

test('without a built renderer / explains how to build it', async () => {
  const own = await startWebServer({ service: fixedService(), staticDir: path.join(dir, 'nope') })
  const reply = await new Promise<Reply>((resolve, reject) => {
    request({ host: '127.0.0.1', port: own.port, path: '/' }, res => {
      let body = ''
      res.on('data', (c: Buffer) => { body += String(c) })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
    }).on('error', reject).end()
  })
  assert.equal(reply.status, 503)
  assert.match(reply.body, /build:renderer/)
  await own.close()
})

test('a WebSocket client that stops reading during a flood of events loses some of them, not its connection', async () => {
  const own = fixedService()
  const web = await startWebServer({ service: own, staticDir: dir })
  const ws = await connect(`ws://127.0.0.1:${web.port}/rpc?token=${web.token}`, web.origin)
  const cutOff = new Promise<never>((_resolve, reject) => { ws.once('close', () => { reject(new Error('the server closed the connection')) }) })
  let notes = 0
  ws.on('message', data => { if (String(data).includes('"method":"message.received"')) notes++ })
  ws.pause()
  // 2,000 events of 48 KiB: 94 MiB if the server held them all for this client.
  const heavy = { ...message(), text: '\u0001'.repeat(8192) }
  for (let i = 0; i < 2000; i++) {
    own.emit('message.received', heavy)
    if (i % 100 === 0) await new Promise(resolve => setImmediate(resolve))
  }
  ws.resume()
  const reply = nextReply(ws, 7)
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'identity.get' }))
  assert.equal((await Promise.race([reply, cutOff])).id, 7)
  assert.ok(notes > 0 && notes < 2000, `${notes} notifications arrived`)
  ws.close()
  await web.close()
})

/** Sends raw bytes on a fresh connection and resolves with everything the server sent until it closed. */
function rawExchange (port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => { socket.write(text) })
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => { answer += chunk })
    socket.on('error', reject)
    socket.on('close', () => { resolve(answer) })
  })
}

test('a request with two Host headers is refused, even when the first is ours', async () => {
  const host = `127.0.0.1:${server.port}`
  const page = await rawExchange(server.port, `GET / HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`)
  assert.match(page, /^HTTP\/1\.1 403 /)
  const upgrade = await rawExchange(server.port, `GET /rpc?token=${server.token} HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\nOrigin: ${server.origin}\r\n` +
    'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
  assert.match(upgrade, /^HTTP\/1\.1 403 /)
  assert.equal((await get('/')).status, 200)
})

test('idle connections beyond the cap make room for new ones instead of piling up', async () => {
  const web = await startWebServer({ service: fixedService(), staticDir: path.join(dir, 'renderer'), limits: { maxHttpConnections: 8 } })
  const idle = await Promise.all(Array.from({ length: 40 }, () => new Promise<Socket>(resolve => {
    const socket = connectTcp(web.port, '127.0.0.1', () => { resolve(socket) })
    socket.on('error', () => {})
  })))
  const open = (): number => idle.filter(s => !s.destroyed && s.readyState === 'open').length
  await waitUntil(() => open() <= 8, 5000, 'the server to close idle connections beyond its cap')
  const page = await rawExchange(web.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nConnection: close\r\n\r\n`)
  assert.match(page, /^HTTP\/1\.1 200 /)
  for (const socket of idle) socket.destroy()
  await web.close()
})

test('a connection that sends no request is closed after the headers timeout', async () => {
  const web = await startWebServer({ service: fixedService(), staticDir: path.join(dir, 'renderer'), limits: { headersTimeoutMs: 300 } })
  const answer = await rawExchange(web.port, '')
  assert.doesNotMatch(answer, /200/)
  await web.close()
})

test('a token given at start is the one the server asks for', async () => {
  const token = 'ab'.repeat(32)
  const web = await startWebServer({ service: fixedService(), staticDir: path.join(dir, 'renderer'), token })
  assert.equal(web.url, `${web.origin}/#token=${token}`)
  const ws = await connect(`ws://127.0.0.1:${web.port}/rpc?token=${token}`, web.origin)
  ws.close()
  await web.close()
})

test('a plain GET of /rpc tells a page whether its token is still the one: 426 if so, 401 if not', async () => {
  assert.equal((await get(`/rpc?token=${server.token}`)).status, 426)
  assert.equal((await get(`/rpc?token=${'0'.repeat(64)}`)).status, 401)
  assert.equal((await get('/rpc')).status, 401)
  assert.equal((await get(`/rpc?token=${server.token}`, { Host: 'evil.example' })).status, 403)
})
