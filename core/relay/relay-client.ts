import type { Connection } from '../connection/connection.ts'
import { CloseCode } from '../connection/close-codes.ts'
import { Priority, type CloseInfo, type Stream } from '../connection/mux-stream.ts'
import type { DialOutcome } from '../peers/dial-outcome.ts'
import { RelayedStream } from '../transport/relayed.ts'
import type { RawStream } from '../transport/raw-stream.ts'
import { fromHex } from '../codec/hex.ts'
import { systemClock, type Clock } from '../timers.ts'
import type { Logger } from '../log.ts'
import { RELAY_LIMITS } from './relay-limits.ts'
import { RELAY_PROTOCOL, RELAY_WINDOW } from './relay-protocol.ts'
import { chooseRelays, type RelayCandidate } from './relay-policy.ts'

export interface RelayClientOptions {
  connectionTo: (keyHex: string) => Connection | undefined
  /** Members we are connected to directly that could relay us to `target`. */
  candidates: (target: string) => Omit<RelayCandidate, 'failedAt'>[]
  /** Runs our handshake over the stream, with the PSK of `channelId`, expecting `target` (the pool's dial over a given stream). */
  dialOver: (stream: RawStream, channelId: string, target: string) => Promise<DialOutcome>
  log: Logger
  clock?: Clock
}

/** Failures remembered (relay and target), the oldest forgotten first. */
const MAX_FAILURES = 256
/** How long we wait for a relay's answer: its own wait for the target, and a margin for the way. */
const ANSWER_WAIT_MS = RELAY_LIMITS.answerMs + 2_000

/**
 * Reaching a peer through a member connected to both of us (PROTOCOL §3.7): the dial the peer book
 * makes when a peer has no direct route, or its direct routes failed. A relay stream is opened to
 * the chosen member, and once it joined us to the peer, an ordinary handshake runs over it.
 */
export class RelayClient {
  readonly #opts: RelayClientOptions
  readonly #clock: Clock
  readonly #failures = new Map<string, number>()

  constructor (opts: RelayClientOptions) {
    this.#opts = opts
    this.#clock = opts.clock ?? systemClock
  }

  async dial (target: string, channelId: string): Promise<DialOutcome> {
    const now = this.#clock.now()
    const candidates = this.#opts.candidates(target).map(c => ({ ...c, failedAt: this.#failures.get(failureKey(c.keyHex, target)) ?? null }))
    const relays = chooseRelays(target, candidates, now)
    let last: DialOutcome = { kind: 'failed', code: null, reason: 'no member to relay through' }
    for (const relay of relays) {
      last = await this.#through(relay, target, channelId)
      // The handshake reached the target: whatever happened then is about it, not about the way.
      if (last.kind !== 'failed' || last.keyHex !== undefined) return last
      this.#failed(relay, target)
    }
    return last
  }

  async #through (relay: string, target: string, channelId: string): Promise<DialOutcome> {
    const connection = this.#opts.connectionTo(relay)
    if (connection === undefined || connection.closed) return { kind: 'failed', code: null, reason: 'the relay is not connected' }
    let stream: Stream
    try {
      stream = connection.open(RELAY_PROTOCOL, fromHex(target), { priority: Priority.SYNC, window: RELAY_WINDOW, manualCredit: true })
    } catch (err) {
      return { kind: 'failed', code: CloseCode.OVERLOADED, reason: (err as Error).message }
    }
    const opened = await new Promise<CloseInfo | null>(resolve => {
      const cancel = this.#clock.after(ANSWER_WAIT_MS, () => {
        stream.reset(CloseCode.TIMED_OUT, 'no answer from the relay')
      })
      stream.once('open', () => {
        cancel()
        resolve(null)
      })
      stream.once('close', (info) => {
        cancel()
        resolve(info)
      })
    })
    if (opened !== null) {
      this.#opts.log.debug('a relay did not join us', { relay: relay.slice(0, 16), target: target.slice(0, 16), code: opened.code, text: opened.text })
      return { kind: 'failed', code: opened.code, reason: opened.text === '' ? `the relay refused (code ${opened.code})` : opened.text }
    }
    const raw = new RelayedStream(stream, { via: relay, remote: { host: connection.remoteHost, port: connection.remotePort } })
    return await this.#opts.dialOver(raw, channelId, target)
  }

  #failed (relay: string, target: string): void {
    const key = failureKey(relay, target)
    this.#failures.delete(key)
    this.#failures.set(key, this.#clock.now())
    if (this.#failures.size > MAX_FAILURES) this.#failures.delete(this.#failures.keys().next().value!)
  }
}

function failureKey (relay: string, target: string): string {
  return `${relay} ${target}`
}
