// How a dial reaches an address: a UDP route over the node's UDP socket; a TCP route over TCP (or the
// proxy) and, when TCP has not connected within a moment, over UDP to the same address as well, the
// first to connect kept. A silent TCP port is what a NAT or firewall in front of the peer looks like,
// and its UDP port may open where TCP does not: when both members dial each other at about the same
// time, each one's UDP OPENs open its own NAT for the other's (PROTOCOL §3.8).
import type { RawStream, Route, Transport } from './raw-stream.ts'

/** TCP goes first: on an open path it connects well within this, and no UDP is sent at all. */
export const UDP_HEAD_START_MS = 300

/** A TCP failure that says the host is there and refused, or is unreachable: UDP would fare no better. */
function refused (err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code
  return code !== undefined && code !== 'ETIMEDOUT'
}

export async function dialRoute (route: Route, ways: { tcp: Transport; udp: Transport | null; timeoutMs: number }): Promise<RawStream> {
  const { tcp, udp, timeoutMs } = ways
  if (route.kind === 'udp') {
    if (udp === null) throw new Error('UDP is off')
    return await udp.dial(route, { timeoutMs })
  }
  // Through a proxy nothing may leave by UDP.
  if (udp === null || tcp.kind !== 'tcp') return await tcp.dial(route, { timeoutMs })
  return await new Promise<RawStream>((resolve, reject) => {
    let settled = false
    let pending = 1
    let tcpError: unknown = null
    const udpWanted = new AbortController()
    const won = (stream: RawStream): void => {
      if (settled) {
        stream.destroy()
        return
      }
      settled = true
      clearTimeout(headStart)
      // UDP's OPENs stop once TCP got there: no stream made at the other end only to be dropped.
      udpWanted.abort()
      resolve(stream)
    }
    const lost = (): void => {
      if (--pending > 0 || settled) return
      settled = true
      reject(tcpError)
    }
    const startUdp = (): void => {
      if (settled) return
      pending++
      udp.dial({ ...route, kind: 'udp' }, { timeoutMs: Math.max(1, timeoutMs - UDP_HEAD_START_MS), signal: udpWanted.signal }).then(won, lost)
    }
    const headStart = setTimeout(startUdp, UDP_HEAD_START_MS)
    headStart.unref()
    tcp.dial(route, { timeoutMs }).then(won, (err: unknown) => {
      tcpError = err
      if (refused(err)) clearTimeout(headStart)
      lost()
    })
  })
}
