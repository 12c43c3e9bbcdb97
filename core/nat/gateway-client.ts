// What a NAT-PMP client (RFC 6886) and a PCP client (RFC 6887) do alike, for one gateway's port
// 5351: ask from an ephemeral UDP socket connected to it, one request at a time, resending at 250 ms
// doubling until an answer or ~4 s (the RFCs resend for minutes, which would hold up start for a
// router that will never answer); keep each mapping made renewed at half its lifetime; delete them
// all when stopped. What differs, the bytes and what an answer grants, is the protocol's dialect.
// Our own client rather than @achingbrain/nat-port-mapper's, whose stop() throws and which binds
// the fixed port 5350.
import dgram from 'node:dgram'
import type { Logger } from '../log.ts'
import { MAX_TIMER_MS, systemClock, type Clock } from '../timers.ts'
import type { NatPmpFailure } from './nat-pmp-codec.ts'
import type { PcpFailure } from './pcp-codec.ts'

/** The first resend; each next one waits twice as long. */
const FIRST_RESEND_MS = 250
/** How long one request may go unanswered before the gateway counts as silent. */
export const ANSWER_MS = 4_000
/** How long deleting the mappings may take in all when stopping: a router gone away must not hold up quitting. */
const DELETE_MS = 2_000
/**
 * Renewals come at half the lifetime granted, but never sooner than this nor later than a timer can
 * wait: a gateway (or anyone able to answer as it) granting a lifetime of 0 or 2^32-1 seconds would
 * otherwise have us ask again at once, over and over.
 */
const MIN_RENEW_MS = 60_000

export type MappedProtocol = 'tcp' | 'udp'

export interface GatewayMapping {
  protocol: MappedProtocol
  internalPort: number
  externalPort: number
  /** As the gateway granted it, which may be less than asked. */
  lifetimeSeconds: number
  /** The gateway's address outside, when the protocol's answer says it (PCP's does). */
  externalAddress?: string
}

/** A mapping to ask for, or with lifetime 0 to delete: the port (and address) it had are suggested. */
export interface MappingWish {
  protocol: MappedProtocol
  internalPort: number
  externalPort: number
  externalAddress?: string
  lifetimeSeconds: number
}

/**
 * Why a request came to nothing: the gateway's own result code, silence, a gateway that speaks only
 * an older protocol (PCP asked, NAT-PMP answered), or our stopping.
 */
export class GatewayError extends Error {
  readonly reason: NatPmpFailure | PcpFailure | 'older-version' | 'no-answer' | 'stopped'

  constructor (reason: GatewayError['reason'], message: string) {
    super(message)
    this.reason = reason
    this.name = 'GatewayError'
  }
}

/** One protocol's side of the conversation. */
export interface GatewayDialect<Request, Answer> {
  /** 'NAT-PMP' or 'PCP', for logs. */
  readonly name: string
  encode: (request: Request) => Uint8Array
  /** The answer to `request` in a packet from the gateway, or why the packet is not it. */
  read: (request: Request, bytes: Uint8Array) => Answer | string
  mapRequest: (wish: MappingWish) => Request
  /** What an answer to a mapping request grants, or why it grants nothing. */
  grant: (request: Request, answer: Answer) => GatewayMapping | GatewayError
}

export interface GatewayClientOptions {
  /** The gateway's IPv4 address. */
  gateway: string
  /** Its port: 5351, save for a test's gateway on loopback. */
  port?: number
  log: Logger
  clock?: Clock
  /** A renewal failed or the gateway moved the mapping to another port: the mapping as we announced it is gone. */
  onLost?: (reason: string) => void
}

interface Exchange<Answer> {
  settle: (answer: Answer | GatewayError) => void
}

