// When an invite-only channel moves to a new epoch (PROTOCOL §4.10): we take the channel's current
// epoch once a box in it is sealed to us; we write a new one when a key we removed still holds the
// current key (right after the removal, or on starting again if we stopped in between); we give the
// current key to whom we add once the channel is past epoch 0.
import { takesRotation } from '../channel/epochs.ts'
import type { Logger } from '../log.ts'
import type { EpochEntry, RoomEpochs } from './room-epochs.ts'
import type { RoomMembership } from './room-membership.ts'

export interface RoomRekeyingOptions {
  epochs: RoomEpochs
  membership: RoomMembership
  ownKeyHex: string
  /** Signs, stores and sends one entry of ours. */
  write: (entry: EpochEntry) => Promise<unknown>
  /** Our own entries changed the list or the epoch: fold them again (which steps again). */
  refold: () => void
  /** We moved to a new epoch, which leaves out these keys taken off the list. */
  rekeyed: (epoch: number, removed: string[]) => void
  log: Logger
}

export class RoomRekeying {
  readonly #opts: RoomRekeyingOptions
  /** Who the key we took last was given to (unknown after a restart, or at epoch 0). */
  #recipients: ReadonlySet<string> | null = null
  /** A new epoch of ours being written: one at a time. */
  #writing: Promise<void> | null = null

  constructor (opts: RoomRekeyingOptions) {
    this.#opts = opts
  }

  /** Settles once the new epoch being written (if any) is written and taken. */
  async settled (): Promise<void> {
    await this.#writing
  }

  /** The list or the epoch may have changed (the entries were folded just now). */
  step (): void {
    const { epochs, membership, ownKeyHex } = this.#opts
    const current = membership.epoch
    if (current !== null && takesRotation({ epoch: epochs.epoch, check: epochs.check }, current.rotation, current.boxes.has(ownKeyHex)) &&
      epochs.take(current.rotation.epoch, current.rotation.check, current.boxes.get(ownKeyHex))) {
      const before = this.#recipients ?? new Set(membership.removedKeys())
      this.#recipients = new Set(current.boxes.keys())
      this.#opts.rekeyed(epochs.epoch, [...before].filter(k => !current.boxes.has(k) && !membership.lets(k)))
    }
    if (this.#writing !== null || !membership.isAdmin(ownKeyHex)) return
    if (![...membership.exposed().values()].includes(ownKeyHex)) return
    this.#write(epochs.newEpoch(current?.rotation.epoch ?? 0, membership.listed))
  }

  /** We added `key`: once past epoch 0, it is given the current key (if ours is the channel's). */
  async added (key: string): Promise<void> {
    const { epochs, membership } = this.#opts
    if (membership.epoch?.rotation.check !== epochs.check) return
    for (const entry of epochs.grant([key])) await this.#opts.write(entry)
  }

  #write (entries: EpochEntry[]): void {
    this.#writing = (async () => {
      try {
        for (const entry of entries) await this.#opts.write(entry)
      } finally {
        this.#writing = null
      }
      this.#opts.refold()
    })().catch((err: unknown) => { this.#opts.log.error('could not write a new epoch', { error: (err as Error).message }) })
  }
}
