import type { IdentityInfo, IdentityStatus } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import { generateIdentity, identityFromSecretKey, type Identity } from '../identity/identity.ts'
import { fingerprintOf } from '../identity/fingerprint.ts'
import { openSecretKey, sealSecretKey } from '../identity/sealed-key.ts'
import { toHex } from '../codec/hex.ts'
import { memzero } from '../crypto/native.ts'
import { describeNameProblem, findNameProblem } from '../channel/name-rule.ts'
import type { Store } from '../store/store.ts'

/**
 * The user's long-term identity and its lifecycle: none yet, present but sealed by a passphrase,
 * or unlocked and usable. The secret key is only ever held in memory once unlocked.
 */
export class IdentityKeeper {
  readonly #store: Store
  #identity: Identity | null = null
  /** Kept in memory: every profile and every own message shows it, and only this class changes it. */
  #name: string
  /**
   * Create, unlock and passphrase changes run one at a time: each reads the stored key, waits for
   * the key derivation, then writes, and two interleaved would each check a passphrase the other replaces.
   */
  #keyWork: Promise<unknown> = Promise.resolve()

  constructor (store: Store) {
    this.#store = store
    const row = store.getIdentity()
    this.#name = row?.name ?? ''
    if (row?.secretKey != null) this.#identity = identityFromSecretKey(row.secretKey)
  }

  get identity (): Identity | null { return this.#identity }
  get name (): string { return this.#name }

  /** The unlocked identity, or the error that explains why there is none. */
  require (): Identity {
    if (this.#identity !== null) return this.#identity
    throw this.#store.getIdentity() === undefined ? BitChatError.identityMissing() : BitChatError.identityLocked()
  }

  status (): IdentityStatus {
    if (this.#identity !== null) return { state: 'ready', identity: this.info() }
    return { state: this.#store.getIdentity() === undefined ? 'none' : 'locked' }
  }

  info (): IdentityInfo {
    const identity = this.require()
    const row = this.#store.getIdentity()
    return {
      publicKey: toHex(identity.publicKey),
      fingerprint: fingerprintOf(identity.publicKey),
      name: this.#name,
      encrypted: row?.sealedSecretKey != null
    }
  }

  async create (name: string, passphrase?: string): Promise<IdentityInfo> {
    return await this.#oneAtATime(async () => await this.#create(name, passphrase))
  }

  /** Takes an identity brought from another machine (identity.import): only into a data folder that has none. */
  async restore (secretKey: Uint8Array, name: string, passphrase: string): Promise<IdentityInfo> {
    return await this.#oneAtATime(async () => await this.#create(name, passphrase, identityFromSecretKey(secretKey)))
  }

  /** The identity sealed for another machine (identity.export); `current` is required while a passphrase guards this one. */
  async export (passphrase: string, current: string | undefined, seal: (secretKey: Uint8Array, name: string) => Promise<Uint8Array>): Promise<Uint8Array> {
    return await this.#oneAtATime(async () => {
      const identity = this.require()
      const sealed = this.#store.getIdentity()?.sealedSecretKey
      if (sealed != null) {
        if (current === undefined) throw BitChatError.invalidParams('the current passphrase is required to export the identity')
        memzero(await openSecretKey(sealed, current))
      }
      if (passphrase === '') throw BitChatError.invalidParams('the passphrase must not be empty')
      return await seal(identity.secretKey, this.#name)
    })
  }

  async #create (name: string, passphrase?: string, given?: Identity): Promise<IdentityInfo> {
    checkName(name)
    const exists = (): BitChatError => new BitChatError('IDENTITY_EXISTS', 'an identity already exists in this data folder')
    if (this.#store.getIdentity() !== undefined) throw exists()
    const identity = given ?? generateIdentity()
    const sealed = passphrase === undefined ? null : await sealSecretKey(identity.secretKey, passphrase)
    // Another create may have finished while this one was sealing.
    if (this.#store.getIdentity() !== undefined) throw exists()
    this.#store.saveIdentity({
      publicKey: identity.publicKey,
      secretKey: sealed === null ? identity.secretKey : null,
      sealedSecretKey: sealed,
      name,
      createdAt: Date.now()
    })
    this.#name = name
    this.#identity = identity
    return this.info()
  }

  /**
   * Opens the sealed key with `passphrase`. Already unlocked, it still checks the passphrase:
   * a caller must never learn "unlocked" in answer to a wrong one.
   */
  async unlock (passphrase: string): Promise<IdentityInfo> {
    return await this.#oneAtATime(async () => await this.#unlock(passphrase))
  }

  async #unlock (passphrase: string): Promise<IdentityInfo> {
    const row = this.#store.getIdentity()
    if (row === undefined) throw BitChatError.identityMissing()
    if (this.#identity !== null) {
      if (row.sealedSecretKey != null) memzero(await openSecretKey(row.sealedSecretKey, passphrase))
      return this.info()
    }
    if (row.sealedSecretKey == null) throw new BitChatError('INTERNAL', 'the stored identity has no key')
    const identity = identityFromSecretKey(await openSecretKey(row.sealedSecretKey, passphrase))
    if (toHex(identity.publicKey) !== toHex(row.publicKey)) throw new BitChatError('INTERNAL', 'the sealed key does not match the stored public key')
    this.#identity = identity
    return this.info()
  }

  /**
   * Seals the key under a new passphrase, or stores it in the clear when `passphrase` is null.
   * While a passphrase is set, changing or removing it takes that passphrase (`current`): an
   * unlocked window left open must not be enough to replace or drop it.
   */
  async setPassphrase (passphrase: string | null, current?: string): Promise<IdentityInfo> {
    return await this.#oneAtATime(async () => await this.#setPassphrase(passphrase, current))
  }

  async #setPassphrase (passphrase: string | null, current?: string): Promise<IdentityInfo> {
    const identity = this.require()
    const sealed = this.#store.getIdentity()?.sealedSecretKey
    if (sealed != null) {
      if (current === undefined) throw BitChatError.invalidParams('the current passphrase is required to change or remove it')
      memzero(await openSecretKey(sealed, current))
    }
    this.#store.setIdentityKeys(passphrase === null
      ? { secretKey: identity.secretKey, sealedSecretKey: null }
      : { secretKey: null, sealedSecretKey: await sealSecretKey(identity.secretKey, passphrase) })
    return this.info()
  }

  #oneAtATime<T> (work: () => Promise<T>): Promise<T> {
    const run = this.#keyWork.then(work, work)
    this.#keyWork = run.catch(() => {})
    return run
  }

  setName (name: string): IdentityInfo {
    this.require()
    checkName(name)
    this.#store.setIdentityName(name)
    this.#name = name
    return this.info()
  }
}

/** Every signed profile carries the name to peers, so it is checked here whatever path it came by (API, command line). */
function checkName (name: string): void {
  const problem = findNameProblem(name)
  if (problem !== null) throw BitChatError.invalidParams(describeNameProblem(problem, 'The name'))
}