/** A socket on an ephemeral port, connected to the gateway: only its packets come in, and our address toward it is known. */
export async function openGatewaySocket (gateway: string, port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4')
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(0, () => {
        socket.connect(port, gateway, () => {
          socket.off('error', reject)
          resolve()
        })
      })
    })
  } catch (err) {
    socket.close()
    throw err
  }
  socket.unref()
  return socket
}

export class GatewayClient<Request, Answer> {
  readonly gateway: string
  readonly #log: Logger
  readonly #clock: Clock
  readonly #onLost: (reason: string) => void
  readonly #socket: dgram.Socket
  readonly #dialect: GatewayDialect<Request, Answer>
  /** Requests go one at a time, each after the one before settled. */
  #queue: Promise<unknown> = Promise.resolve()
  #current: { request: Request; exchange: Exchange<Answer> } | null = null
  /** What we asked the gateway to map, by `tcp:4000`, answered or not: stop() deletes each. */
  readonly #held = new Map<string, { mapping: GatewayMapping; cancelRenewal: () => void }>()
  #stopped = false

  constructor (opts: GatewayClientOptions, socket: dgram.Socket, dialect: GatewayDialect<Request, Answer>) {
    this.gateway = opts.gateway
    this.#log = opts.log
    this.#clock = opts.clock ?? systemClock
    this.#onLost = opts.onLost ?? (() => {})
    this.#socket = socket
    this.#dialect = dialect
    socket.on('message', bytes => { this.#receive(bytes) })
    socket.on('error', err => {
      // The gateway's "port unreachable" comes back on the connected socket: nothing there will answer.
      if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') this.#current?.exchange.settle(new GatewayError('no-answer', `nothing answers ${dialect.name} at ${this.gateway}`))
      else this.#log.debug(`${dialect.name} socket error`, { error: err.message })
    })
  }

  /** Maps `internalPort` for `lifetimeSeconds`, asking for the same port outside; kept renewed until stop(). */
  async map (protocol: MappedProtocol, internalPort: number, lifetimeSeconds: number): Promise<GatewayMapping> {
    const key = `${protocol}:${internalPort}`
    this.#held.get(key)?.cancelRenewal()
    // Held before it is asked: a gateway may map and its answer be lost, and stop() deletes it all the same.
    const asked = { mapping: { protocol, internalPort, externalPort: internalPort, lifetimeSeconds }, cancelRenewal: () => {} }
    this.#held.set(key, asked)
    let mapping: GatewayMapping
    try {
      mapping = await this.#request({ protocol, internalPort, externalPort: internalPort, lifetimeSeconds })
    } catch (err) {
      if (err instanceof GatewayError && err.reason !== 'no-answer' && this.#held.get(key) === asked) this.#held.delete(key)
      throw err
    }
    if (this.#stopped) throw new GatewayError('stopped', 'stopped')
    this.#held.set(key, { mapping, cancelRenewal: this.#renewLater(key, mapping, lifetimeSeconds) })
    return mapping
  }

  /** Deletes every mapping and closes the socket; never throws, and takes at most ~2 s. */
  async stop (): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    this.#current?.exchange.settle(new GatewayError('stopped', 'stopped'))
    const deadline = this.#clock.now() + DELETE_MS
    const held = [...this.#held.values()]
    this.#held.clear()
    for (const { mapping, cancelRenewal } of held) {
      cancelRenewal()
      const left = deadline - this.#clock.now()
      if (left <= 0) break
      const request = this.#dialect.mapRequest({ ...mapping, lifetimeSeconds: 0 })
      const answer = await this.#exchange(request, left, true).catch((err: unknown) => err as Error)
      const deleted = answer instanceof Error ? answer : this.#dialect.grant(request, answer)
      if (deleted instanceof Error) {
        this.#log.warn(`could not delete a ${this.#dialect.name} mapping`, { gateway: this.gateway, mapping: `${mapping.protocol}:${mapping.internalPort}`, error: deleted.message })
      }
    }
    try { this.#socket.close() } catch {}
  }

  /** Queues `request` behind those already asked, and resolves with its answer. */
  protected async ask (request: Request): Promise<Answer> {
    const turn = this.#queue.then(async () => await this.#exchange(request, ANSWER_MS, false))
    this.#queue = turn.catch(() => {})
    return await turn
  }

  async #request (wish: MappingWish): Promise<GatewayMapping> {
    const request = this.#dialect.mapRequest(wish)
    const granted = this.#dialect.grant(request, await this.ask(request))
    if (granted instanceof Error) throw granted
    // A mapping asked to last must last, and be to a port: anything else is no mapping at all.
    if (wish.lifetimeSeconds > 0 && (granted.lifetimeSeconds === 0 || granted.externalPort === 0)) {
      throw new GatewayError('no-answer', `the ${this.#dialect.name} gateway granted a mapping to port ${granted.externalPort} for ${granted.lifetimeSeconds} s`)
    }
    return granted
  }

  #renewLater (key: string, mapping: GatewayMapping, askedSeconds: number): () => void {
    return this.#clock.after(Math.min(Math.max(mapping.lifetimeSeconds * 1000 / 2, MIN_RENEW_MS), MAX_TIMER_MS), () => {
      this.#request({ ...mapping, lifetimeSeconds: askedSeconds }).then(renewed => {
        if (this.#held.get(key)?.mapping !== mapping) return
        this.#held.set(key, { mapping: renewed, cancelRenewal: this.#renewLater(key, renewed, askedSeconds) })
        if (renewed.externalPort !== mapping.externalPort) this.#lost(`the router moved ${key} to port ${renewed.externalPort}`)
        else if (renewed.externalAddress !== mapping.externalAddress) this.#lost(`the router moved ${key} to the address ${renewed.externalAddress ?? 'unknown'}`)
      }, (err: unknown) => {
        if (this.#held.get(key)?.mapping !== mapping) return
        this.#lost(`renewing ${key} failed: ${(err as Error).message}`)
      })
    })
  }

  #lost (reason: string): void {
    this.#log.info(`${this.#dialect.name} mapping lost`, { gateway: this.gateway, reason })
    this.#onLost(reason)
  }

