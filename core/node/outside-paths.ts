// How the node reaches out and is reached from outside, as the user set it: through a proxy (then
// no UDP leaves: the DHT and LAN sleep) or straight, with the listen port (TCP and UDP) forwarded by
// the router when it offers UPnP, PCP or NAT-PMP and port mapping is on (never while a proxy hides where we
// are); and whether our address is hidden from everyone but contacts ('Hide my IP address',
// `relayOnly`: nothing is announced, nothing comes in, no UDP leaves, no port is forwarded).
import type { PortMappingInfo } from '../api/contract.ts'
import type { Logger } from '../log.ts'
import { PortMapper, type MappingAttempt } from '../nat/port-mapping.ts'
import type { Store } from '../store/store.ts'
import type { DiscoveryHub } from './discovery-hub.ts'
import { ProxySetting } from './proxy-setting.ts'
import type { UdpPort } from './udp-port.ts'

const PORT_MAPPING_KEY = 'portMapping'
const RELAY_ONLY_KEY = 'relayOnly'

export interface OutsidePathsOptions {
  store: Store
  log: Logger
  /** The port to announce changed (the router forwards another port than the one we listen on). */
  onAnnouncedPort: () => void
  /** Ways to have the port mapped, in order (UPnP, then PCP, then NAT-PMP, unless a test gives others). */
  mappingAttempts?: readonly MappingAttempt[]
  /** Whether the node takes incoming connections at all (`--no-listen`): no port is forwarded to one that does not. */
  acceptsIncoming: () => boolean
}

export class OutsidePaths {
  readonly proxy: ProxySetting
  readonly #store: Store
  readonly #mapper: PortMapper
  readonly #acceptsIncoming: () => boolean
  #listenPort = 0
  #hub: DiscoveryHub | null = null
  #udp: UdpPort | null = null
  #changing: Promise<void> = Promise.resolve()

  constructor (opts: OutsidePathsOptions) {
    this.#store = opts.store
    this.proxy = new ProxySetting(opts.store, opts.log)
    this.#acceptsIncoming = opts.acceptsIncoming
    let announced = 0
    this.#mapper = new PortMapper({
      log: opts.log,
      attempts: opts.mappingAttempts,
      onChange: () => {
        const port = this.announcedPort
        if (port !== announced) opts.onAnnouncedPort()
        announced = port
      }
    })
  }

  get portMapping (): boolean { return this.#store.getSetting(PORT_MAPPING_KEY) !== 'false' }

  /** 'Hide my IP address': off unless turned on. */
  get relayOnly (): boolean { return this.#store.getSetting(RELAY_ONLY_KEY) === 'true' }

  /**
   * Whether the node's own address must not reach anyone but the proxy or a contact: its UDP (DHT,
   * LAN, UDP streams, hole punching) sleeps meanwhile, and no port is forwarded.
   */
  get hidesAddress (): boolean { return this.#hidingReason() !== null }

  /** The port trackers should give out: the one the router forwards, when it forwards another; none while our address is hidden. */
  get announcedPort (): number { return this.relayOnly ? 0 : this.#mapper.externalPort(this.#listenPort) }

  /** The node's UDP socket, opened now unless we hide where we are. */
  async attachUdp (udp: UdpPort, port: number): Promise<void> {
    this.#udp = udp
    await udp.hide(this.#hidingReason(), port)
  }

  /** Listening on `port` now (at start, or moved), with the node's discovery (null without DHT and LAN). */
  listening (port: number, hub: DiscoveryHub | null): void {
    this.#listenPort = port
    this.#hub = hub
    this.#remap()
  }

  /** Sets or clears the proxy; true when it changed (announcers then start anew). */
  async setProxy (url: string | null): Promise<boolean> {
    if (!this.proxy.set(url)) return false
    await this.#hideOrShow()
    this.#remap()
    return true
  }

  /** Turns 'Hide my IP address' on or off; true when it changed (announcers then start anew, or stop). */
  async setRelayOnly (on: boolean): Promise<boolean> {
    if (on === this.relayOnly) return false
    this.#store.setSetting(RELAY_ONLY_KEY, String(on))
    await this.#hideOrShow()
    this.#remap()
    return true
  }

  setPortMapping (on: boolean): void {
    this.#store.setSetting(PORT_MAPPING_KEY, String(on))
    this.#remap()
  }

  status (): PortMappingInfo {
    if (!this.portMapping) return { state: 'off', reason: 'turned off in Settings' }
    const hiding = this.#hidingReason()
    if (hiding !== null) return { state: 'off', reason: hiding }
    if (!this.#acceptsIncoming()) return { state: 'off', reason: 'this node takes no incoming connections' }
    return this.#mapper.state
  }

  async stop (): Promise<void> {
    await this.#mapper.stop()
  }

  /**
   * Hides first what would show us (the DHT before its socket), and shows in the other order. One
   * change at a time, each from the settings as they are when its turn comes: two changes made at once
   * cannot leave the DHT awake on a closed socket, or awake while hidden.
   */
  async #hideOrShow (): Promise<void> {
    const turn = this.#changing.then(async () => {
      const reason = this.#hidingReason()
      if (reason !== null) {
        await this.#hub?.setAsleep(true)
        await this.#udp?.hide(reason, this.#listenPort)
      } else {
        await this.#udp?.hide(null, this.#listenPort)
        await this.#hub?.setAsleep(false)
      }
    })
    this.#changing = turn.catch(() => {})
    await turn
  }

  #hidingReason (): string | null {
    if (this.proxy.current !== null) return 'not used while a proxy is set'
    return this.relayOnly ? 'not used while hiding your IP address' : null
  }

  #remap (): void {
    if (this.#listenPort === 0 || !this.portMapping || this.hidesAddress || !this.#acceptsIncoming()) {
      void this.#mapper.stop()
      return
    }
    const state = this.#mapper.state
    if ((state.state === 'mapped' || state.state === 'searching') && state.internalPort === this.#listenPort) return
    void this.#mapper.map(this.#listenPort)
  }
}
