// HTTP(S) requests through the proxy, for tracker announces: a fetch dispatcher whose connections
// are tunnels (CONNECT or SOCKS5), so the tracker's name is resolved by the proxy and the tracker sees
// the proxy's address, not ours. For https, TLS runs inside the tunnel, end to end with the tracker.
// bittorrent-tracker announces with the global fetch, which takes an undici dispatcher.
import net from 'node:net'
import tls from 'node:tls'
import { Agent, type Dispatcher } from 'undici'
import { flowSoon, openTunnel } from './proxy.ts'
import type { ProxyConfig } from './proxy-url.ts'

const TUNNEL_TIMEOUT_MS = 15_000

export function proxyDispatcher (proxy: ProxyConfig): Dispatcher {
  return new Agent({
    connect (options, callback) {
      const host = options.hostname
      const secure = options.protocol === 'https:'
      const port = Number(options.port === '' ? (secure ? 443 : 80) : options.port)
      openTunnel(proxy, { host, port }, TUNNEL_TIMEOUT_MS).then(socket => {
        // The tracker's host, not the proxy's, is what its certificate must name.
        const stream = secure ? tls.connect({ socket, host, ...(net.isIP(host) === 0 ? { servername: options.servername ?? host } : {}) }) : socket
        callback(null, stream)
        flowSoon(socket)
      }, (err: Error) => { callback(err, null) })
    }
  })
}