  /** Sends `request`, resending at 250 ms doubling, until its answer or `totalMs`; once stopped, only stop()'s deletions go out. */
  async #exchange (request: Request, totalMs: number, whenStopped: boolean): Promise<Answer> {
    if (this.#stopped && !whenStopped) throw new GatewayError('stopped', 'stopped')
    const bytes = this.#dialect.encode(request)
    const started = this.#clock.now()
    return await new Promise((resolve, reject) => {
      let cancelTimer = (): void => {}
      let wait = FIRST_RESEND_MS
      const exchange: Exchange<Answer> = {
        settle: answer => {
          if (this.#current?.exchange !== exchange) return
          this.#current = null
          cancelTimer()
          this.#socket.unref()
          if (answer instanceof Error) reject(answer)
          else resolve(answer)
        }
      }
      const send = (): void => {
        this.#socket.send(bytes, () => {})
        const left = totalMs - (this.#clock.now() - started)
        cancelTimer = this.#clock.after(Math.min(wait, left), () => {
          wait *= 2
          if (this.#clock.now() - started >= totalMs) exchange.settle(new GatewayError('no-answer', `no answer from ${this.gateway} in ${Math.round(totalMs / 1000)} s`))
          else send()
        })
      }
      this.#current = { request, exchange }
      // An open question keeps the process alive (the timers do not): quitting waits for its deletions.
      this.#socket.ref()
      send()
    })
  }

  #receive (bytes: Uint8Array): void {
    const current = this.#current
    if (current === null) return
    const answer = this.#dialect.read(current.request, bytes)
    if (typeof answer === 'string') {
      this.#log.debug(`ignored a ${this.#dialect.name} packet`, { reason: answer })
      return
    }
    current.exchange.settle(answer)
  }
}
