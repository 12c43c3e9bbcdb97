// Asks the home router to forward our listen port, TCP and the UDP port of the same number, so
// peers outside can dial us without any punching: by UPnP-IGD first, then PCP, then NAT-PMP (PCP
// before its predecessor, as RFC 6887 asks; a router that answers PCP in NAT-PMP's version is asked
// by NAT-PMP at once). Mappings are renewed before they expire, moved with the listen port, made anew
// when a renewal fails, and removed when the node stops or a proxy is set. Finding no router is
// normal (most networks at work, every carrier-grade NAT): it is a state, not an error.
import type { PortMappingInfo as PortMappingState, PortMappingVia } from '../api/contract.ts'
import type { Logger } from '../log.ts'
import { jittered, unrefTimer } from '../timers.ts'
import { natPmpAttempt, pcpAttempt } from './gateway-mapping.ts'
import { upnpAttempt } from './upnp-mapping.ts'

/** A port a router forwards for us, and how to have it stop. */
export interface MappedPort {
  via: PortMappingVia
  gateway: string
  externalHost: string
  externalPort: number
  protocols: Array<'tcp' | 'udp'>
  /** Removes the mappings; never throws, and returns within a few seconds even if the router is gone. */
  stop: () => Promise<void>
}

export interface AttemptContext {
  /** Aborted when the attempt is no longer wanted (the port moved, the node stops). */
  signal: AbortSignal
  ttlMs: number
  /** The mapping stopped being renewed: the mapper makes it anew. */
  onLost: (reason: string) => void
}

/** One way to have a port mapped: the mapping, or in plain words why there is none this way. */
export type MappingAttempt = (port: number, context: AttemptContext) => Promise<MappedPort | string>

/** After a round that mapped nothing, the next one, doubling up to the most: a router may come, or come back. */
const RETRY_MS = { first: 60_000, most: 30 * 60_000 }
/** Mappings last this long unless renewed (UPnP asks for an hour at the least): a node that dies without unmapping leaves none for long. */
const TTL_MS = 60 * 60_000

export class PortMapper {
  readonly #log: Logger
  readonly #attempts: readonly MappingAttempt[]
  readonly #onChange: () => void
  #state: PortMappingState = { state: 'off' }
  #mapped: MappedPort | null = null
  /** Each map() bumps it, so an older round that finishes late changes nothing. */
  #generation = 0
  #abort: AbortController | null = null
  #retry: NodeJS.Timeout | null = null
  #failures = 0

  /** `attempts` are tried in order until one maps: UPnP, then PCP, then NAT-PMP, unless a test gives others. */
  constructor (opts: { log: Logger; attempts?: readonly MappingAttempt[]; onChange?: () => void }) {
    this.#log = opts.log
    this.#attempts = opts.attempts ?? [upnpAttempt({ log: opts.log }), pcpAttempt({ log: opts.log }), natPmpAttempt({ log: opts.log })]
    this.#onChange = opts.onChange ?? (() => {})
  }

  get state (): PortMappingState { return this.#state }

  /** The port peers outside should dial: the gateway's when mapped. */
  externalPort (listenPort: number): number {
    return this.#state.state === 'mapped' && this.#state.internalPort === listenPort ? this.#state.externalPort : listenPort
  }

  /** Maps `port`, dropping a mapping of another port first. Settles once mapped or given up on. */
  async map (port: number): Promise<void> {
    const generation = ++this.#generation
    this.#clearRetry()
    this.#abort?.abort()
    const abort = this.#abort = new AbortController()
    // Said before anything is awaited, so whoever asks meanwhile sees what is under way.
    this.#set({ state: 'searching', internalPort: port })
    await this.#unmap()
    if (generation !== this.#generation) return
    const context: AttemptContext = {
      signal: abort.signal,
      ttlMs: TTL_MS,
      onLost: reason => {
        if (generation !== this.#generation) return
        this.#log.info('port mapping lost; mapping again', { reason })
        void this.map(port)
      }
    }
    const problems: string[] = []
    for (const attempt of this.#attempts) {
      const result = await attempt(port, context).catch((err: unknown) => (err as Error).message)
      if (generation !== this.#generation) {
        if (typeof result !== 'string') await result.stop()
        return
      }
      if (typeof result === 'string') {
        problems.push(result)
        continue
      }
      this.#mapped = result
      this.#failures = 0
      this.#log.info('port mapped', { via: result.via, gateway: result.gateway, internal: port, external: `${result.externalHost}:${result.externalPort}`, protocols: result.protocols.join('+') })
      this.#set({ state: 'mapped', via: result.via, gateway: result.gateway, internalPort: port, externalHost: result.externalHost, externalPort: result.externalPort, protocols: result.protocols })
      return
    }
    const reason = problems.join('; ')
    this.#log.info('no port mapping', { reason })
    this.#set({ state: 'unavailable', reason })
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
    const mapped = this.#mapped
    this.#mapped = null
    await mapped?.stop()
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
