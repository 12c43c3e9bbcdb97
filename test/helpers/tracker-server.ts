// A real bittorrent-tracker server (HTTP and UDP), on loopback unless told another address, on ports the OS picks.
import type { AddressInfo } from 'node:net'
import Server from 'bittorrent-tracker/server'

export interface TrackerServer {
  httpUrl: string
  udpUrl: string
  close (): Promise<void>
  server: Server
}

/** `interval` is the announce interval the tracker asks for, in milliseconds; `httpPort` defaults to any free port; `host` is an IPv4 address. */
export async function startTrackerServer (opts: { interval?: number; httpPort?: number; host?: string } = {}): Promise<TrackerServer> {
  const host = opts.host ?? '127.0.0.1'
  const server = new Server({ interval: opts.interval, ws: false, stats: false })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // Host strings per protocol: a plain string would also be handed to the udp6 socket (bind EINVAL).
    server.listen({ http: opts.httpPort ?? 0, udp: 0 }, { http: host, udp: host, udp6: '::1' }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const httpPort = (server.http?.address() as AddressInfo).port
  const udpPort = (server.udp4?.address() as AddressInfo).port
  return {
    httpUrl: `http://${host}:${httpPort}/announce`,
    udpUrl: `udp://${host}:${udpPort}`,
    server,
    close: () => new Promise<void>((resolve) => {
      // Keep-alive connections from clients would hold http.close() open until they time out.
      server.http?.closeAllConnections()
      server.close(() => { resolve() })
    })
  }
}
