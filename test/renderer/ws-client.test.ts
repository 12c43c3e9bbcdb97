// @vitest-environment node
// Node's own WebSocket is the browser API; jsdom's events do not mix with it.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws'
import { ApiCallError } from '../../renderer/src/client/api-call-error.ts'
import type { ConnectedClient, ConnectionState } from '../../renderer/src/client/types.ts'
import { createWsClient, wsUrlFromLocation } from '../../renderer/src/client/ws-client.ts'

interface Rpc { id: number; method: string; params: unknown; jsonrpc: string }

// A real WebSocket server on loopback playing the daemon's /rpc endpoint.
async function daemon (respond: (socket: ServerSocket, rpc: Rpc) => void, port = 0) {
  const server = new WebSocketServer({ host: '127.0.0.1', port })
  await new Promise<void>(resolve => { server.once('listening', () => { resolve() }) })
  const sockets: ServerSocket[] = []
  const requests: Rpc[] = []
  server.on('connection', socket => {
    sockets.push(socket)
    socket.on('message', data => {
      const rpc = JSON.parse(String(data)) as Rpc
      requests.push(rpc)
      respond(socket, rpc)
    })
  })
  const bound = (server.address() as { port: number }).port
  return { server, sockets, requests, url: `ws://127.0.0.1:${bound}/rpc?token=t` }
}

const until = async (check: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

const answer = (socket: ServerSocket, rpc: Rpc): void => {
  if (rpc.method === 'channels.leave') {
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: rpc.id, error: { code: -32000, message: 'no joined channel', data: { code: 'CHANNEL_NOT_FOUND' } } }))
  } else if (rpc.method !== 'messages.send') {
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: rpc.id, result: [] }))
  }
}

const cleanups: Array<() => void> = []
afterEach(() => { for (const c of cleanups.splice(0)) c() })

async function setup () {
  const d = await daemon(answer)
  const client: ConnectedClient = createWsClient({ url: d.url, backoffMs: () => 20 })
  const states: ConnectionState[] = []
  client.onConnection(s => { states.push(s) })
  cleanups.push(() => { client.close(); d.server.close() })
  return { ...d, client, states }
}

describe('WebSocket client', () => {
  it('builds the /rpc URL from the page location and the token in the hash', () => {
    expect(wsUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:8080', hash: '#token=a%2Bb' })).toBe('ws://127.0.0.1:8080/rpc?token=a%2Bb')
    expect(wsUrlFromLocation({ protocol: 'https:', host: 'example.test', hash: '' })).toBe('wss://example.test/rpc?token=')
  })

  it('sends JSON-RPC 2.0 requests queued while connecting and resolves with the result', async () => {
    const { client, requests } = await setup()
    await expect(client.call('channels.list', {})).resolves.toEqual([])
    expect(requests[0]).toMatchObject({ jsonrpc: '2.0', method: 'channels.list', params: {} })
    expect(typeof requests[0]?.id).toBe('number')
  })

  it('rejects an error response with the ErrorCode from error.data', async () => {
    const { client } = await setup()
    const err = await client.call('channels.leave', { channelId: 'a'.repeat(64) }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiCallError)
    expect(err).toMatchObject({ code: 'CHANNEL_NOT_FOUND', message: 'no joined channel' })
  })

  it('delivers notifications to listeners of that event', async () => {
    const { client, sockets, states } = await setup()
    const got: unknown[] = []
    client.on('channel.removed', p => { got.push(p) })
    await until(() => states.includes('connected'))
    sockets[0]?.send(JSON.stringify({ jsonrpc: '2.0', method: 'channel.updated', params: { channelId: 'x' } }))
    sockets[0]?.send('not json')
    sockets[0]?.send(JSON.stringify({ jsonrpc: '2.0', method: 'channel.removed', params: { channelId: 'y' } }))
    await until(() => got.length > 0)
    expect(got).toEqual([{ channelId: 'y' }])
  })

  it('rejects pending calls when the socket drops, then reconnects', async () => {
    const { client, sockets, states, requests } = await setup()
    const pending = client.call('messages.send', { channelId: 'a'.repeat(64), text: 'hi' })
    await until(() => requests.length === 1)
    sockets[0]?.terminate()
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' })
    await until(() => states.filter(s => s === 'connected').length === 2)
    expect(states).toEqual(['connecting', 'connected', 'disconnected', 'connecting', 'connected'])
    await expect(client.call('channels.list', {})).resolves.toEqual([])
  })

  it('fails calls at once while waiting to reconnect', async () => {
    const d = await daemon(answer)
    const client = createWsClient({ url: d.url, backoffMs: () => 60_000 })
    const states: ConnectionState[] = []
    client.onConnection(s => { states.push(s) })
    cleanups.push(() => { client.close(); d.server.close() })
    await until(() => states.includes('connected'))
    d.sockets[0]?.terminate()
    await until(() => states.includes('disconnected'))
    await expect(client.call('channels.list', {})).rejects.toMatchObject({ code: 'DISCONNECTED' })
  })
  it('reconnects by itself when the daemon comes back on the same port with the same token', async () => {
    const first = await daemon(answer)
    const { port } = first.server.address() as AddressInfo
    const client = createWsClient({ url: first.url, backoffMs: () => 20 })
    const states: ConnectionState[] = []
    client.onConnection(s => { states.push(s) })
    await until(() => states.includes('connected'))
    for (const socket of first.sockets) socket.terminate()
    await new Promise<void>(resolve => { first.server.close(() => { resolve() }) })
    await until(() => states.includes('disconnected'))
    const second = await daemon(answer, port)
    cleanups.push(() => { client.close(); second.server.close() })
    await until(() => states.filter(s => s === 'connected').length === 2, 5000)
    await expect(client.call('channels.list', {})).resolves.toEqual([])
    expect(states).not.toContain('refused')
  })

  it('stops retrying and reports refused once the daemon answers that the token is wrong', async () => {
    let upgrades = 0
    let checks = 0
    const server = createServer((req, res) => {
      checks++
      res.statusCode = req.url === '/rpc?token=t' ? 401 : 404
      res.end()
    })
    server.on('upgrade', (_req, socket) => {
      upgrades++
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n')
    })
    await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
    const { port } = server.address() as AddressInfo
    const client = createWsClient({ url: `ws://127.0.0.1:${port}/rpc?token=t`, backoffMs: () => 5 })
    const states: ConnectionState[] = []
    client.onConnection(s => { states.push(s) })
    cleanups.push(() => { client.close(); server.close() })
    await until(() => states.includes('refused'))
    expect(states).toEqual(['connecting', 'disconnected', 'refused'])
    expect(checks).toBe(1)
    await expect(client.call('channels.list', {})).rejects.toMatchObject({ code: 'DISCONNECTED' })
    // Many backoff periods later it still has not knocked again.
    const knocks = upgrades
    await new Promise(resolve => setTimeout(resolve, 100))
    expect([upgrades, checks]).toEqual([knocks, 1])
  })
})
