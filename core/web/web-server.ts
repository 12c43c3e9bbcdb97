// The daemon's web UI: the built renderer over HTTP and the BitChat API as JSON-RPC over a
// WebSocket at /rpc, for a browser on the same machine. Listens only on the given host.
import { randomBytes } from 'node:crypto'
import { createServer, STATUS_CODES } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import type { BitChatService } from '../api/service.ts'
import type { Logger } from '../log.ts'
import { silentLogger } from '../log.ts'
import { invalidRequestText, MAX_MESSAGE_LENGTH, serveJsonRpc } from '../rpc/json-rpc.ts'
import { OutboundQueue } from '../rpc/outbound-queue.ts'
import { contentSecurityPolicy } from './content-security-policy.ts'
import { checkRpcUpgrade, hasOwnHost, hasToken, serverIdentity } from './request-guard.ts'
import type { ServerIdentity } from './request-guard.ts'
import { resolveStaticFile, serveStaticFile } from './static-files.ts'
import { errorMessage } from '../error-message.ts'

/** A browser tab or two is the expected load; more than this is a runaway client. */
const MAX_CONNECTIONS = 16

export interface WebLimits {
  /** Open HTTP connections (WebSockets not counted); past it the oldest idle one makes room, or the new one is refused. */
  maxHttpConnections: number
  /** A connection that has not sent a whole request's headers by then is closed; an idle keep-alive one sooner. */
  headersTimeoutMs: number
}

const DEFAULT_LIMITS: WebLimits = { maxHttpConnections: 64, headersTimeoutMs: 10_000 }
/** A browser reuses a connection at once; one kept longer only holds a slot. */
const KEEP_ALIVE_MS = 5_000
const CLOSE_GRACE_MS = 1000

export interface WebServerOptions {
  service: BitChatService
  /** Folder of the built renderer (dist/renderer). */
  staticDir: string
  host?: string
  port?: number
  /** The access token, to keep the one an open tab holds; a new random one without it. */
  token?: string
  limits?: Partial<WebLimits>
  log?: Logger
}

export interface WebServer {
  /** What a person opens: our origin with the token in the fragment, which browsers never send to a server. */
  readonly url: string
  readonly origin: string
  readonly token: string
  readonly port: number
  close (): Promise<void>
}

