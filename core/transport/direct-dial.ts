// How a dial reaches an address: a UDP route over the node's UDP socket; a TCP route over TCP (or the
// proxy), and when TCP gets no answer at all, over UDP to the same address. A silent TCP port is what
// a NAT or firewall in front of the peer looks like, and its UDP port may be open where TCP is not.
import type { RawStream, Route, Transport } from './raw-stream.ts'

/** A UDP attempt after a silent TCP one waits at most this long: it is a second chance, not a second timeout. */
export const UDP_FALLBACK_MS = 3_000

export async function dialRoute (route: Route, ways: { tcp: Transport; udp: Transport | null; timeoutMs: number }): Promise<RawStream> {
  const { tcp, udp, timeoutMs } = ways
  if (route.kind === 'udp') {
    if (udp === null) throw new Error('UDP is off')
    return await udp.dial(route, { timeoutMs })
  }
  try {
    return await tcp.dial(route, { timeoutMs })
  } catch (err) {
    // Through a proxy nothing may leave by UDP; a refused or unreachable TCP port says the host is elsewhere.
    if (udp === null || tcp.kind !== 'tcp' || (err as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw err
    try {
      return await udp.dial({ ...route, kind: 'udp' }, { timeoutMs: Math.min(timeoutMs, UDP_FALLBACK_MS) })
    } catch {
      throw err
    }
  }
}
