// A NAT-PMP client (RFC 6886) for one gateway: asks from an ephemeral UDP socket, one request at a
// time, resending at 250 ms doubling until an answer or ~4 s (the RFC allows nine tries, about
// two minutes, which would hold up start for a router that will never answer); keeps each mapping
// it made renewed at half its lifetime, and deletes them all when stopped. Our own client rather
// than @achingbrain/nat-port-mapper's, whose stop() throws and which binds the fixed port 5350.
import dgram from 'node:dgram'
import type { Logger } from '../log.ts'
import { systemClock, type Clock } from '../timers.ts'
import { answerTo, encodeRequest, NAT_PMP_PORT, RESULT_WORDS, type NatPmpFailure, type NatPmpProtocol, type NatPmpRequest, type NatPmpResponse } from './nat-pmp-codec.ts'

/** The first resend; each next one waits twice as long. */
const FIRST_RESEND_MS = 250
/** How long one request may go unanswered before the gateway counts as silent. */
const ANSWER_MS = 4_000
/** How long deleting the mappings may take in all when stopping: a router gone away must not hold up quitting. */
const DELETE_MS = 2_000

export interface NatPmpMapping {
  protocol: NatPmpProtocol
  internalPort: number
  externalPort: number
  /** As the gateway granted it, which may be less than asked. */
  lifetimeSeconds: number
}

/** Why a request came to nothing: the gateway's own result code, silence, or our stopping. */
export class NatPmpError extends Error {
  readonly reason: NatPmpFailure | 'no-answer' | 'stopped'

  constructor (reason: NatPmpFailure | 'no-answer' | 'stopped', message: string) {
    super(message)
    this.reason = reason
    this.name = 'NatPmpError'
  }
}

export interface NatPmpClientOptions {
  /** The gateway's IPv4 address. */
  gateway: string
  /** Its NAT-PMP port: 5351, save for a test's gateway on loopback. */
  port?: number
  log: Logger
  clock?: Clock
  /** A renewal failed or the gateway moved the mapping to another port: the mapping as we announced it is gone. */
  onLost?: (reason: string) => void
}

interface Exchange {
  request: NatPmpRequest
  settle: (answer: NatPmpResponse | NatPmpError) => void
}

export class NatPmpClient {
  readonly gateway: string
  readonly #port: number
  readonly #log: Logger
  readonly #clock: Clock
  readonly #onLost: (reason: string) => void
  readonly #socket: dgram.Socket
  /** Requests go one at a time, each after the one before settled. */
  #queue: Promise<unknown> = Promise.resolve()
  #current: Exchange | null = null
  /** What we asked the gateway to map, by `tcp:4000`, answered or not: stop() deletes each. */
  readonly #held = new Map<string, { mapping: NatPmpMapping; cancelRenewal: () => void }>()
  #stopped = false

