// Port mapping by NAT-PMP (RFC 6886) at the default gateway: the TCP port and the UDP port of the
// same number, with the gateway's address outside; renewed and deleted by the client.
import type { Logger } from '../log.ts'
import type { Clock } from '../timers.ts'
import { defaultGateway } from './default-gateway.ts'
import { NatPmpClient } from './nat-pmp-client.ts'
import type { MappingAttempt } from './port-mapping.ts'

export interface NatPmpAttemptOptions {
  log: Logger
  /** Where to ask: the default gateway unless a test says otherwise. */
  gateway?: () => Promise<string | null>
  /** The gateway's NAT-PMP port, for a test's gateway on loopback. */
  port?: number
  clock?: Clock
}

export function natPmpAttempt (opts: NatPmpAttemptOptions): MappingAttempt {
  const findGateway = opts.gateway ?? defaultGateway
  return async (port, { signal, ttlMs, onLost }) => {
    const gateway = await findGateway()
    if (gateway === null) return 'no default gateway to ask by NAT-PMP'
    if (signal.aborted) return 'stopped'
    const client = await NatPmpClient.open({ gateway, port: opts.port, log: opts.log, clock: opts.clock, onLost })
    const onAbort = (): void => { void client.stop() }
    signal.addEventListener('abort', onAbort)
    try {
      const lifetimeSeconds = Math.round(ttlMs / 1000)
      const tcp = await client.map('tcp', port, lifetimeSeconds)
      const udp = await client.map('udp', port, lifetimeSeconds).catch((err: unknown) => {
        opts.log.info('the router did not map the UDP port', { gateway, port, error: (err as Error).message })
        return null
      })
      const externalHost = await client.externalAddress()
      return {
        via: 'natpmp',
        gateway,
        externalHost,
        externalPort: tcp.externalPort,
        // Peers are told one port for both: a UDP port forwarded under another number is not announced.
        protocols: udp?.externalPort === tcp.externalPort ? ['tcp', 'udp'] : ['tcp'],
        stop: async () => { await client.stop() }
      }
    } catch (err) {
      await client.stop()
      return `the router at ${gateway} did not map port ${port} by NAT-PMP: ${(err as Error).message}`
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }
}