export async function startWebServer (opts: WebServerOptions): Promise<WebServer> {
  const { service, staticDir } = opts
  const host = opts.host ?? '127.0.0.1'
  const log = opts.log ?? silentLogger
  const token = opts.token ?? randomBytes(32).toString('hex')
  const limits = { ...DEFAULT_LIMITS, ...opts.limits }
  // Known once listening; no request can arrive before that.
  let identity: ServerIdentity = serverIdentity(host, opts.port ?? 0)
  let csp = ''
  let connectionCount = 0
  let connectionSerial = 0

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_LENGTH, perMessageDeflate: false })

  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: 3 * limits.headersTimeoutMs,
    keepAliveTimeout: Math.min(KEEP_ALIVE_MS, limits.headersTimeoutMs),
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs / 2)
  }, (req, res) => {
    setSecurityHeaders(res, csp)
    handleHttp(req, res, identity, staticDir, token).catch((err: unknown) => {
      log.error('web request failed', { url: req.url, error: errorMessage(err) })
      if (!res.headersSent) respond(res, 500, 'internal error')
      else res.destroy()
    })
  })

  // HTTP connections, oldest first, with whether a request is in progress on each.
  const httpSockets = new Map<Duplex, { busy: boolean }>()
  server.on('connection', (socket: Duplex) => {
    if (httpSockets.size >= limits.maxHttpConnections) {
      const idle = [...httpSockets].find(([, state]) => !state.busy)?.[0]
      if (idle === undefined) {
        log.warn('refused a web connection: every slot is busy', { max: limits.maxHttpConnections })
        socket.destroy()
        return
      }
      idle.destroy()
      httpSockets.delete(idle)
    }
    httpSockets.set(socket, { busy: false })
    socket.once('close', () => { httpSockets.delete(socket) })
  })
  server.on('request', (req: IncomingMessage, res) => {
    const state = httpSockets.get(req.socket)
    if (state === undefined) return
    state.busy = true
    res.once('close', () => { state.busy = false })
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A WebSocket counts against its own limit, not the HTTP one.
    httpSockets.delete(socket)
    const verdict = checkRpcUpgrade(req, identity, token)
    if (!verdict.ok) {
      log.warn('refused a WebSocket connection', { reason: verdict.reason, origin: req.headers.origin })
      refuseUpgrade(socket, verdict.status, verdict.reason)
      return
    }
    if (connectionCount >= MAX_CONNECTIONS) {
      refuseUpgrade(socket, 503, 'too many connections')
      return
    }
    wss.handleUpgrade(req, socket, head, ws => { accept(ws) })
  })

  const accept = (ws: WebSocket): void => {
    connectionCount++
    const connLog = log.child({ ws: ++connectionSerial })
    // A tab that stops reading (a frozen page) loses notifications, then its connection if even
    // its replies pile up; the node and the other tabs never notice.
    const outbound = new OutboundQueue({
      write: (text, done) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(text, () => { done() })
        else done()
      },
      onOverflow: () => { ws.terminate() },
      log: connLog
    })
    const rpc = serveJsonRpc(service, (text, what) => { outbound.send(text, what) }, connLog)
    // While replies wait, requests are not read: a client cannot make us queue answers it does not take.
    const holdRequestsWhileRepliesWait = (): void => {
      if (!outbound.repliesWaiting || ws.isPaused) return
      ws.pause()
      void outbound.whenRepliesFlow().then(() => { ws.resume() })
    }
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        outbound.send(invalidRequestText('messages must be text frames'), { kind: 'reply' })
        holdRequestsWhileRepliesWait()
        return
      }
      void rpc.receive(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'))
        .then(holdRequestsWhileRepliesWait)
    })
    ws.on('error', err => { connLog.warn('WebSocket error', { error: err.message }) })
    ws.once('close', () => {
      connectionCount--
      rpc.close()
      outbound.close()
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host, port: opts.port ?? 0 }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the web server has no TCP address')
  identity = serverIdentity(host, address.port)
  csp = contentSecurityPolicy(identity.hosts.map(h => `ws://${h}`))
  const origin = identity.origins[0] as string
  log.info('web UI listening', { origin })

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port: address.port,
    async close () {
      for (const client of wss.clients) client.close(1001, 'server shutting down')
      // A client that does not answer the close handshake promptly is cut off.
      const cutOff = setTimeout(() => { for (const client of wss.clients) client.terminate() }, CLOSE_GRACE_MS)
      await new Promise<void>(resolve => { wss.close(() => { resolve() }) })
      clearTimeout(cutOff)
      await new Promise<void>(resolve => {
        server.close(() => { resolve() })
        server.closeAllConnections()
      })
    }
  }
}

async function handleHttp (req: IncomingMessage, res: ServerResponse, identity: ServerIdentity, staticDir: string, token: string): Promise<void> {
  if (!hasOwnHost(req, identity)) return respond(res, 403, 'wrong Host header')
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD')
    return respond(res, 405, 'method not allowed')
  }
  let url: URL
  try {
    url = new URL(req.url ?? '/', 'http://request.invalid')
  } catch {
    return respond(res, 400, 'bad request')
  }
  const pathname = url.pathname
  // A page whose WebSocket fails asks here whether its token is still the one (see ws-client.ts).
  if (pathname === '/rpc') return hasToken(url, token) ? respond(res, 426, 'the API is a WebSocket') : respond(res, 401, 'missing or wrong token')
  const file = await resolveStaticFile(staticDir, pathname)
  if (file !== null) return await serveStaticFile(req, res, file)
  if (pathname === '/') return respond(res, 503, 'the web UI is not built: run `npm run build:renderer` and restart the daemon')
  respond(res, 404, 'not found')
}

function setSecurityHeaders (res: ServerResponse, csp: string): void {
  res.setHeader('Content-Security-Policy', csp)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), payment=()')
}

function respond (res: ServerResponse, status: number, text: string): void {
  const body = text + '\n'
  res.statusCode = status
  res.setHeader('Content-Type', 'text/plain; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.setHeader('Cache-Control', 'no-store')
  res.end(body)
}

function refuseUpgrade (socket: Duplex, status: number, reason: string): void {
  const body = reason + '\n'
  socket.once('finish', () => { socket.destroy() })
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
}
