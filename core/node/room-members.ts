// Who a channel's members are, as far as this node knows: the names they signed (from their profile
// while connected, kept in the store for authors, so history shows who wrote what), and when each
// author or listed member was last connected. Anyone else, who may be a throwaway identity, is
// forgotten with its connection.
import type { MemberInfo } from '../api/contract.ts'
import { fromHex, toHex } from '../codec/hex.ts'
import { fingerprintOf } from '../identity/fingerprint.ts'
import type { Store } from '../store/store.ts'

export class RoomMembers {
  readonly #channelId: string
  readonly #store: Store
  /** Keys kept in the list after they go: listed members of an invite-only channel (as the list is now). */
  readonly #listed: () => ReadonlySet<string>
  readonly #names = new Map<string, string>()
  /** When each member we know of was last connected here (ms). */
  readonly #lastSeen = new Map<string, number>()
  /** Members whose name is in the store (they wrote something here). */
  readonly #saved = new Set<string>()

  constructor (opts: { channelId: string; store: Store; listed: () => ReadonlySet<string> }) {
    this.#channelId = opts.channelId
    this.#store = opts.store
    this.#listed = opts.listed
  }

  /** Takes in the authors the store knows (after forgetting those who never wrote). */
  load (): void {
    this.#store.pruneMembers(this.#channelId)
    for (const member of this.#store.listMembers(this.#channelId)) {
      const key = toHex(member.publicKey)
      this.#names.set(key, member.name)
      this.#saved.add(key)
      this.#lastSeen.set(key, member.lastSeenAt)
    }
  }

  /** Their signed name, else the first groups of their fingerprint. */
  nameOf (keyHex: string): string {
    return this.#names.get(keyHex) ?? fingerprintOf(fromHex(keyHex)).slice(0, 9)
  }

  /** The name they signed, when known. */
  signedName (keyHex: string): string | undefined {
    return this.#names.get(keyHex)
  }

  /** A member linked here, with the name its profile gives (if any); its name is stored when it wrote here before. */
  connected (keyHex: string, name: string | undefined): void {
    if (name !== undefined) this.#names.set(keyHex, name)
    this.#saved.delete(keyHex)
    if (this.#store.nextEntry(this.#channelId, fromHex(keyHex)).seq > 1) this.wrote(keyHex)
  }

  /** Its profile gave a new name: kept, and stored again for an author. True when it changed. */
  renamed (keyHex: string, name: string): boolean {
    if (this.#names.get(keyHex) === name) return false
    this.#names.set(keyHex, name)
    if (this.#saved.delete(keyHex)) this.wrote(keyHex)
    return true
  }

  /** An entry of theirs was stored: their name is kept from now on. */
  wrote (keyHex: string): void {
    const name = this.#names.get(keyHex)
    if (name === undefined || this.#saved.has(keyHex)) return
    this.#store.saveMember({ channelId: this.#channelId, publicKey: fromHex(keyHex), name, lastSeenAt: Date.now() })
    this.#saved.add(keyHex)
  }

  /** Their link went: authors and listed members are remembered as last seen now, anyone else forgotten. */
  disconnected (keyHex: string): void {
    if (this.#saved.delete(keyHex)) this.wrote(keyHex)
    if (this.#saved.has(keyHex) || this.#listed().has(keyHex)) this.#lastSeen.set(keyHex, Date.now())
    else this.#names.delete(keyHex)
  }

  /** Everyone known here but `ownKeyHex`: online first, then the most recently seen, then never seen. */
  list (online: ReadonlySet<string>, creatorHex: string, ownKeyHex: string, isAdmin: (keyHex: string) => boolean): MemberInfo[] {
    const listed = this.#listed()
    // Someone removed from an invite-only list is not a member any more, whatever else we know of them.
    const keys = new Set([...online, ...[...this.#lastSeen.keys()].filter(k => listed.size === 0 || listed.has(k)), creatorHex, ...listed])
    keys.delete(ownKeyHex)
    const now = Date.now()
    return [...keys].map((key): MemberInfo => ({
      publicKey: key,
      name: this.nameOf(key),
      fingerprint: fingerprintOf(fromHex(key)),
      role: key === creatorHex ? 'creator' : isAdmin(key) ? 'admin' : 'member',
      online: online.has(key),
      lastSeen: online.has(key) ? now : this.#lastSeen.get(key) ?? null
    })).sort(byPresence)
  }
}

/** Online first, then the most recently seen, then never seen; by name within each. */
function byPresence (a: MemberInfo, b: MemberInfo): number {
  return Number(b.online) - Number(a.online) || (b.lastSeen ?? -1) - (a.lastSeen ?? -1) || a.name.localeCompare(b.name)
}
