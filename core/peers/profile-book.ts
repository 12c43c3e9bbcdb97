import { isNewerProfile, readProfile, type Profile } from '../wire/profile.ts'
import { WireError } from '../wire/codec.ts'
import { toHex } from '../codec/hex.ts'

/**
 * The newest signed profile of every peer we are connected to: display name and listen ports. A
 * record counts only from the connection of the key it speaks for and signed by that key, so no
 * member can name another; an older record never replaces a newer one.
 */
export class ProfileBook {
  readonly #profiles = new Map<string, Profile>()

  /** Takes a record a peer sent on its connection; true when it changed what we know. Throws WireError for a bad record. */
  receive (fromKeyHex: string, raw: Uint8Array): boolean {
    const profile = readProfile(raw)
    if (toHex(profile.publicKey) !== fromKeyHex) throw new WireError('a profile for another key than the connection\'s')
    if (!isNewerProfile(profile, this.#profiles.get(fromKeyHex) ?? null)) return false
    this.#profiles.set(fromKeyHex, profile)
    return true
  }

  nameOf (keyHex: string): string | undefined {
    return this.#profiles.get(keyHex)?.name
  }

  listenPortOf (keyHex: string): number {
    return this.#profiles.get(keyHex)?.tcpPort ?? 0
  }

  /** The peer is no longer connected: its record goes (the next connection brings a fresh one). */
  forget (keyHex: string): void {
    this.#profiles.delete(keyHex)
  }
}
