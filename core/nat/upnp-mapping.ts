// Port mapping by UPnP-IGD, through @achingbrain/nat-port-mapper: search for a gateway, map the TCP
// port and the UDP port of the same number, and hand back how to undo it. The library renews its
// mappings itself (autoRefresh) and deletes them in its stop(), but deletes every one as TCP
// (an empty protocol, which routers read as TCP), so the UDP one is deleted here.
import type { Gateway, PortMapping } from '@achingbrain/nat-port-mapper'
import type { Logger } from '../log.ts'
import type { MappedPort, MappingAttempt } from './port-mapping.ts'

/** Finds gateways (UPnP SSDP search); injectable so the policy around it is tested without a router. */
export type GatewayFinder = (signal: AbortSignal, ttlMs: number) => AsyncIterable<Gateway>

/** How long a search for a gateway and its mapping may take: a router that answers does within a second. */
const SEARCH_MS = 5_000
/** The search asks again this often within it: one multicast can be lost, or miss a router still starting. */
const SEARCH_AGAIN_MS = 1_000
/** How long quitting waits for the router to drop the mappings. */
const UNMAP_MS = 2_000
const DESCRIPTION = 'BitChat'
const WAN_IP_CONNECTION = 'urn:schemas-upnp-org:service:WANIPConnection:2'

export function upnpAttempt (opts: { log: Logger; find?: GatewayFinder }): MappingAttempt {
  const find = opts.find ?? findUpnpGateways
  return async (port, { signal, ttlMs }) => {
    const search = AbortSignal.any([signal, AbortSignal.timeout(SEARCH_MS)])
    let problem = 'no router on this network answered a UPnP search'
    try {
      for await (const gateway of find(search, ttlMs)) {
        try {
          const tcp = await firstMapping(gateway, port, 'tcp', ttlMs, search)
          let udpRefused = false
          const udp = await firstMapping(gateway, port, 'udp', ttlMs, search).catch((err: unknown) => {
            opts.log.info('the router did not map the UDP port', { gateway: gateway.host, port, error: (err as Error).message })
            udpRefused = !search.aborted
            return null
          })
          return mapped(gateway, tcp, udp, opts.log, udpRefused)
        } catch (err) {
          problem = `the router at ${gateway.host} refused to map port ${port} by UPnP: ${(err as Error).message}`
          await gateway.stop().catch(() => {})
        }
      }
    } catch (err) {
      if (!search.aborted) problem = `searching for a UPnP router failed: ${(err as Error).message}`
    }
    return problem
  }
}

/** `udpRefused`: the router answered no to the UDP mapping (most often another host holds that port): nothing of ours to delete there. */
function mapped (gateway: Gateway, tcp: PortMapping, udp: PortMapping | null, log: Logger, udpRefused: boolean): MappedPort {
  return {
    via: 'upnp',
    gateway: gateway.host,
    externalHost: tcp.externalHost,
    externalPort: tcp.externalPort,
    // Peers are told one port for both: a UDP port forwarded under another number is not announced.
    protocols: udp?.externalPort === tcp.externalPort ? ['tcp', 'udp'] : ['tcp'],
    stop: async () => {
      const signal = AbortSignal.timeout(UNMAP_MS)
      // Deleted even when its answer never came (the attempt was called off mid-way): the router may have made it.
      if (!udpRefused) {
        await deleteUdpMapping(gateway, udp?.externalPort ?? tcp.internalPort, signal).catch((err: unknown) => {
          if (udp !== null) log.warn('could not remove the UDP port mapping', { gateway: gateway.host, error: (err as Error).message })
        })
      }
      // stop() unmaps the TCP mapping and ends the library's refresh timers; a router gone away must not hold up quitting.
      await gateway.stop({ signal }).catch((err: unknown) => {
        log.warn('could not remove the port mapping', { gateway: gateway.host, error: (err as Error).message })
      })
    }
  }
}

/** Maps `port` for whichever of our addresses is on the gateway's network. */
async function firstMapping (gateway: Gateway, port: number, protocol: 'tcp' | 'udp', ttlMs: number, signal: AbortSignal): Promise<PortMapping> {
  for await (const mapping of gateway.mapAll(port, { protocol, description: DESCRIPTION, ttl: ttlMs, signal })) return mapping
  throw new Error('no mapping was made')
}

/**
 * DeletePortMapping for UDP through the gateway's own device (the library keeps it in a field it
 * does not declare); a library that no longer has it says so instead of failing unseen.
 */
async function deleteUdpMapping (gateway: Gateway, externalPort: number, signal: AbortSignal): Promise<void> {
  const device: unknown = Reflect.get(gateway, 'gateway')
  if (typeof device !== 'object' || device === null || typeof (device as { run?: unknown }).run !== 'function') throw new Error('the UPnP library no longer exposes the gateway device')
  const run = (device as { run: (service: string, action: string, args: Array<[string, string | number]>, options: { signal: AbortSignal }) => Promise<unknown> }).run.bind(device)
  await run(WAN_IP_CONNECTION, 'DeletePortMapping', [['NewRemoteHost', ''], ['NewExternalPort', externalPort], ['NewProtocol', 'UDP']], { signal })
}

async function * findUpnpGateways (signal: AbortSignal, ttlMs: number): AsyncIterable<Gateway> {
  const { upnpNat } = await import('@achingbrain/nat-port-mapper')
  yield * upnpNat({ description: DESCRIPTION, ttl: ttlMs }).findGateways({ signal, searchInterval: SEARCH_AGAIN_MS })
}
