// Asks the home router to forward our listen port (UPnP-IGD, through @achingbrain/nat-port-mapper),
// so peers outside can dial us without any punching. The mapping is renewed before it expires (the
// library's autoRefresh), moved with the listen port, and removed when the node stops or a proxy
// is set. Finding no gateway is normal (most networks at work, every carrier-grade NAT): it is a state,
// not an error.
import type { Gateway, PortMapping } from '@achingbrain/nat-port-mapper'
import type { PortMappingInfo as PortMappingState } from '../api/contract.ts'
import type { Logger } from '../log.ts'
import { jittered, unrefTimer } from '../timers.ts'

/** Finds gateways (UPnP SSDP search); injectable so the policy around it is tested without a router. */
export type GatewayFinder = (signal: AbortSignal) => AsyncIterable<Gateway>

/** How long a search for a gateway may take: a router that answers does within a second. */
const SEARCH_MS = 5_000
/** The search asks again this often within it: one multicast can be lost, or miss a router still starting. */
const SEARCH_AGAIN_MS = 1_000
/** After a search that found no router, the next one, doubling up to the most: a router may come, or come back. */
const RETRY_MS = { first: 60_000, most: 30 * 60_000 }
/** How long quitting waits for the router to drop the mapping. */
const UNMAP_MS = 2_000
const DESCRIPTION = 'BitChat'
/** Mappings last this long unless renewed (the library asks for an hour at the least): a node that dies without unmapping leaves none for long. */
const TTL_MS = 60 * 60_000

export class PortMapper {
  readonly #log: Logger
  readonly #find: GatewayFinder
  readonly #onChange: () => void
  #state: PortMappingState = { state: 'off' }
  #gateway: Gateway | null = null
  /** Each map() bumps it, so an older search that finishes late changes nothing. */
  #generation = 0
  #abort: AbortController | null = null
  #retry: NodeJS.Timeout | null = null
  #failures = 0

  constructor (opts: { log: Logger; find?: GatewayFinder; onChange?: () => void }) {
    this.#log = opts.log
    this.#find = opts.find ?? findUpnpGateways
    this.#onChange = opts.onChange ?? (() => {})
  }

  get state (): PortMappingState { return this.#state }

  /** The port peers outside should dial: the gateway's when mapped. */
  externalPort (listenPort: number): number {
    return this.#state.state === 'mapped' && this.#state.internalPort === listenPort ? this.#state.externalPort : listenPort
  }

  /** Maps `port` (TCP), dropping a mapping of another port first. Settles once mapped or given up on. */
  async map (port: number): Promise<void> {
    const generation = ++this.#generation
    this.#clearRetry()
    this.#abort?.abort()
    const abort = this.#abort = new AbortController()
    // Said before anything is awaited, so whoever asks meanwhile sees what is under way.
    this.#set({ state: 'searching', internalPort: port })
    await this.#unmap()
    if (generation !== this.#generation) return
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(SEARCH_MS)])
    let problem = 'no router on this network offers UPnP port mapping'
    try {
      for await (const gateway of this.#find(signal)) {
        if (generation !== this.#generation) return
        try {
          const mapping = await firstMapping(gateway, port, signal)
          if (generation !== this.#generation) {
            await gateway.stop().catch(() => {})
            return
          }
          this.#gateway = gateway
          this.#failures = 0
          this.#log.info('port mapped', { gateway: gateway.host, internal: port, external: `${mapping.externalHost}:${mapping.externalPort}` })
          this.#set({ state: 'mapped', via: 'upnp', gateway: gateway.host, internalPort: port, externalHost: mapping.externalHost, externalPort: mapping.externalPort })
          return
        } catch (err) {
          problem = `the router at ${gateway.host} refused to map port ${port}: ${(err as Error).message}`
          await gateway.stop().catch(() => {})
        }
      }
    } catch (err) {
      if (!signal.aborted) problem = `searching for a router failed: ${(err as Error).message}`
    }
    if (generation !== this.#generation) return
    this.#log.info('no port mapping', { reason: problem })
    this.#set({ state: 'unavailable', reason: problem })
    const wait = jittered(Math.min(RETRY_MS.first * 2 ** this.#failures++, RETRY_MS.most), 0.2)
    this.#retry = unrefTimer(() => { void this.map(port) }, wait)
  }

  /** Removes the mapping (quitting, a proxy set, mapping turned off). */
  async stop (): Promise<void> {
    this.#generation++
    this.#clearRetry()
    this.#failures = 0
    this.#abort?.abort()
    this.#abort = null
    this.#set({ state: 'off' })
    await this.#unmap()
  }

  async #unmap (): Promise<void> {
    const gateway = this.#gateway
    this.#gateway = null
    if (gateway === null) return
    // stop() unmaps what it mapped and ends its refresh timers; a router that went away must not hold up quitting.
    await gateway.stop({ signal: AbortSignal.timeout(UNMAP_MS) }).catch((err: unknown) => {
      this.#log.warn('could not remove the port mapping', { gateway: gateway.host, error: (err as Error).message })
    })
  }

  #clearRetry (): void {
    if (this.#retry !== null) clearTimeout(this.#retry)
    this.#retry = null
  }

  #set (state: PortMappingState): void {
    this.#state = state
    this.#onChange()
  }
}

/** Maps `port` for whichever of our addresses is on the gateway's network. */
async function firstMapping (gateway: Gateway, port: number, signal: AbortSignal): Promise<PortMapping> {
  for await (const mapping of gateway.mapAll(port, { protocol: 'tcp', description: DESCRIPTION, ttl: TTL_MS, signal })) return mapping
  throw new Error('no mapping was made')
}

async function * findUpnpGateways (signal: AbortSignal): AsyncIterable<Gateway> {
  const { upnpNat } = await import('@achingbrain/nat-port-mapper')
  yield * upnpNat({ description: DESCRIPTION, ttl: TTL_MS }).findGateways({ signal, searchInterval: SEARCH_AGAIN_MS })
}
