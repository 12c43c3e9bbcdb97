// Private conversations (conversations.openPrivate): the private channel with one person
// (channel/private-channel.ts), opened by us, or joined the moment that person offers it on the
// connection we hold to them. Either way it is a channel like any other from then on: stored,
// synced, and rejoined at start.
import { BitChatError } from '../api/errors.ts'
import { bytesEqual } from '../codec/bytes.ts'
import { fromHex, toHex } from '../codec/hex.ts'
import { pskOf } from '../channel/keys.ts'
import type { ChannelDescriptor } from '../channel/descriptor.ts'
import { PRIVATE_CHANNEL_NAME, privateChannelDescriptor } from '../channel/private-channel.ts'
import { attachProof } from '../peers/attach-proof.ts'
import type { Identity } from '../identity/identity.ts'

/** Derivations kept (one X25519 each): a peer opening streams on unknown topics costs a hash a stream, not a key agreement. */
const CACHED = 1024

export interface PrivateConversationsOptions {
  identity: () => Identity
  /** Trackers a new private channel is announced to: any of ours will do. */
  trackers: () => string[]
  isBlocked: (keyHex: string) => boolean
  /** Joins the channel (a no-op when joined); returns its id. */
  join: (descriptor: ChannelDescriptor) => string
}

export class PrivateConversations {
  readonly #opts: PrivateConversationsOptions
  readonly #derived = new Map<string, ChannelDescriptor>()

  constructor (opts: PrivateConversationsOptions) {
    this.#opts = opts
  }

  /** Our private channel with `keyHex`, joined if it was not; its channel id. */
  open (keyHex: string): string {
    if (this.#opts.isBlocked(keyHex)) throw BitChatError.invalidParams('this person is blocked: unblock them to talk to them')
    return this.#opts.join(this.#descriptorWith(keyHex))
  }

  /** A connected peer opened a stream for a channel we have not joined: when it is our private channel with them, it is joined now. */
  acceptOffer (keyHex: string, topic: Uint8Array, handshakeHash: Uint8Array): boolean {
    if (this.#opts.isBlocked(keyHex)) return false
    let descriptor: ChannelDescriptor
    try {
      descriptor = this.#descriptorWith(keyHex)
    } catch {
      return false
    }
    if (!bytesEqual(attachProof(pskOf(descriptor.secret), handshakeHash), topic)) return false
    this.#opts.join(descriptor)
    return true
  }

  /**
   * The PSK of our private channel with `keyHex`, joined or not: someone reaching us through a relay
   * may open it with a handshake under it (only the two of us can derive it). Null for a key with none.
   */
  pskWith (keyHex: string): Uint8Array | null {
    if (this.#opts.isBlocked(keyHex)) return null
    try {
      return pskOf(this.#descriptorWith(keyHex).secret)
    } catch {
      return null
    }
  }

  /** The other person, when this (stored) channel is our private channel with them; null for any other channel. */
  peerOf (descriptor: ChannelDescriptor): string | null {
    if (descriptor.name !== PRIVATE_CHANNEL_NAME || descriptor.mode !== 'invite' || descriptor.created !== 0 || descriptor.members.length !== 1) return null
    const own = toHex(this.#opts.identity().publicKey)
    const [creator, member] = [toHex(descriptor.creator), toHex(descriptor.members[0]!)]
    const other = creator === own ? member : member === own ? creator : null
    if (other === null) return null
    try {
      return bytesEqual(this.#descriptorWith(other).secret, descriptor.secret) ? other : null
    } catch {
      return null
    }
  }

  #descriptorWith (keyHex: string): ChannelDescriptor {
    const known = this.#derived.get(keyHex)
    if (known !== undefined) return known
    let descriptor: ChannelDescriptor
    try {
      descriptor = privateChannelDescriptor(this.#opts.identity(), fromHex(keyHex), this.#opts.trackers())
    } catch (err) {
      throw BitChatError.invalidParams(`no private conversation with that key: ${(err as Error).message}`)
    }
    if (this.#derived.size >= CACHED) this.#derived.clear()
    this.#derived.set(keyHex, descriptor)
    return descriptor
  }
}
