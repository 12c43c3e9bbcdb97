import type { Connection } from '../connection/connection.ts'
import { CloseCode } from '../connection/close-codes.ts'

/**
 * Our dials still in their handshake, by the key they expect. Once a connection to that peer is
 * kept (its own dial landed first, say), finishing them would only end them as duplicates.
 */
export class DialsInFlight {
  readonly #byKey = new Map<string, Set<Connection>>()

  /** Remembers `connection` until its handshake ends either way. */
  track (keyHex: string, connection: Connection): void {
    let set = this.#byKey.get(keyHex)
    if (set === undefined) this.#byKey.set(keyHex, set = new Set())
    set.add(connection)
    const untrack = (): void => {
      set.delete(connection)
      if (set.size === 0 && this.#byKey.get(keyHex) === set) this.#byKey.delete(keyHex)
    }
    connection.once('established', untrack)
    connection.once('close', untrack)
  }

  /** `kept` is the connection to `keyHex` now: every other dial to it is given up (DUPLICATE, before its handshake ends). */
  giveUp (keyHex: string, kept: Connection): void {
    for (const dial of [...this.#byKey.get(keyHex) ?? []]) if (dial !== kept) dial.close(CloseCode.DUPLICATE, 'the peer reached us first')
  }
}
