// The channel's reconciliation sessions, one per linked member, and what they know of each other: a
// large catch-up is shared out among them, and none opens an exchange while another is receiving.
import { SyncSession, type SyncPeers, type SyncSource, type SyncTimings } from '../history/sync-session.ts'
import type { Logger } from '../log.ts'
import type { PeerLink } from '../mesh/swarm.ts'

export class RoomSyncs {
  readonly #sessions = new Map<string, SyncSession>()
  readonly #source: SyncSource
  readonly #log: Logger
  readonly #timings: SyncTimings | undefined

  constructor (opts: { source: SyncSource; log: Logger; timings?: SyncTimings }) {
    this.#source = opts.source
    this.#log = opts.log
    this.#timings = opts.timings
  }

  /** Reconciliation with one member, on its current session (replacing any before); the dialling side opens the exchanges. */
  start (link: PeerLink): void {
    const key = link.publicKeyHex
    this.#sessions.get(key)?.stop()
    const session = link.session
    const peers: SyncPeers = {
      spread: () => {
        const keys = [...this.#sessions.keys()].sort()
        return { index: Math.max(0, keys.indexOf(key)), of: keys.length }
      },
      busyElsewhere: () => [...this.#sessions].some(([k, s]) => k !== key && s.busy)
    }
    const sync = new SyncSession({ link: session, source: this.#source, opener: session.initiator, log: this.#log, timings: this.#timings, peers })
    session.on('drain', () => { sync.pump() })
    this.#sessions.set(key, sync)
    sync.start()
  }

  get (key: string): SyncSession | undefined {
    return this.#sessions.get(key)
  }

  end (key: string): void {
    this.#sessions.get(key)?.stop()
    this.#sessions.delete(key)
  }

  /** Every session but those `except` names reconciles soon. */
  triggerAll (except: (key: string) => boolean = () => false): void {
    for (const [key, sync] of this.#sessions) if (!except(key)) sync.trigger()
  }

  /** True when no reconciliation is running or sending with any member. */
  get idle (): boolean {
    return [...this.#sessions.values()].every(s => s.idle)
  }

  stop (): void {
    for (const sync of this.#sessions.values()) sync.stop()
    this.#sessions.clear()
  }
}
