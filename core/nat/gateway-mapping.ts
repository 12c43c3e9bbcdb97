// Port mapping at the default gateway by PCP (RFC 6887) or NAT-PMP (RFC 6886): the TCP port and the
// UDP port of the same number, with the gateway's address outside; renewed and deleted by the client.
import type { Logger } from '../log.ts'
import type { Clock } from '../timers.ts'
import { defaultGateway } from './default-gateway.ts'
import type { GatewayClientOptions, GatewayMapping, MappedProtocol } from './gateway-client.ts'
import { NatPmpClient } from './nat-pmp-client.ts'
import { PcpClient } from './pcp-client.ts'
import type { MappingAttempt } from './port-mapping.ts'

export interface GatewayAttemptOptions {
  log: Logger
  /** Where to ask: the default gateway unless a test says otherwise. */
  gateway?: () => Promise<string | null>
  /** The gateway's port, for a test's gateway on loopback. */
  port?: number
  clock?: Clock
}

export function pcpAttempt (opts: GatewayAttemptOptions): MappingAttempt {
  return gatewayAttempt(opts, {
    via: 'pcp',
    name: 'PCP',
    open: PcpClient.open,
    // The MAP answer says the address outside (the codec refuses a lasting mapping without one).
    externalHost: (_, tcp) => {
      if (tcp.externalAddress === undefined) throw new Error('the router did not say its address outside')
      return tcp.externalAddress
    }
  })
}

export function natPmpAttempt (opts: GatewayAttemptOptions): MappingAttempt {
  return gatewayAttempt(opts, {
    via: 'natpmp',
    name: 'NAT-PMP',
    open: NatPmpClient.open,
    externalHost: async client => await client.externalAddress()
  })
}

interface MappingClient {
  map: (protocol: MappedProtocol, internalPort: number, lifetimeSeconds: number) => Promise<GatewayMapping>
  stop: () => Promise<void>
}

interface Protocol<Client extends MappingClient> {
  via: 'pcp' | 'natpmp'
  name: string
  open: (opts: GatewayClientOptions) => Promise<Client>
  externalHost: (client: Client, tcp: GatewayMapping) => Promise<string> | string
}

function gatewayAttempt<Client extends MappingClient> (opts: GatewayAttemptOptions, protocol: Protocol<Client>): MappingAttempt {
  const findGateway = opts.gateway ?? defaultGateway
  return async (port, { signal, ttlMs, onLost }) => {
    const gateway = await findGateway()
    if (gateway === null) return `no default gateway to ask by ${protocol.name}`
    if (signal.aborted) return 'stopped'
    const client = await protocol.open({ gateway, port: opts.port, log: opts.log, clock: opts.clock, onLost })
    const onAbort = (): void => { void client.stop() }
    signal.addEventListener('abort', onAbort)
    try {
      const lifetimeSeconds = Math.round(ttlMs / 1000)
      const tcp = await client.map('tcp', port, lifetimeSeconds)
      const udp = await client.map('udp', port, lifetimeSeconds).catch((err: unknown) => {
        opts.log.info('the router did not map the UDP port', { gateway, port, via: protocol.via, error: (err as Error).message })
        return null
      })
      const externalHost = await protocol.externalHost(client, tcp)
      return {
        via: protocol.via,
        gateway,
        externalHost,
        externalPort: tcp.externalPort,
        // Peers are told one port for both: a UDP port forwarded under another number is not announced.
        protocols: udp?.externalPort === tcp.externalPort ? ['tcp', 'udp'] : ['tcp'],
        stop: async () => { await client.stop() }
      }
    } catch (err) {
      await client.stop()
      return `the router at ${gateway} did not map port ${port} by ${protocol.name}: ${(err as Error).message}`
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }
}
