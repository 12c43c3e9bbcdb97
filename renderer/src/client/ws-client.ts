import type { BitChatEvents, EventName, MethodName, ParamsOf, ResultOf } from '../../../core/api/contract.ts'
import { ApiCallError, toClientErrorCode } from './api-call-error.ts'
import type { ConnectedClient, ConnectionState } from './types.ts'

export interface WsClientOptions {
  url: string
  /** Injected so tests can use a socket implementation of their choice. */
  WebSocketImpl?: typeof WebSocket
  /** Delay before reconnect attempt `n` (0-based); grows so a dead daemon is not hammered. */
  backoffMs?: (attempt: number) => number
  /** Injected so tests can answer the token check themselves. */
  fetchImpl?: typeof fetch
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (err: Error) => void
}

// A daemon answering with megabytes is broken or hostile; refuse before parsing.
const MAX_FRAME_CHARS = 16 * 1024 * 1024

function defaultBackoffMs (attempt: number): number {
  const base = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5))
  return base / 2 + Math.random() * base / 2
}

/** The web UI's access token from the address fragment `#token=…`; empty when there is none. */
export function tokenFromHash (hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? ''
}

/** `ws(s)://<host>/rpc?token=…` for the page the daemon served, token taken from `#token=…`. */
export function wsUrlFromLocation (location: Pick<Location, 'protocol' | 'host' | 'hash'>): string {
  const token = tokenFromHash(location.hash)
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}/rpc?token=${encodeURIComponent(token)}`
}

/**
 * Whether the daemon at a WebSocket URL is up but refuses its token. A browser does not say why an
 * upgrade failed, so the same URL is asked over plain HTTP: the daemon answers 401 for a wrong token.
 */
async function tokenRefused (wsUrl: string, fetchImpl: typeof fetch): Promise<boolean> {
  try {
    const response = await fetchImpl(wsUrl.replace(/^ws/, 'http'), { cache: 'no-store' })
    return response.status === 401
  } catch {
    // Nothing answered: the daemon is down, and may come back.
    return false
  }
}

/**
 * The browser transport: JSON-RPC 2.0 over a WebSocket that reconnects with backoff, for as long as
 * the daemon may come back with the same token; it stops, as 'refused', once the daemon refuses it.
 */
export function createWsClient (options: WsClientOptions): ConnectedClient {
  const Impl = options.WebSocketImpl ?? WebSocket
  const backoffMs = options.backoffMs ?? defaultBackoffMs
  const fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init))
  const pending = new Map<number, Pending>()
  // Calls made while a socket is opening wait for it instead of failing the app's first requests.
  const queued: string[] = []
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>()
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  let state: ConnectionState = 'connecting'
  let socket: WebSocket | null = null
  let nextId = 1
  let attempt = 0
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let closed = false

  const setState = (next: ConnectionState): void => {
    if (state === next) return
    state = next
    for (const listener of connectionListeners) listener(next)
  }

  const failAll = (message: string): void => {
    queued.length = 0
    const calls = [...pending.values()]
    pending.clear()
    for (const call of calls) call.reject(new ApiCallError('DISCONNECTED', message))
  }

  const handleFrame = (data: unknown): void => {
    if (typeof data !== 'string' || data.length > MAX_FRAME_CHARS) return
    let frame: unknown
    try { frame = JSON.parse(data) } catch { return }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return
    const msg = frame as Record<string, unknown>
    if (typeof msg.id === 'number') {
      const call = pending.get(msg.id)
      if (call === undefined) return
      pending.delete(msg.id)
      if ('error' in msg) call.reject(toError(msg.error))
      else call.resolve(msg.result)
      return
    }
    if (typeof msg.method === 'string' && msg.id === undefined) {
      for (const listener of eventListeners.get(msg.method) ?? []) listener(msg.params)
    }
  }

  const connect = (): void => {
    retryTimer = null
    setState('connecting')
    const ws = new Impl(options.url)
    socket = ws
    let opened = false
    ws.onopen = () => {
      opened = true
      attempt = 0
      setState('connected')
      for (const frame of queued.splice(0)) ws.send(frame)
    }
    ws.onmessage = event => { handleFrame(event.data) }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      failAll('disconnected from BitChat')
      if (closed) return
      setState('disconnected')
      if (opened) {
        retryLater()
        return
      }
      void tokenRefused(options.url, fetchImpl).then(refused => {
        if (closed) return
        if (refused) setState('refused')
        else retryLater()
      })
    }
  }

  const retryLater = (): void => {
    retryTimer = setTimeout(connect, backoffMs(attempt++))
  }

  connect()

  return {
    call<M extends MethodName> (method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      if (closed || state === 'disconnected' || socket === null) {
        return Promise.reject(new ApiCallError('DISCONNECTED', 'disconnected from BitChat'))
      }
      const id = nextId++
      const frame = JSON.stringify({ jsonrpc: '2.0', id, method, params })
      return new Promise<ResultOf<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
        if (state === 'connected' && socket !== null) socket.send(frame)
        else queued.push(frame)
      })
    },
    on<E extends EventName> (event: E, listener: (payload: BitChatEvents[E]) => void): () => void {
      const set = eventListeners.get(event) ?? new Set()
      eventListeners.set(event, set)
      const wrapped = listener as (payload: unknown) => void
      set.add(wrapped)
      return () => { set.delete(wrapped) }
    },
    onConnection (listener) {
      connectionListeners.add(listener)
      listener(state)
      return () => { connectionListeners.delete(listener) }
    },
    // A browser tab has no desktop shell to ask it for a channel.
    onFocusRequest () {
      return () => {}
    },
    close () {
      closed = true
      if (retryTimer !== null) clearTimeout(retryTimer)
      const ws = socket
      socket = null
      failAll('the BitChat client was closed')
      ws?.close()
    }
  }
}

function toError (error: unknown): ApiCallError {
  if (typeof error !== 'object' || error === null) return new ApiCallError('INTERNAL', 'malformed error from BitChat')
  const e = error as { message?: unknown; data?: unknown }
  const data = typeof e.data === 'object' && e.data !== null ? e.data as { code?: unknown } : {}
  const message = typeof e.message === 'string' ? e.message.slice(0, 2000) : 'request failed'
  return new ApiCallError(toClientErrorCode(data.code), message)
}
