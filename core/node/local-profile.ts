import { createProfile } from '../wire/profile.ts'
import type { Store } from '../store/store.ts'
import type { Identity } from '../identity/identity.ts'

const SEQ_SETTING = 'profileSeq'

/**
 * Our own signed profile (PROTOCOL §3.5): name and listen port, made anew whenever either changes,
 * with a seq above every earlier one (kept in the settings, so it still grows after a restart or a
 * clock set back) so peers take the newest.
 */
export class LocalProfile {
  readonly #store: Store
  readonly #identity: Identity
  #current: { name: string; tcpPort: number; raw: Uint8Array } | null = null

  constructor (store: Store, identity: Identity) {
    this.#store = store
    this.#identity = identity
  }

  /** The record for this name and port, signed anew only when they changed. */
  record (name: string, tcpPort: number): Uint8Array {
    const current = this.#current
    if (current !== null && current.name === name && current.tcpPort === tcpPort) return current.raw
    const seq = Math.max(Date.now(), Number(this.#store.getSetting(SEQ_SETTING) ?? '0') + 1)
    this.#store.setSetting(SEQ_SETTING, String(seq))
    const raw = createProfile({ identity: this.#identity, seq, timestamp: Date.now(), name, tcpPort, udpPort: 0 }).raw
    this.#current = { name, tcpPort, raw }
    return raw
  }
}
