// TCP to a peer through an HTTP CONNECT or SOCKS5 proxy: the proxy is dialled, asked for a tunnel
// to the peer (by name, so the proxy resolves it), and the tunnel is the stream. The handshake with
// the proxy counts against the dial's time: a proxy that accepts and then says nothing holds no slot.
// That time is longer than a direct connect's: the proxy makes its own connection to the peer, and
// Tor builds a circuit first.
import net from 'node:net'
import { proxyHandshake, ProxyError } from './proxy-handshake.ts'
import type { ProxyConfig } from './proxy-url.ts'
import type { RawStream, Route, Transport } from './raw-stream.ts'
import { TcpStream } from './tcp.ts'

/** The least a dial through a proxy is given, whatever a direct connect is allowed. */
export const PROXY_DIAL_MS = 20_000

export function proxyTransport (proxy: ProxyConfig): Transport {
  return {
    kind: 'proxy',
    async dial (route: Route, { timeoutMs }): Promise<RawStream> {
      const socket = await openTunnel(proxy, route, Math.max(timeoutMs, PROXY_DIAL_MS))
      const stream = new TcpStream(socket, { host: route.host, port: route.port }, 'proxy')
      flowSoon(socket)
      return stream
    }
  }
}

/**
 * A socket tunnelled through `proxy` to `target`, paused: the peer's first bytes may have come with
 * the proxy's answer, and a flowing socket would hand them to nobody before its new owner listens.
 * The owner lets it flow with `flowSoon` once it has taken it.
 */
export async function openTunnel (proxy: ProxyConfig, target: { host: string; port: number }, timeoutMs: number): Promise<net.Socket> {
  return await new Promise((resolve, reject) => {
    const handshake = proxyHandshake(proxy, target)
    const socket = net.connect({ host: proxy.host, port: proxy.port })
    const fail = (err: Error): void => {
      clearTimeout(timer)
      socket.destroy()
      reject(err)
    }
    const timer = setTimeout(() => { fail(new Error(`no tunnel through the proxy after ${timeoutMs} ms`)) }, timeoutMs)
    timer.unref()
    socket.once('error', (err) => { fail(new ProxyError(`cannot reach the proxy ${proxy.host}:${proxy.port}: ${err.message}`)) })
    socket.once('close', () => { fail(new ProxyError('the proxy closed the connection before the tunnel was open')) })
    socket.once('connect', () => { socket.write(handshake.start()) })
    socket.on('data', (chunk: Buffer) => {
      let step
      try {
        step = handshake.receive(chunk)
      } catch (err) {
        fail(err as Error)
        return
      }
      if (step.kind === 'send') socket.write(step.bytes)
      if (step.kind !== 'open') return
      clearTimeout(timer)
      socket.removeAllListeners('data')
      socket.removeAllListeners('error')
      socket.removeAllListeners('close')
      socket.pause()
      if (step.leftover.length > 0) socket.unshift(step.leftover)
      resolve(socket)
    })
  })
}

/** Lets a tunnel flow after whoever awaited it has had its turn to listen (promise continuations run before this). */
export function flowSoon (socket: net.Socket): void {
  setImmediate(() => { socket.resume() })
}
