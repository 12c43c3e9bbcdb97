// Where LAN discovery's multicast goes: which interfaces to use, which sources are dialable peers,
// and a socket bound so that every process on this host hears the group.
import dgram from 'node:dgram'
import { isIPv4, isIPv6 } from 'node:net'
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os'
import { isIpLiteral, isUnicastIPv4 } from '../wire/address.ts'

export type Family = 4 | 6

export function bindMulticastSocket (family: Family, port: number): Promise<dgram.Socket> {
  // reuseAddr: every BitChat (and torrent client) on this host must receive the group's datagrams.
  const socket = dgram.createSocket({ type: family === 4 ? 'udp4' : 'udp6', reuseAddr: true, ipv6Only: family === 6 })
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      socket.close()
      reject(err)
    }
    socket.once('error', onError)
    socket.bind({ port, address: family === 4 ? '0.0.0.0' : '::' }, () => {
      socket.off('error', onError)
      try {
        socket.setMulticastTTL(1)
        // Processes on this host are on the LAN too.
        socket.setMulticastLoopback(true)
      } catch (err) {
        socket.close()
        reject(err)
        return
      }
      resolve(socket)
    })
  })
}

/**
 * The interfaces to announce on: each up, non-loopback interface once (IPv4 by its address, IPv6 by
 * `::%name`, or `::%index` on Windows), only IPv6 ones with an address a peer can dial. IPv4 falls
 * back to loopback so BitChat processes on an offline machine still meet.
 */
export function multicastInterfaces (family: Family, pinned: string | null): string[] {
  const all = Object.entries(networkInterfaces())
  if (pinned !== null) {
    if ((family === 4) !== isIPv4(pinned)) return []
    if (family === 4) return [pinned]
    const found = all.find(([, infos]) => infos?.some(info => info.address === pinned))
    const iface = found === undefined ? null : ipv6Interface(found[0], found[1] ?? [])
    return iface === null ? [] : [iface]
  }
  const out: string[] = []
  let loopback: string | null = null
  for (const [name, infos = []] of all) {
    if (family === 4) {
      const info = infos.find(i => i.family === 'IPv4')
      if (info === undefined) continue
      if (info.internal) loopback ??= info.address
      else out.push(info.address)
    } else if (infos.some(i => i.family === 'IPv6' && !i.internal && isPeerAddress(i.address))) {
      const iface = ipv6Interface(name, infos)
      if (iface !== null) out.push(iface)
    }
  }
  return out.length === 0 && loopback !== null ? [loopback] : out
}

function ipv6Interface (name: string, infos: NetworkInterfaceInfo[]): string | null {
  if (process.platform !== 'win32') return `::%${name}`
  const index = infos.find(i => i.family === 'IPv6' && i.scopeid !== undefined && i.scopeid > 0)?.scopeid
  return index === undefined ? null : `::%${index}`
}

/** A source address a TCP connection can be made to: not unspecified, multicast, or IPv6 link-local (whose zone we never learn). */
export function isPeerAddress (host: string): boolean {
  if (isIPv4(host)) return isUnicastIPv4(host)
  return isIpLiteral(host) && host !== '::' && !/^(?:fe[89ab]|ff)/i.test(host)
}

export function isMulticast (host: string): boolean {
  if (isIPv4(host)) {
    const first = Number(host.slice(0, host.indexOf('.')))
    return first >= 224 && first <= 239
  }
  return isIPv6(host) && /^ff/i.test(host)
}
