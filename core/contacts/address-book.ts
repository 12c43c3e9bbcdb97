// The address book (issue: contacts and verification): people known by their public key, whatever
// name they use. It answers the contacts.* API and tells the rest of the node whom the user blocked:
// the pool refuses their connections and channels refuse their messages.
import type { ContactInfo, ContactLinkInfo, Hex } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import { fromHex, toHex } from '../codec/hex.ts'
import { fingerprintOf } from '../identity/fingerprint.ts'
import type { Store } from '../store/store.ts'
import type { StoredContact } from '../store/contact-statements.ts'
import { parseContactFile } from './contact-file.ts'
import { parseContactLink, type ContactLink } from './contact-link.ts'
import { MAX_CONTACTS } from './contact-limits.ts'
import { safetyCode } from './safety-code.ts'

export interface AddressBookOptions {
  store: Store
  /** Our own public key; throws when there is no identity ready. */
  ownKey: () => Uint8Array
  /** The name a peer signed in its profile, when one was seen. */
  theirNameOf: (keyHex: string) => string | undefined
  onUpdated: (contact: ContactInfo) => void
  onRemoved: (publicKey: Hex) => void
  /** Someone was blocked or unblocked. */
  onBlockChange: (keyHex: string, blocked: boolean) => void
}

export interface ContactChanges { name?: string; notes?: string; verified?: boolean; blocked?: boolean }

export class AddressBook {
  readonly #opts: AddressBookOptions
  /** Asked for every connection and every received message: kept in memory. */
  readonly #blocked = new Set<string>()

  constructor (opts: AddressBookOptions) {
    this.#opts = opts
    for (const c of opts.store.listContacts(MAX_CONTACTS)) if (c.blocked) this.#blocked.add(toHex(c.publicKey))
  }

  isBlocked (keyHex: string): boolean {
    return this.#blocked.has(keyHex)
  }

  /** In the address book and not blocked: someone the user trusts with our address ('Hide my IP address'). */
  isContact (keyHex: string): boolean {
    return !this.#blocked.has(keyHex) && /^[0-9a-f]{64}$/.test(keyHex) && this.#opts.store.getContact(fromHex(keyHex)) !== undefined
  }

  list (): ContactInfo[] {
    return this.#opts.store.listContacts(MAX_CONTACTS).map(c => this.#info(c))
  }

  /** Adds someone (or, already there, renames them when a name is given). */
  add (params: { publicKey?: Hex; link?: string; contactFile?: string; name?: string }): ContactInfo {
    if ([params.publicKey, params.link, params.contactFile].filter(x => x !== undefined).length !== 1) throw BitChatError.invalidParams('give exactly one of publicKey, link and contactFile')
    const fromLink = params.link !== undefined ? parseContactLink(params.link) : params.contactFile !== undefined ? parseContactFile(params.contactFile) : null
    const publicKey = fromLink?.publicKey ?? fromHex(params.publicKey!)
    this.#refuseOwn(publicKey)
    const existing = this.#opts.store.getContact(publicKey)
    if (existing !== undefined) return params.name === undefined ? this.#info(existing) : this.update(toHex(publicKey), { name: params.name })
    return this.#save(this.#fresh(publicKey, params.name ?? fromLink?.name ?? ''))
  }