  private constructor (opts: NatPmpClientOptions, socket: dgram.Socket) {
    this.gateway = opts.gateway
    this.#port = opts.port ?? NAT_PMP_PORT
    this.#log = opts.log
    this.#clock = opts.clock ?? systemClock
    this.#onLost = opts.onLost ?? (() => {})
    this.#socket = socket
    socket.on('message', (bytes, from) => { this.#receive(bytes, from) })
    // A send to an unreachable network fails here too; the resend timer then gives up as for silence.
    socket.on('error', err => { this.#log.debug('NAT-PMP socket error', { error: err.message }) })
  }

  /** A client with its own socket on an ephemeral port. */
  static async open (opts: NatPmpClientOptions): Promise<NatPmpClient> {
    const socket = dgram.createSocket('udp4')
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(0, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    socket.unref()
    return new NatPmpClient(opts, socket)
  }

  /** The gateway's address outside. */
  async externalAddress (): Promise<string> {
    const answer = await this.#ask({ op: 'address' }, ANSWER_MS)
    if (answer.op !== 'address' || answer.result !== 'success') throw failure(answer)
    return answer.externalAddress
  }

  /** Maps `internalPort` for `lifetimeSeconds`, asking for the same port outside; kept renewed until stop(). */
  async map (protocol: NatPmpProtocol, internalPort: number, lifetimeSeconds: number): Promise<NatPmpMapping> {
    const key = `${protocol}:${internalPort}`
    this.#held.get(key)?.cancelRenewal()
    // Held before it is asked: a gateway may map and its answer be lost, and stop() deletes it all the same.
    const asked = { mapping: { protocol, internalPort, externalPort: internalPort, lifetimeSeconds }, cancelRenewal: () => {} }
    this.#held.set(key, asked)
    let mapping: NatPmpMapping
    try {
      mapping = await this.#request(protocol, internalPort, internalPort, lifetimeSeconds)
    } catch (err) {
      if (err instanceof NatPmpError && err.reason !== 'no-answer' && this.#held.get(key) === asked) this.#held.delete(key)
      throw err
    }
    if (this.#stopped) throw new NatPmpError('stopped', 'stopped')
    this.#held.set(key, { mapping, cancelRenewal: this.#renewLater(key, mapping, lifetimeSeconds) })
    return mapping
  }

  /** Deletes every mapping and closes the socket; never throws, and takes at most ~2 s. */
  async stop (): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    this.#current?.settle(new NatPmpError('stopped', 'stopped'))
    const deadline = this.#clock.now() + DELETE_MS
    const held = [...this.#held.values()]
    this.#held.clear()
    for (const { mapping, cancelRenewal } of held) {
      cancelRenewal()
      const left = deadline - this.#clock.now()
      if (left <= 0) break
      // RFC 6886 §3.4 asks for suggested port 0 here; miniupnpd deletes by that field (0 meaning the
      // internal port), so the port it gave is sent, which a gateway that follows the RFC ignores.
      const request: NatPmpRequest = { op: 'map', protocol: mapping.protocol, internalPort: mapping.internalPort, suggestedExternalPort: mapping.externalPort, lifetimeSeconds: 0 }
      const answer = await this.#exchange(request, left).catch((err: unknown) => err as Error)
      if (answer instanceof Error || answer.result !== 'success') {
        this.#log.warn('could not delete a NAT-PMP mapping', { gateway: this.gateway, mapping: `${mapping.protocol}:${mapping.internalPort}`, error: answer instanceof Error ? answer.message : RESULT_WORDS[answer.result] })
      }
    }
    try { this.#socket.close() } catch {}
  }

  async #request (protocol: NatPmpProtocol, internalPort: number, suggestedExternalPort: number, lifetimeSeconds: number): Promise<NatPmpMapping> {
    const answer = await this.#ask({ op: 'map', protocol, internalPort, suggestedExternalPort, lifetimeSeconds }, ANSWER_MS)
    if (answer.op !== 'map' || answer.result !== 'success') throw failure(answer)
    return { protocol, internalPort, externalPort: answer.externalPort, lifetimeSeconds: answer.lifetimeSeconds }
  }

  #renewLater (key: string, mapping: NatPmpMapping, askedSeconds: number): () => void {
    return this.#clock.after(mapping.lifetimeSeconds * 1000 / 2, () => {
      this.#request(mapping.protocol, mapping.internalPort, mapping.externalPort, askedSeconds).then(renewed => {
        if (this.#held.get(key)?.mapping !== mapping) return
        this.#held.set(key, { mapping: renewed, cancelRenewal: this.#renewLater(key, renewed, askedSeconds) })
        if (renewed.externalPort !== mapping.externalPort) this.#lost(`the router moved ${key} to port ${renewed.externalPort}`)
      }, (err: unknown) => {
        if (this.#held.get(key)?.mapping !== mapping) return
        this.#lost(`renewing ${key} failed: ${(err as Error).message}`)
      })
    })
  }

  #lost (reason: string): void {
    this.#log.info('NAT-PMP mapping lost', { gateway: this.gateway, reason })
    this.#onLost(reason)
  }

  /** Queues the request behind those already asked. */
  async #ask (request: NatPmpRequest, totalMs: number): Promise<NatPmpResponse> {
    const turn = this.#queue.then(async () => await this.#exchange(request, totalMs))
    this.#queue = turn.catch(() => {})
    return await turn
  }

  /** Sends `request`, resending at 250 ms doubling, until its answer or `totalMs`. */
  async #exchange (request: NatPmpRequest, totalMs: number): Promise<NatPmpResponse> {
    // Once stopped, only stop()'s own deletions go out.
    if (this.#stopped && !(request.op === 'map' && request.lifetimeSeconds === 0)) throw new NatPmpError('stopped', 'stopped')
    const bytes = encodeRequest(request)
    const started = this.#clock.now()
    return await new Promise((resolve, reject) => {
      let cancelTimer = (): void => {}
      let wait = FIRST_RESEND_MS
      const exchange: Exchange = {
        request,
        settle: answer => {
          if (this.#current !== exchange) return
          this.#current = null
          cancelTimer()
          this.#socket.unref()
          if (answer instanceof Error) reject(answer)
          else resolve(answer)
        }
      }
      const send = (): void => {
        this.#socket.send(bytes, this.#port, this.gateway, () => {})
        const left = totalMs - (this.#clock.now() - started)
        cancelTimer = this.#clock.after(Math.min(wait, left), () => {
          wait *= 2
          if (this.#clock.now() - started >= totalMs) exchange.settle(new NatPmpError('no-answer', `no answer from ${this.gateway} in ${Math.round(totalMs / 1000)} s`))
          else send()
        })
      }
      this.#current = exchange
      // An open question keeps the process alive (the timers do not): quitting waits for its deletions.
      this.#socket.ref()
      send()
    })
  }

  #receive (bytes: Uint8Array, from: dgram.RemoteInfo): void {
    const exchange = this.#current
    if (exchange === null) return
    const answer = answerTo(exchange.request, { address: this.gateway, port: this.#port }, bytes, from)
    if (typeof answer === 'string') {
      this.#log.debug('ignored a NAT-PMP packet', { from: `${from.address}:${from.port}`, reason: answer })
      return
    }
    exchange.settle(answer)
  }
}

function failure (answer: NatPmpResponse): NatPmpError {
  const result = answer.result === 'success' ? 'unrecognised' : answer.result
  return new NatPmpError(result, RESULT_WORDS[result])
}
