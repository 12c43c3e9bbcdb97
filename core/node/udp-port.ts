// The node's UDP socket over its life: bound on the listen port's number (the DHT, UDP streams and
// hole punching share it), moved with that port without cutting the streams it carries, closed while
// the node hides where it is (a proxy, or 'hide my IP'), and what outside observers say of its mapping.
import type { NatType } from '../api/contract.ts'
import { networkInterfaces } from 'node:os'
import type { Logger } from '../log.ts'
import { NatSampler } from '../nat/nat-sampler.ts'
import { isUnicast } from '../wire/address.ts'
import type { Endpoint, RawStream } from '../transport/raw-stream.ts'
import { UdpEndpoint } from '../transport/udp-endpoint.ts'

/** Local addresses are looked at this often: another one means another network, and a NAT to learn anew. */
const NETWORK_CHECK_MS = 60_000
/** Public addresses offered at most: behind a random NAT they are many, and the local ones must fit too. */
const MAX_PUBLIC_CANDIDATES = 3

export interface UdpPortOptions {
  host: string | undefined
  log: Logger
  /** A UDP stream someone opened to us. */
  onStream: (stream: RawStream) => void
  /** Whether someone there may open a stream to us. */
  admits: (from: Endpoint) => boolean
}

export class UdpPort {
  readonly #opts: UdpPortOptions
  readonly #sampler = new NatSampler()
  #endpoint: UdpEndpoint | null = null
  /** Sockets that only carry the streams they have: the one before a port move, a punch's extra one. */
  readonly #retiring = new Set<UdpEndpoint>()
  /** Hides and shows one at a time, so the last call decides. */
  #turn: Promise<void> = Promise.resolve()
  #hidden: string | null = null
  #localHosts = interfaceAddresses()
  /** Our public host as peers over TCP saw it, most recent first: with our port, a guess at our UDP address. */
  #seenHosts: string[] = []
  #timer: NodeJS.Timeout | null = null

  constructor (opts: UdpPortOptions) {
    this.#opts = opts
  }

  /** The socket now, or null while closed. */
  get endpoint (): UdpEndpoint | null { return this.#endpoint }

  /** Binds the socket on `port` (another port for this run when that one is taken), unless hidden. */
  open (port: number): void {
    if (this.#endpoint !== null || this.#hidden !== null) return
    this.#endpoint = this.#bind(port)
    this.#timer ??= setInterval(() => { this.#checkNetwork() }, NETWORK_CHECK_MS)
    this.#timer.unref()
  }

  /** The listen port moved: a socket on the new number takes new streams; the old one ends with its last stream. */
  move (port: number): void {
    const old = this.#endpoint
    if (old === null || old.port === port) return
    this.#endpoint = this.#bind(port)
    this.#sampler.reset()
    this.adopt(old)
  }

  /** Keeps `endpoint` until its streams end (or UDP is hidden, or the node closes), then closes it. */
  adopt (endpoint: UdpEndpoint): void {
    this.#retiring.add(endpoint)
    void endpoint.retire().then(() => { this.#retiring.delete(endpoint) })
  }

  /** While `reason` is set no UDP leaves the node: the socket and its streams close. */
  async hide (reason: string | null, port: number): Promise<void> {
    const turn = this.#turn.then(async () => {
      if (this.#hidden === 'closed') return
      this.#hidden = reason
      if (reason === null) this.open(port)
      else await this.#closeAll()
    })
    this.#turn = turn.catch(() => {})
    await turn
  }

  async close (): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer)
    this.#timer = null
    this.#hidden = 'closed'
    await this.#closeAll()
  }

  /** Every socket of ours, streams and all: nothing of ours is left on UDP. */
  async #closeAll (): Promise<void> {
    const all = [this.#endpoint, ...this.#retiring]
    this.#endpoint = null
    this.#retiring.clear()
    this.#sampler.reset()
    await Promise.all(all.map(async e => await e?.close()))
  }

  /** Someone outside saw our socket at `observed` (a DHT node's answer, a peer over a UDP stream). */
  observed (observed: Endpoint, by: Endpoint): void {
    if (this.#endpoint !== null && isUnicast(observed.host)) this.#sampler.add(observed, by)
  }

  /** A peer over TCP saw us coming from `host` (our NAT's address, or ours). */
  observedHost (host: string): void {
    if (!isUnicast(host) || this.#localHosts.includes(host)) return
    this.#seenHosts = [host, ...this.#seenHosts.filter(h => h !== host)].slice(0, 4)
  }

  get nat (): NatType {
    return this.#endpoint === null ? 'unknown' : this.#sampler.type({ hosts: this.#localHosts, port: this.#endpoint.port })
  }

  /** Where others reach our socket, most recently seen first. */
  get publicAddresses (): Endpoint[] { return this.#endpoint === null ? [] : this.#sampler.addresses() }

  /**
   * Where a peer might reach our socket, best first: where outside observers saw it; our public host
   * with our own port (most NATs keep the port when they can); our own addresses, for a member on the
   * same network.
   */
  get candidates (): Endpoint[] {
    const port = this.#endpoint?.port ?? 0
    if (port === 0) return []
    return [...this.publicAddresses.slice(0, MAX_PUBLIC_CANDIDATES), ...[...this.#seenHosts, ...this.#localHosts].map(host => ({ host, port }))]
  }

  status (): { enabled: boolean; port: number; reason?: string } {
    if (this.#endpoint !== null) return { enabled: true, port: this.#endpoint.port }
    return { enabled: false, port: 0, ...(this.#hidden === null ? {} : { reason: this.#hidden }) }
  }

  #bind (port: number): UdpEndpoint {
    const opts = { onStream: this.#opts.onStream, admits: this.#opts.admits, log: this.#opts.log }
    try {
      return UdpEndpoint.bind(port, this.#opts.host, opts)
    } catch (err) {
      if (port === 0) throw err
      this.#opts.log.warn('the UDP port of the listen port is taken: UDP uses another one', { port, error: (err as Error).message })
      return UdpEndpoint.bind(0, this.#opts.host, opts)
    }
  }

  #checkNetwork (): void {
    const hosts = interfaceAddresses()
    if (hosts.length === this.#localHosts.length && hosts.every(h => this.#localHosts.includes(h))) return
    this.#opts.log.info('the network changed: learning how our NAT maps UDP anew', { addresses: hosts })
    this.#localHosts = hosts
    this.#seenHosts = []
    this.#sampler.reset()
  }
}

/** This machine's own IPv4 addresses, loopback aside. */
function interfaceAddresses (): string[] {
  return Object.values(networkInterfaces()).flatMap(list => (list ?? []).filter(i => i.family === 'IPv4' && !i.internal).map(i => i.address))
}