  /**
   * Changes what is given. Blocking someone who is not a contact adds them (the block must be
   * remembered somewhere); a name of '' clears the name you gave.
   */
  update (keyHex: Hex, changes: ContactChanges): ContactInfo {
    const publicKey = fromHex(keyHex)
    this.#refuseOwn(publicKey)
    let contact = this.#opts.store.getContact(publicKey)
    if (contact === undefined) {
      if (changes.blocked !== true) throw notFound(keyHex)
      contact = this.#fresh(publicKey, '')
    }
    const wasBlocked = contact.blocked
    const next: StoredContact = {
      ...contact,
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.notes === undefined ? {} : { notes: changes.notes }),
      ...(changes.verified === undefined ? {} : { verified: changes.verified }),
      ...(changes.blocked === undefined ? {} : { blocked: changes.blocked })
    }
    const info = this.#save(next)
    if (next.blocked !== wasBlocked) this.#opts.onBlockChange(keyHex, next.blocked)
    return info
  }

  remove (keyHex: Hex): void {
    const publicKey = fromHex(keyHex)
    const contact = this.#opts.store.getContact(publicKey)
    if (contact === undefined || !this.#opts.store.removeContact(publicKey)) throw notFound(keyHex)
    this.#opts.onRemoved(keyHex)
    if (this.#blocked.delete(keyHex)) this.#opts.onBlockChange(keyHex, false)
  }

  safetyCode (keyHex: Hex): string {
    const publicKey = fromHex(keyHex)
    this.#refuseOwn(publicKey)
    return safetyCode(this.#opts.ownKey(), publicKey)
  }

  inspectLink (link: string): ContactLinkInfo {
    return this.#inspect(parseContactLink(link))
  }

  inspectFile (text: string): ContactLinkInfo {
    return this.#inspect(parseContactFile(text))
  }

  #inspect ({ publicKey, name }: ContactLink): ContactLinkInfo {
    return { publicKey: toHex(publicKey), name, fingerprint: fingerprintOf(publicKey), known: this.#opts.store.getContact(publicKey) !== undefined }
  }

  /** Contacts brought from another machine (identity.import): added where not known yet, as they were. */
  restore (contacts: ReadonlyArray<{ publicKey: Hex; name: string; theirName: string | null; notes: string; verified: boolean; blocked: boolean }>): void {
    for (const c of contacts) {
      const publicKey = fromHex(c.publicKey)
      if (this.#opts.store.getContact(publicKey) !== undefined) continue
      if (this.#opts.store.countContacts() >= MAX_CONTACTS) return
      const info = this.#save({ ...c, publicKey, addedAt: Date.now() })
      if (info.blocked) this.#opts.onBlockChange(info.publicKey, true)
    }
  }

  /** The name a contact last signed, as kept while they are offline. */
  theirName (keyHex: string): string | undefined {
    return this.#opts.store.getContact(fromHex(keyHex))?.theirName ?? undefined
  }

  /** A peer signed a (new) name: a contact's is kept, so it shows while they are offline. */
  noteTheirName (keyHex: string, name: string): void {
    const contact = this.#opts.store.getContact(fromHex(keyHex))
    if (contact === undefined || contact.theirName === name) return
    this.#save({ ...contact, theirName: name })
  }

  #save (contact: StoredContact): ContactInfo {
    this.#opts.store.saveContact(contact)
    const keyHex = toHex(contact.publicKey)
    if (contact.blocked) this.#blocked.add(keyHex)
    else this.#blocked.delete(keyHex)
    const info = this.#info(contact)
    this.#opts.onUpdated(info)
    return info
  }

  #info (c: StoredContact): ContactInfo {
    return { publicKey: toHex(c.publicKey), name: c.name, theirName: c.theirName, fingerprint: fingerprintOf(c.publicKey), verified: c.verified, blocked: c.blocked, notes: c.notes, addedAt: c.addedAt }
  }

  /** A new contact, not saved yet. */
  #fresh (publicKey: Uint8Array, name: string): StoredContact {
    if (this.#opts.store.countContacts() >= MAX_CONTACTS) throw new BitChatError('TOO_MANY_CONTACTS', `the address book holds ${MAX_CONTACTS} contacts, as many as it may: remove some first`)
    return { publicKey, name, theirName: this.#opts.theirNameOf(toHex(publicKey)) ?? null, notes: '', verified: false, blocked: false, addedAt: Date.now() }
  }

  #refuseOwn (publicKey: Uint8Array): void {
    let own: Uint8Array
    try {
      own = this.#opts.ownKey()
    } catch {
      return
    }
    if (toHex(own) === toHex(publicKey)) throw BitChatError.invalidParams('that is your own key: you cannot add yourself as a contact')
  }
}

function notFound (keyHex: string): BitChatError {
  return new BitChatError('CONTACT_NOT_FOUND', `${keyHex.slice(0, 16)}… is not in the address book`)
}
