// Invitations to channels (PROTOCOL §4.8), both ways. Sent: a channel's link goes to each invitee as
// an invitation entry in our private conversation with them (end to end, only the two of us hold
// it). Received: one from the other person of a private conversation is kept until the user accepts
// (the channel is joined) or declines it; one for a channel we are in already counts as accepted.
import type { Hex, InvitationInfo } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import { channelIdOf } from '../channel/keys.ts'
import { toChannelUri } from '../channel/uri.ts'
import { parseChannelLink, type EpochKey } from '../channel/epoch-link.ts'
import { MAX_TEXT_BYTES } from '../wire/group-message.ts'
import type { ChannelDescriptor } from '../channel/descriptor.ts'
import { fromHex, toHex } from '../codec/hex.ts'
import { fingerprintOf } from '../identity/fingerprint.ts'
import type { Logger } from '../log.ts'
import type { Store } from '../store/store.ts'
import type { StoredInvitation } from '../store/invitation-statements.ts'
import { errorMessage } from '../error-message.ts'

/** Invitations kept; the oldest answered ones make way first. */
export const MAX_INVITATIONS = 500

export interface InvitationsOptions {
  store: Store
  log: Logger
  emit: (invitation: InvitationInfo) => void
  isJoined: (channelId: Hex) => boolean
  /** Joins a channel at the epoch its link carries (PROTOCOL §4.10). */
  join: (descriptor: ChannelDescriptor, epoch: EpochKey | null) => Hex
  /** A person's signed name, when known. */
  nameOf: (keyHex: string) => string | undefined
  /** Our own key; throws without an identity. */
  ownKey: () => string
  isBlocked: (keyHex: string) => boolean
  /** Makes an invite-only channel with these members (joined); its descriptor. */
  create: (name: string, members: string[]) => ChannelDescriptor
  /** The descriptor of a joined channel, the other person when it is a private conversation, and its link (with its current epoch), made only when sent: an unsigned channel has none. */
  joined: (channelId: Hex) => { descriptor: ChannelDescriptor; privatePeer: string | null; link: () => string }
  /** Our private conversation with this person (opened if need be); its channel id. */
  openPrivate: (keyHex: string) => Hex
  /** Sends an invitation entry in that private conversation. */
  sendInvitation: (privateChannelId: Hex, link: string) => Promise<void>
  /** Puts a key on an invite-only channel's member list (FORBIDDEN unless we are its creator or an admin). */
  admit: (channelId: Hex, keyHex: string) => Promise<void>
  /** Whether an invite-only channel lets this key in now. */
  lets: (channelId: Hex, keyHex: string) => boolean
}

export class Invitations {
  readonly #opts: InvitationsOptions

  constructor (opts: InvitationsOptions) {
    this.#opts = opts
  }

  /** channels.invite: invites each person by a private message; makes the channel first when asked by name. */
  async invite (params: { channelId?: Hex; name?: string; publicKeys: Hex[] }): Promise<Hex> {
    const own = this.#opts.ownKey()
    const keys = [...new Set(params.publicKeys)].filter(k => k !== own)
    if (keys.length === 0) throw BitChatError.invalidParams('invite someone other than yourself')
    const blocked = keys.find(k => this.#opts.isBlocked(k))
    if (blocked !== undefined) throw BitChatError.invalidParams(`${fingerprintOf(fromHex(blocked))} is blocked: unblock them to invite them`)
    let descriptor: ChannelDescriptor
    let link: string
    if (params.channelId === undefined) {
      descriptor = this.#opts.create(params.name ?? '', keys)
      link = toChannelUri(descriptor)
    } else {
      const joined = this.#opts.joined(params.channelId)
      if (joined.privatePeer !== null) throw BitChatError.invalidParams('a private conversation has no one else to invite: make a group with them instead')
      descriptor = joined.descriptor
      // Someone not on an invite-only channel's list could not join it: an admin puts them on it first.
      if (descriptor.mode === 'invite') for (const key of keys) if (!this.#opts.lets(params.channelId, key)) await this.#opts.admit(params.channelId, key)
      link = joined.link()
    }
    if (Buffer.byteLength(link) > MAX_TEXT_BYTES) throw BitChatError.invalidParams('this channel\'s link is too long to send as a message: share its .chat file instead')
    for (const key of keys) await this.#opts.sendInvitation(this.#opts.openPrivate(key), link)
    return channelIdOf(descriptor.secret)
  }

  /** The other person of a private conversation sent us this link (entry `invitationId`). */
  received (from: string, invitationId: Hex, link: string): void {
    let descriptor: ChannelDescriptor
    try {
      descriptor = parseChannelLink(link).descriptor
    } catch (err) {
      this.#opts.log.info('ignored an invitation with a bad link', { from: from.slice(0, 16), error: errorMessage(err) })
      return
    }
    const channelId = channelIdOf(descriptor.secret)
    const stored: StoredInvitation = { invitationId, channelId, sender: fromHex(from), link, receivedAt: Date.now(), status: this.#opts.isJoined(channelId) ? 'accepted' : 'pending' }
    if (!this.#opts.store.addInvitation(stored, MAX_INVITATIONS)) return
    if (stored.status === 'pending') this.#opts.emit(this.#info(stored, descriptor))
  }

  list (): InvitationInfo[] {
    return this.#opts.store.listInvitations(MAX_INVITATIONS).flatMap(row => {
      try {
        return [this.#info(row, parseChannelLink(row.link).descriptor)]
      } catch {
        return []
      }
    })
  }

  accept (invitationId: Hex): Hex {
    const row = this.#get(invitationId)
    const { descriptor, epoch } = parseChannelLink(row.link)
    const channelId = this.#opts.join(descriptor, epoch)
    this.#opts.store.setInvitationStatus(invitationId, 'accepted')
    return channelId
  }

  decline (invitationId: Hex): void {
    this.#get(invitationId)
    this.#opts.store.setInvitationStatus(invitationId, 'declined')
  }

  #get (invitationId: Hex): StoredInvitation {
    const row = this.#opts.store.getInvitation(invitationId)
    if (row === undefined) throw new BitChatError('INVITATION_NOT_FOUND', 'there is no such invitation (it may have been cleared)')
    return row
  }

  #info (row: StoredInvitation, d: ChannelDescriptor): InvitationInfo {
    const from = toHex(row.sender)
    const name = this.#opts.nameOf(from)
    return {
      invitationId: row.invitationId,
      channelId: row.channelId,
      name: d.name,
      mode: d.mode,
      from: { publicKey: from, fingerprint: fingerprintOf(row.sender), ...(name === undefined ? {} : { name }) },
      members: d.members.length,
      receivedAt: row.receivedAt,
      status: row.status
    }
  }
}
