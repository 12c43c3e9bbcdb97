// How many connections a node may hold, derived from how many file descriptors it may open:
// part of them stays free for the database, UDP sockets, the web UI and files, the rest is
// split between inbound connections and our own dials, so that neither can starve the other.
import type { InboundLimits } from './inbound-gate.ts'

export interface ConnectionBudget {
  inbound: InboundLimits
  /** Sessions we dial (connecting or established), over every channel. */
  maxOutbound: number
}

const MAX_INBOUND = 512
const MAX_OUTBOUND = 512
const MAX_PENDING = 64
const MAX_PENDING_PER_SOURCE = 8

export function connectionBudget (openFiles: number): ConnectionBudget {
  // Unlimited (Infinity) is as good as the kernel's ceiling; nonsense is taken as the common default.
  const files = openFiles > 0 ? Math.floor(Math.min(openFiles, 1_048_576)) : 1024
  const reserve = Math.max(64, Math.floor(files / 8))
  const connections = Math.max(64, files - reserve)
  const maxInbound = Math.min(MAX_INBOUND, Math.floor(connections / 2))
  const maxPending = Math.min(MAX_PENDING, Math.max(8, Math.floor(maxInbound / 4)))
  return {
    inbound: {
      maxInbound,
      maxPending,
      maxInboundPerSource: Math.max(4, Math.floor(maxInbound / 16)),
      maxPendingPerSource: Math.min(MAX_PENDING_PER_SOURCE, Math.max(2, Math.floor(maxPending / 8)))
    },
    maxOutbound: Math.min(MAX_OUTBOUND, connections - maxInbound)
  }
}

/** Counts the sessions we dial, node-wide, against the budget's maxOutbound. */
export class OutboundBudget {
  readonly max: number
  #used = 0

  constructor (max: number) {
    this.max = max
  }

  get used (): number { return this.#used }

  tryAcquire (): boolean {
    if (this.#used >= this.max) return false
    this.#used++
    return true
  }

  release (): void {
    if (this.#used > 0) this.#used--
  }
}
