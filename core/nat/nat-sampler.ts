// How our NAT maps the node's UDP socket, from where others saw it (DHT answers' `ip`, peers' OBSERVED
// on UDP connections). No I/O: samples in, a classification out (PROTOCOL §3.8).
import type { NatType } from '../api/contract.ts'
import { formatHostPort } from '../wire/address.ts'
import type { Endpoint } from '../transport/raw-stream.ts'


interface Sample { observed: Endpoint; at: number }

/** Destinations remembered: the most recent ones decide. */
const MAX_SAMPLES = 16
/** Fewer samples than this say nothing: one or two destinations cannot tell one port from one per destination. */
export const MIN_SAMPLES = 3
/** Older samples describe a network we may have left. */
export const SAMPLE_TTL_MS = 30 * 60_000

/**
 * 'open' when every sample names our own address and port, 'consistent' when (nearly) all name one
 * address, 'random' when they name several. A liar or two among the samples cannot make a consistent
 * NAT look random: the most common address needs two thirds of them.
 */
export function classifyNat (observed: readonly Endpoint[], local: { hosts: readonly string[]; port: number }): NatType {
  if (observed.length < MIN_SAMPLES) return 'unknown'
  const counts = new Map<string, number>()
  for (const o of observed) counts.set(formatHostPort(o.host, o.port), (counts.get(formatHostPort(o.host, o.port)) ?? 0) + 1)
  const [top, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!
  if (count * 3 < observed.length * 2) return 'random'
  const first = observed.find(o => formatHostPort(o.host, o.port) === top)!
  return first.port === local.port && local.hosts.includes(first.host) ? 'open' : 'consistent'
}

export class NatSampler {
  /** By the destination that saw us, most recent last. */
  readonly #samples = new Map<string, Sample>()
  readonly #now: () => number

  constructor (now: () => number = Date.now) {
    this.#now = now
  }

  /** `by` saw our socket at `observed`. */
  add (observed: Endpoint, by: Endpoint): void {
    const key = formatHostPort(by.host, by.port)
    this.#samples.delete(key)
    this.#samples.set(key, { observed: { host: observed.host, port: observed.port }, at: this.#now() })
    if (this.#samples.size > MAX_SAMPLES) this.#samples.delete(this.#samples.keys().next().value!)
  }

  /** The network changed (another address, another socket): what was seen before no longer holds. */
  reset (): void {
    this.#samples.clear()
  }

  type (local: { hosts: readonly string[]; port: number }): NatType {
    return classifyNat(this.#fresh().map(s => s.observed), local)
  }

  /** Our address(es) as seen from outside, most recently seen first. */
  addresses (): Endpoint[] {
    const seen = new Map<string, Endpoint>()
    for (const sample of this.#fresh().reverse()) {
      const key = formatHostPort(sample.observed.host, sample.observed.port)
      if (!seen.has(key)) seen.set(key, sample.observed)
    }
    return [...seen.values()]
  }

  #fresh (): Sample[] {
    const cutoff = this.#now() - SAMPLE_TTL_MS
    for (const [key, sample] of this.#samples) if (sample.at < cutoff) this.#samples.delete(key)
    return [...this.#samples.values()]
  }
}
