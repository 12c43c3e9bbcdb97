import type { Connection } from '../connection/connection.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { Priority, type CloseInfo, type Stream } from '../connection/mux-stream.ts'
import { TOPIC_BYTES } from '../connection/mux-messages.ts'
import { TokenBucket } from '../limits/token-bucket.ts'
import { fromHex, toHex } from '../codec/hex.ts'
import { systemClock, type Clock } from '../timers.ts'
import type { Logger } from '../log.ts'
import { RELAY_LIMITS, type RelayLimits } from './relay-limits.ts'
import { RELAY_WINDOW, RELAYED_PROTOCOL } from './relay-protocol.ts'
import { Splice, type SpliceDirection } from './splice.ts'

export interface RelayServiceOptions {
  /** The direct connection kept to a peer, if any. */
  connectionTo: (keyHex: string) => Connection | undefined
  /** Whether the user lets us relay for others ("Allow relaying for others"). */
  enabled: () => boolean
  log: Logger
  limits?: RelayLimits
  clock?: Clock
}

/** One circuit through us, as the API shows it. */
export interface CircuitInfo {
  from: string
  to: string
  /** Bytes passed on so far, both directions. */
  bytes: number
  openedAt: number
}

interface Circuit extends CircuitInfo {
  splice: Splice | null
  /** Cancels the deadline running now: the answer's, then the lifetime's. */
  cancelTimer: () => void
}

const STREAM_OPTIONS = { priority: Priority.SYNC, window: RELAY_WINDOW, manualCredit: true } as const

/**
 * Relaying for others (PROTOCOL §3.7): a peer asks, on a stream named for someone we are connected
 * to, to be joined to them; we open a stream to that person naming the asker, and once they accept
 * we pass bytes between the two streams as they come. We see ciphertext of a Noise connection
 * between the two ends and which two keys we join, nothing more. Circuits are bounded per asker and
 * in all, in lifetime and in rate; a refusal is a RESET with a code that says why.
 */
export class RelayService {
  /** See SpliceOptions.inspect: set by tests that play a hostile relay. */
  inspect: ((message: Uint8Array, direction: SpliceDirection) => Uint8Array) | undefined
  readonly #opts: RelayServiceOptions
  readonly #limits: RelayLimits
  readonly #clock: Clock
  readonly #circuits = new Set<Circuit>()
  readonly #total: TokenBucket
  #bytes = 0

  constructor (opts: RelayServiceOptions) {
    this.#opts = opts
    this.#limits = opts.limits ?? RELAY_LIMITS
    this.#clock = opts.clock ?? systemClock
    this.#total = this.#bucket(this.#limits.bytesPerSecond)
  }

  get limits (): RelayLimits { return this.#limits }
  get enabled (): boolean { return this.#opts.enabled() }
  /** Bytes passed on by every circuit since start. */
  get bytesRelayed (): number { return this.#bytes }
  get circuits (): CircuitInfo[] {
    return [...this.#circuits].map(({ from, to, bytes, openedAt }) => ({ from, to, bytes, openedAt }))
  }

  /** A peer opened a relay stream on `from`: joined to the person its topic names, or refused. */
  handle (from: Connection, inbound: Stream): void {
    const asker = from.remoteKeyHex
    const refuse = (code: CloseCode, text: string): void => {
      this.#opts.log.debug('refused a relay circuit', { from: asker.slice(0, 16), code, text })
      from.reset(inbound, code, text)
    }
    if (inbound.topic.length !== TOPIC_BYTES) return refuse(CloseCode.PROTOCOL_ERROR, 'a relay stream names the key to reach')
    const target = toHex(inbound.topic)
    if (!this.#opts.enabled()) return refuse(CloseCode.RELAY_REFUSED, 'this node does not relay for others')
    // No chains: a circuit's end is never itself relayed, so circuits cannot loop or multiply.
    if (from.transport === 'relay') return refuse(CloseCode.RELAY_REFUSED, 'no relaying over a relayed connection')
    const mine = [...this.#circuits].filter(c => c.from === asker).length
    if (mine >= this.#limits.circuitsPerPeer || this.#circuits.size >= this.#limits.circuits) return refuse(CloseCode.TOO_MANY_CIRCUITS, 'too many circuits')
    const to = target === asker ? undefined : this.#opts.connectionTo(target)
    if (to === undefined || to.closed || to.transport === 'relay') return refuse(CloseCode.UNREACHABLE, 'not connected to that key')
    let outbound: Stream
    try {
      outbound = to.open(RELAYED_PROTOCOL, fromHex(asker), STREAM_OPTIONS)
    } catch {
      return refuse(CloseCode.OVERLOADED, 'no room for another stream to that key')
    }
    const circuit: Circuit = { from: asker, to: target, bytes: 0, openedAt: this.#clock.now(), splice: null, cancelTimer: () => {} }
    this.#circuits.add(circuit)
    const unanswered = (code: CloseCode, text: string): void => {
      if (circuit.splice !== null || !this.#circuits.delete(circuit)) return
      circuit.cancelTimer()
      from.reset(inbound, code, text)
      to.reset(outbound, code, text)
    }
    circuit.cancelTimer = this.#clock.after(this.#limits.answerMs, () => { unanswered(CloseCode.TIMED_OUT, 'no answer from the key to reach') })
    inbound.once('close', (info: CloseInfo) => { unanswered(info.code, info.text) })
    // The reached side's refusal (its code: busy, not accepted...) goes back as it came.
    outbound.once('close', (info: CloseInfo) => { unanswered(info.code, info.text) })
    outbound.once('open', () => {
      if (!this.#circuits.has(circuit) || inbound.status === 'closed') return
      circuit.cancelTimer()
      from.accept(inbound, STREAM_OPTIONS)
      this.#splice(circuit, inbound, outbound)
    })
  }

  /** Relaying was turned off: every circuit ends, and new ones are refused. */
  stopAll (code: CloseCode = CloseCode.RELAY_REFUSED): void {
    for (const circuit of [...this.#circuits]) {
      circuit.splice?.end(code, 'relaying stopped')
      circuit.cancelTimer()
      this.#circuits.delete(circuit)
    }
  }

  #splice (circuit: Circuit, inbound: Stream, outbound: Stream): void {
    circuit.splice = new Splice(inbound, outbound, {
      clock: this.#clock,
      buckets: [this.#bucket(this.#limits.bytesPerSecondPerCircuit), this.#total],
      counted: (bytes) => {
        circuit.bytes += bytes
        this.#bytes += bytes
      },
      inspect: (message, direction) => this.inspect?.(message, direction) ?? message,
      ended: () => {
        circuit.cancelTimer()
        this.#circuits.delete(circuit)
      }
    })
    circuit.cancelTimer = this.#clock.after(this.#limits.lifetimeMs, () => { circuit.splice?.end(CloseCode.CIRCUIT_EXPIRED, 'the circuit lasted as long as it may') })
    this.#opts.log.debug('relaying a circuit', { from: circuit.from.slice(0, 16), to: circuit.to.slice(0, 16) })
  }

  /** A second's worth of burst: a circuit starts at full speed and is held to its rate after. */
  #bucket (bytesPerSecond: number): TokenBucket {
    return new TokenBucket({ ratePerSecond: bytesPerSecond, burst: bytesPerSecond }, () => this.#clock.now())
  }
}
