// Tarpits: ports that accept TCP connections and never send a byte, the cheapest way to hold a
// dialler's slots; and a LAN host that announces them by BEP 14 as peers of a channel.
import dgram from 'node:dgram'
import { once } from 'node:events'
import net from 'node:net'
import { encodeLsdAnnounce, LSD_IPV4_GROUP, LSD_PORT } from '../../core/discovery/lan-message.ts'

export interface Tarpits {
  readonly host: string
  readonly ports: number[]
  /** Connections accepted so far, over every port. */
  accepted (): number
  close (): Promise<void>
}

/** `count` listening ports on `host` that accept and then stay silent until closed. */
export async function startTarpits (count: number, host: string): Promise<Tarpits> {
  const servers: net.Server[] = []
  const sockets = new Set<net.Socket>()
  let accepted = 0
  for (let i = 0; i < count; i++) {
    const server = net.createServer((socket) => {
      accepted++
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => sockets.delete(socket))
    })
    server.listen(0, host)
    await once(server, 'listening')
    servers.push(server)
  }
  return {
    host,
    ports: servers.map(s => (s.address() as net.AddressInfo).port),
    accepted: () => accepted,
    async close () {
      for (const s of sockets) s.destroy()
      await Promise.all(servers.map(s => new Promise(resolve => s.close(resolve))))
    }
  }
}

/**
 * Announces every port to the LAN group, from a socket bound to `from` (so receivers take that as
 * the peer's address) over the loopback interface, every `everyMs` until stopped.
 */
export async function floodLanAnnounces (opts: { from: string; ports: number[]; infohashes: string[]; everyMs?: number; groupPort?: number }): Promise<{ sent: () => number; stop: () => Promise<void> }> {
  const groupPort = opts.groupPort ?? LSD_PORT
  const socket = dgram.createSocket('udp4')
  socket.bind(0, opts.from)
  await once(socket, 'listening')
  socket.setMulticastInterface('127.0.0.1')
  socket.setMulticastLoopback(true)
  const datagrams = opts.ports.map(port => encodeLsdAnnounce(`${LSD_IPV4_GROUP}:${groupPort}`, { port, infohashes: opts.infohashes, cookie: null }))
  let sent = 0
  const round = (): void => {
    for (const d of datagrams) socket.send(d, groupPort, LSD_IPV4_GROUP, () => { sent++ })
  }
  round()
  const timer = setInterval(round, opts.everyMs ?? 500)
  return {
    sent: () => sent,
    stop: async () => {
      clearInterval(timer)
      await new Promise<void>(resolve => { socket.close(resolve) })
    }
  }
}
